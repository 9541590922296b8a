#pragma once
// What one ResNet pass costs at an input size, from the checkpoint's shapes alone
// (io/cost_limits.h states the budget).
#include <array>

#include "cnn/resnet_weights.h"
#include "io/cost_limits.h"

namespace ks {

// The forward pass's multiply-adds and its memory: the weights as held (the plain copy,
// oneDNN's blocked copy and the backward's flipped one) and every activation the pass
// keeps for the backward pass, with room for oneDNN's channel padding.
PassCost resnet_pass_cost(const ResnetWeights& w, int height, int width);

// The (rows, cols) of layer1..layer4's output grids at an input of height x width.
std::array<std::array<int, 2>, 4> resnet_stage_grids(const ResnetWeights& w, int height, int width);

// Refuses (InputError) an input over the budget, naming the largest square size within it.
void check_resnet_cost(const ResnetWeights& w, int height, int width);

}  // namespace ks
