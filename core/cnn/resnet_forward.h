#pragma once
// The ResNet forward pass at any input size (torchvision's ResNet in eval mode):
// stem conv + BN + ReLU + 3x3/2 max-pool, layer1..layer4, global average pool, fc.
// It keeps what the backward pass needs -- the ReLU gates and the max-pool's chosen
// inputs -- because at a given input the network is piecewise linear and those
// gates fix which linear piece it is on.
#include <array>
#include <cstdint>
#include <vector>

#include "cnn/conv_gemm.h"
#include "cnn/resnet_weights.h"

namespace ks {

// The gates of one residual block: 1 where a ReLU passed its input.
struct BlockGates {
    std::vector<uint8_t> relu1, relu2;  // after conv1 (and conv2 in a Bottleneck)
    std::vector<uint8_t> relu_out;      // after the residual addition
    int in_h = 0, in_w = 0;             // the block's input grid
    int mid_h = 0, mid_w = 0;           // the grid after the strided conv
};

struct ResnetGates {
    int input_h = 0, input_w = 0;
    int stem_h = 0, stem_w = 0;              // conv1's output grid
    std::vector<uint8_t> stem_relu;          // [C][stem_h][stem_w]
    std::vector<int32_t> pool_argmax;        // per pooled output: flat index into the stem plane it copied
    std::array<std::vector<BlockGates>, 4> blocks;
};

struct ResnetForward {
    std::array<Feature, 4> stages;   // outputs of layer1..layer4
    std::vector<float> logits;       // empty without a classifier or when stopped early
    ResnetGates gates;               // filled for the stages run
};

// `chw` is the normalised input [3][h][w]. `last_stage` (1..4) stops after that
// layer (no logits then); `keep_gates` is needed only for effective kernels.
ResnetForward resnet_forward(const ResnetWeights& w, const std::vector<float>& chw, int h, int w_px, int last_stage = 4,
                             bool keep_gates = true);

}  // namespace ks
