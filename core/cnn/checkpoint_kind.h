#pragma once
// Which model a .safetensors checkpoint holds, from its tensor names alone, so the
// CLI (and app) can pick the ViT or the ResNet loader before reading any weights.
#include <string>

namespace ks {

enum class CheckpointKind { Vit, Resnet };

// Reads only the file's JSON header. Anything that is not recognisably a ResNet
// (including an unreadable or malformed file) is reported as Vit, so the ViT
// loader's validation gives the user its one-sentence message.
CheckpointKind checkpoint_kind(const std::string& path);

}  // namespace ks
