#pragma once
// The ResNet forward pass at any input size (torchvision's ResNet in eval mode):
// stem conv + BN + ReLU + 3x3/2 max-pool, layer1..layer4, global average pool, fc.
// It can keep what the backward pass needs -- every ReLU's output and the max-pool's
// choices -- because at a given input the network is piecewise linear and those
// gates fix which linear piece it is on.
#include <array>
#include <memory>
#include <vector>

#include "cnn/feature.h"
#include "cnn/resnet_weights.h"

namespace ks {

struct ResnetTape;  // cnn/resnet_plan.h: the kept activations, in oneDNN's layouts

struct ResnetForward {
    std::array<Feature, 4> stages;     // outputs of layer1..layer4
    std::vector<float> logits;         // empty without a classifier or when stopped early
    std::shared_ptr<const ResnetTape> tape;  // the gates, when kept
    int stages_run = 0;
};

// `chw` is the normalised input [3][h][w]. `last_stage` (1..4) stops after that
// layer (no logits then); `keep_gates` is needed only for effective kernels.
ResnetForward resnet_forward(const ResnetWeights& w, const std::vector<float>& chw, int h, int w_px, int last_stage = 4,
                             bool keep_gates = true);

}  // namespace ks
