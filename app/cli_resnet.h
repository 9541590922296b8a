#pragma once
// `kernelscope render --weights resnet.safetensors`: the ResNet branch of render.
#include <string>
#include <utility>

#include "cli_options.h"

namespace ks {

// Writes effective_kernel.npy/.png, conv1.png and summary.json into --out. A ViT-only
// flag (--heads, --layer, --head, --config, --mass-threshold, --query cls/rollout/...,
// --filter patch_embed[C]) is refused with one sentence (InputError, exit 2).
// `comparison` (comparison.json) is written with them.
int run_render_resnet(const CliOptions& o, const std::string& image_path, std::pair<std::string, std::string> comparison);

// The sentence for --stage given without a ResNet checkpoint.
std::string stage_needs_resnet(const CliOptions& o);

}  // namespace ks
