#include "io/class_names.h"

#include "io/file_read.h"
#include "io/input_error.h"

namespace ks {

namespace {

// Bytes of the UTF-8 sequence starting at s[i] (0: invalid), so a name is always text
// that a JSON writer and a label can carry unchanged.
size_t utf8_sequence(const std::string& s, size_t i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return 0;
    return n;
}

// Why `name` cannot be a class name, or "".
std::string bad_name(const std::string& name) {
    if (name.empty()) return "is empty";
    if (name.size() > kMaxClassNameBytes) return "is longer than " + std::to_string(kMaxClassNameBytes) + " bytes";
    for (size_t i = 0; i < name.size();) {
        const unsigned char c = static_cast<unsigned char>(name[i]);
        if (c < 0x20 || c == 0x7f) return "holds a control character";
        const size_t n = utf8_sequence(name, i);
        if (n == 0) return "is not UTF-8 text";
        i += n;
    }
    return "";
}

}  // namespace

ClassNames read_class_names(const std::string& path) {
    const std::string text = read_regular_file(path, kMaxClassNamesFileBytes, "class names list");
    ClassNames names;
    size_t at = 0;
    while (at < text.size()) {
        size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        std::string name = text.substr(at, end - at);
        if (!name.empty() && name.back() == '\r') name.pop_back();
        const std::string why = bad_name(name);
        if (!why.empty())
            throw InputError("The class names list " + path + " is malformed: line " + std::to_string(names.size() + 1) +
                             " " + why + ".");
        names.push_back(std::move(name));
        at = end + 1;
    }
    if (names.empty()) throw InputError("The class names list " + path + " is empty.");
    return names;
}

ClassNames load_class_names(const std::string& path, std::string* why) {
    try {
        return read_class_names(path);
    } catch (const std::exception& e) {
        if (why) *why = e.what();
        return {};
    }
}

std::vector<std::string> top_logit_names(const std::vector<std::pair<int, float>>& top, size_t num_classes,
                                         const ClassNames& names) {
    std::vector<std::string> out(top.size());
    // Another classifier's list (or a truncated one) would name the wrong classes.
    if (names.size() != num_classes) return out;
    for (size_t i = 0; i < top.size(); ++i) {
        const int c = top[i].first;
        if (c >= 0 && static_cast<size_t>(c) < names.size()) out[i] = names[c];
    }
    return out;
}

}  // namespace ks
