#pragma once
// The Vision Transformer forward pass (pre-norm blocks, as timm, Hugging Face and
// torchvision all implement it), recording what kernelscope shows: every layer's
// and head's softmax attention and every block's output tokens.
//
// It is a pure function of (weights, config, input), so it can run on a worker
// thread: `progress` is called with 0..1 after each stage and `cancel` is polled
// between heads; when it becomes true the pass throws ks::Cancelled.
#include <atomic>
#include <functional>
#include <stdexcept>
#include <vector>

#include "attention/attention_set.h"
#include "vit/vit_config.h"
#include "vit/vit_weights.h"

namespace ks {

struct Cancelled : std::runtime_error {
    Cancelled() : std::runtime_error("The model run was cancelled.") {}
};

using ProgressFn = std::function<void(float)>;

struct VitForwardResult {
    AttentionSet attention;                        // [L][H][N][N], N = prefix tokens then patches row-major
    int dim = 0;                                   // D
    std::vector<std::vector<float>> block_outputs; // per block: [N][D] row-major tokens after the block (after the MLP residual)
    std::vector<float> input_tokens;               // [N][D] tokens before block 0 (embedding + position)
    std::vector<std::vector<float>> msa_outputs;   // per block: [N][D] tokens after the attention (MSA) residual addition
    std::vector<float> logits;                     // empty when the checkpoint has no classifier
};

// Refuses runs whose attention set alone would exceed this (e.g. a large model at
// a large input): the user is told to use a smaller input size.
constexpr double kMaxAttentionBytes = 2.0 * 1024 * 1024 * 1024;

// `chw` is the normalised input [3][c.image_h][c.image_w]. Throws InputError when
// sizes disagree, Cancelled when cancelled.
VitForwardResult vit_forward(const VitWeights& w, const VitConfig& c, const std::vector<float>& chw,
                             const ProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace ks
