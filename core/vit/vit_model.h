#pragma once
// The one entry point the CLI and GUI use for real Vision Transformers.
//
//   ks::VitOverrides ov;                       // optional: heads, image size, mean, std
//   ks::VitModel m = ks::load_vit("dino/model.safetensors", "", ov);   // once; throws InputError
//   ks::VitOutput o = ks::run_vit(m, ks::load_image("cat.jpg"),
//                                 ks::VitResize::ShorterSideCrop, on_progress, &cancel_flag);
//   o.attention   -> views.h (query rows, rollout, ...), o.input -> draw heatmaps over it,
//   o.description -> the configuration as understood (with "assumed: ..." lines),
//   ks::learned_patch_filters(...) via m.filters() -> the filter bank.
//
// load_vit reads the weights (safetensors only), detects the key layout, reads
// config.json / preprocessor_config.json beside the weights (or `config_path`)
// and resolves the configuration. run_vit is const on the model and may run on a
// worker thread; it throws Cancelled when *cancel becomes true.
#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "attention/attention_set.h"
#include "conv/conv_filters.h"
#include "image/image.h"
#include "vit/vit_config.h"
#include "vit/vit_forward.h"
#include "image/model_input.h"
#include "vit/vit_weights.h"

namespace ks {

struct VitModel {
    std::string path;
    VitWeights weights;
    VitConfig config;
    // The patch-embedding kernels as RGB conv filters ("patch_embed[c]").
    std::vector<ConvKernel> filters() const;
};

struct VitOutput {
    AttentionSet attention;                        // [L][H][N][N] with the token layout
    int dim = 0;                                   // hidden size D
    std::vector<std::vector<float>> block_outputs; // per block [N][D] tokens (for the Fourier measure)
    std::vector<float> input_tokens;               // [N][D] tokens before block 0 (Fourier by sub-block)
    std::vector<std::vector<float>> msa_outputs;   // per block [N][D] tokens after the MSA residual addition
    std::vector<float> logits;                     // empty without a classifier head
    Image input;                                   // what the model saw, RGB 0..1, before normalisation
    std::vector<std::string> description;          // config as understood, assumptions included
};

VitModel load_vit(const std::string& weights_path, const std::string& config_path = "", const VitOverrides& ov = {});

VitOutput run_vit(const VitModel& m, const Image& image, VitResize mode, const ProgressFn& progress = {},
                  const std::atomic<bool>* cancel = nullptr);

// The top k (class index, logit) pairs, largest first.
std::vector<std::pair<int, float>> top_logits(const std::vector<float>& logits, int k = 5);

}  // namespace ks
