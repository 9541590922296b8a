#pragma once
// A ResNet's weights in one canonical form, whatever the checkpoint's key layout
// (torchvision and timm share the names conv1, bn1, layer1..layer4.{i}.conv1..3 /
// bn1..3 / downsample.0..1, fc; torchvision files also carry num_batches_tracked).
// BatchNorm is in eval mode, i.e. a fixed per-channel affine map, so it is folded
// into the convolution before it: conv(x, w * s) + (beta - mean * s) with
// s = gamma / sqrt(var + eps). The forward and backward passes only see this struct.
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "cnn/feature.h"
#include "io/safetensors.h"

namespace ks {

// A convolution without bias followed by eval-mode BatchNorm, folded.
struct ConvBn {
    ConvGeom geom;
    std::vector<float> w;   // [out][in][k][k], BatchNorm scale folded in
    std::vector<float> b;   // [out], BatchNorm shift
};

struct ResnetBlock {
    ConvBn conv1, conv2, conv3;  // conv3 only in a Bottleneck
    ConvBn down;                 // the projection shortcut (downsample.0 + .1)
    bool has_down = false;
    int out_channels() const;
};

struct ResnetWeights {
    std::string layout_name;      // "torchvision" or "timm"
    std::string key_prefix;       // e.g. "model." — stripped from every key
    bool bottleneck = false;      // Bottleneck (ResNet-50 and up) or BasicBlock (18, 34)
    ConvBn stem;                  // conv1 + bn1 (7x7, stride 2, pad 3)
    std::vector<float> stem_raw;  // conv1.weight as learned, without BatchNorm: what conv1.png shows
    std::array<std::vector<ResnetBlock>, 4> layers;
    std::vector<float> fc_w, fc_b;  // [classes][features]; empty = no classifier
    int num_classes = 0;
    int features = 0;             // channels of layer4's output
    float bn_eps = 1e-5f;
    std::vector<std::string> ignored;  // checkpoint tensors not used (num_batches_tracked left out)
    // oneDNN's primitives per input size (cnn/resnet_plan.h), built on first use.
    // Shared by copies, so the weights must not change once loaded.
    std::shared_ptr<struct ResnetPlanCache> plan_cache;

    // The configuration as read from the tensor shapes, e.g. "ResNet-50 (Bottleneck [3, 4, 6, 3], ...)".
    std::vector<std::string> describe() const;
    // The stride of layer s's output grid relative to the input (4, 8, 16, 32 for s = 1..4).
    static int stage_stride(int stage) { return 2 << stage; }
};

// True when the tensor names are those of a torchvision / timm ResNet
// ("[prefix]layer1.0.conv1.weight" and "[prefix]conv1.weight").
bool is_resnet_keys(const std::vector<std::string>& keys);

// The largest stem kernel read (torchvision's and timm's are 7 x 7).
constexpr int kMaxResnetStemKernel = 15;

// Maps and checks every tensor. Missing or misshapen tensors throw InputError naming
// the tensor as the checkpoint spells it, as the ViT loader does.
ResnetWeights load_resnet_weights(const SafetensorsFile& file);

}  // namespace ks
