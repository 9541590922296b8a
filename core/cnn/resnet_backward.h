#pragma once
// The effective kernel of a ResNet at a query (DESIGN.md, model 4): with the ReLU
// and max-pool gates of one forward pass fixed, the network is linear in its input,
// so g = d (sum_c y_s[c, row, col]) / d x is the kernel it applies there. Computed
// by a hand-written backward pass (no autograd): conv -> W^T GEMM + col2im, folded
// BatchNorm is inside the conv weights, ReLU and max-pool route the gradient through
// the gates the forward pass kept. Only the query's receptive field is computed.
#include <vector>

#include "cnn/resnet_forward.h"

namespace ks {

// `stage` 1..4 (layer1..layer4); (row, col) on that stage's grid, else InputError.
// `f` must come from resnet_forward with keep_gates and last_stage >= stage.
// Returns g as [3][H][W] over the normalised input.
std::vector<float> effective_kernel(const ResnetWeights& w, const ResnetForward& f, int stage, int row, int col);

}  // namespace ks
