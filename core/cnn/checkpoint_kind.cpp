#include "io/json_bounded.h"
#include "cnn/checkpoint_kind.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "cnn/resnet_weights.h"
#include "io/safetensors.h"

namespace ks {

CheckpointKind checkpoint_kind(const std::string& path) {
    // Only a regular file is opened: opening a FIFO would block until a writer appears.
    // Anything else goes to the ViT loader, which refuses it with the reason.
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return CheckpointKind::Vit;
    std::ifstream in(path, std::ios::binary);
    unsigned char len_bytes[8];
    if (!in.read(reinterpret_cast<char*>(len_bytes), 8)) return CheckpointKind::Vit;
    uint64_t len = 0;
    for (int i = 7; i >= 0; --i) len = (len << 8) | len_bytes[i];
    if (len == 0 || len > kMaxSafetensorsHeader) return CheckpointKind::Vit;
    std::string header(static_cast<size_t>(len), '\0');
    if (!in.read(header.data(), static_cast<std::streamsize>(len))) return CheckpointKind::Vit;
    // Too deep to be a real header: the full reader refuses it with its sentence.
    if (json_nesting_depth(header) > kMaxJsonDepth) return CheckpointKind::Vit;
    const nlohmann::json h = nlohmann::json::parse(header, nullptr, /*allow_exceptions=*/false);
    if (!h.is_object()) return CheckpointKind::Vit;
    std::vector<std::string> keys;
    for (auto it = h.begin(); it != h.end(); ++it) keys.push_back(it.key());
    return is_resnet_keys(keys) ? CheckpointKind::Resnet : CheckpointKind::Vit;
}

}  // namespace ks
