#pragma once
// A Vision Transformer's weights in one canonical form, whatever key layout the
// checkpoint used (timm / DINO / DeiT, Hugging Face ViT / DeiT / Dinov2,
// torchvision). The forward pass only ever sees this struct, so adding a layout
// means adding one mapping function, not touching the maths.
//
// Linear weights are kept as PyTorch stores them: [out][in], row-major.
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "kernels/gemm.h"

namespace ks {

// Sizes a checkpoint may have; anything larger (or zero) is refused when read.
constexpr int kMaxVitHidden = 16384;   // ViT-22B has 6144
constexpr int kMaxVitMlp = 1 << 17;
constexpr int kMaxVitPatch = 1024;
constexpr int kMaxVitPositionRows = 10000 + 256;

enum class VitLayout { Timm, HuggingFace, HuggingFaceDinov2, TorchVision };

// How the classifier reads the final tokens.
enum class VitPooling {
    Token,          // head(norm(x)[cls])  (timm default, HF ViT, torchvision)
    MeanPatches,    // head(fc_norm(mean of patch tokens))  (timm global_pool='avg')
    TokenAndMean,   // head([cls, mean of patch tokens])  (HF Dinov2ForImageClassification)
};

struct VitBlockWeights {
    std::vector<float> ln1_w, ln1_b;
    std::vector<float> qkv_w, qkv_b;   // [3D][D], [3D]: q, k, v stacked, heads contiguous in each
    std::vector<float> proj_w, proj_b; // [D][D], [D]
    std::vector<float> ln2_w, ln2_b;
    std::vector<float> fc1_w, fc1_b;   // [M][D], [M]
    std::vector<float> fc2_w, fc2_b;   // [D][M], [D]
    std::vector<float> ls1, ls2;       // [D] layer scale; empty = none
    // The four products' weights packed for the GEMM (vit_model.cpp); empty = read
    // the plain ones above.
    kernels::PackedWeights qkv_p, proj_p, fc1_p, fc2_p;
};

struct VitWeights {
    VitLayout layout = VitLayout::Timm;
    std::string layout_name;           // for the summary, e.g. "timm"
    std::string key_prefix;            // e.g. "vit." or "" — stripped from every key
    int hidden = 0;                    // D
    int patch = 0;                     // p (square patches)
    int mlp = 0;                       // M
    std::vector<float> patch_w;        // [D][3][p][p]
    std::vector<float> patch_b;        // [D] (zeros when the checkpoint has none)
    std::vector<float> cls;            // [D]; empty when the model has no class token
    std::vector<float> dist;           // [D]; DeiT distillation token, empty = none
    std::vector<float> reg;            // [R][D] register tokens, empty = none
    int registers = 0;                 // R
    std::vector<float> pos;            // [pos_tokens][D]
    int pos_tokens = 0;
    std::vector<VitBlockWeights> blocks;
    std::vector<float> norm_w, norm_b; // final LayerNorm; empty = identity
    VitPooling pooling = VitPooling::Token;
    std::vector<float> fc_norm_w, fc_norm_b;      // LayerNorm after mean pooling (timm avg pool)
    std::vector<float> pre_logits_w, pre_logits_b;  // torchvision representation layer (tanh), optional
    std::vector<float> head_w, head_b;  // [C][head_in]; empty = no classifier
    std::vector<float> head_dist_w, head_dist_b;  // DeiT distilled head
    int num_classes = 0;
    std::vector<std::string> ignored;  // checkpoint tensors not used (shown to the user)

    int num_prefix() const { return (cls.empty() ? 0 : 1) + (dist.empty() ? 0 : 1) + registers; }
};

// Detects the key layout and maps every tensor, checking shapes. Missing or
// misshapen tensors throw InputError naming the tensor as the checkpoint spells it.
VitWeights load_vit_weights(const SafetensorsFile& file);

}  // namespace ks
