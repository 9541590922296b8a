#include "io/checkpoint_name.h"

#include <vector>

namespace ks {

namespace {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : path) {
        if (c == '/') {
            if (!cur.empty()) parts.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) parts.push_back(cur);
    return parts;
}

// The names the common exporters give every model, whatever it is.
bool generic_name(const std::string& file) {
    return file == "model.safetensors" || file == "pytorch_model.safetensors" || file == "open_clip_model.safetensors" ||
           file == "weights.safetensors" || file == "checkpoint.safetensors";
}

}  // namespace

std::string checkpoint_display_name(const std::string& path) {
    const std::vector<std::string> parts = split_path(path);
    if (parts.empty()) return path;
    const std::string& file = parts.back();
    if (!generic_name(file) || parts.size() < 2) return file;
    // A Hugging Face cache: models--ORG--NAME/snapshots/HASH/FILE.
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
        const std::string& p = parts[i];
        if (p.rfind("models--", 0) != 0 || i + 2 >= parts.size() || parts[i + 1] != "snapshots") continue;
        std::string repo = p.substr(8);
        const size_t sep = repo.find("--");
        if (sep != std::string::npos) repo = repo.substr(0, sep) + "/" + repo.substr(sep + 2);
        return repo.empty() ? file : repo;
    }
    return parts[parts.size() - 2] + "/" + file;
}

}  // namespace ks
