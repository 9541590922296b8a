#include "io/checkpoint_header.h"

#include <cstdint>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "io/json_bounded.h"
#include "io/safetensors.h"

namespace ks {

std::vector<std::string> checkpoint_tensor_names(const std::string& path) {
    // Only a regular file is opened: opening a FIFO would block until a writer appears.
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return {};
    std::ifstream in(path, std::ios::binary);
    unsigned char len_bytes[8];
    if (!in.read(reinterpret_cast<char*>(len_bytes), 8)) return {};
    uint64_t len = 0;
    for (int i = 7; i >= 0; --i) len = (len << 8) | len_bytes[i];
    if (len == 0 || len > kMaxSafetensorsHeader) return {};
    std::string header(static_cast<size_t>(len), '\0');
    if (!in.read(header.data(), static_cast<std::streamsize>(len))) return {};
    // Too deep to be a real header: the full reader refuses it with its sentence.
    if (json_nesting_depth(header) > kMaxJsonDepth) return {};
    const nlohmann::json h = nlohmann::json::parse(header, nullptr, /*allow_exceptions=*/false);
    if (!h.is_object()) return {};
    std::vector<std::string> keys;
    for (auto it = h.begin(); it != h.end(); ++it) keys.push_back(it.key());
    return keys;
}

}  // namespace ks
