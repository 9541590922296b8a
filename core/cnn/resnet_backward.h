#pragma once
// The effective kernel of a ResNet at a query (README, "Real CNNs (ResNet)"): with the ReLU
// and max-pool gates of one forward pass fixed, the network is linear in its input,
// so g = d (sum_c y_s[c, row, col]) / d x is the kernel it applies there. Computed
// by a hand-written backward pass (no autograd): each conv's gradient with respect
// to its input (oneDNN's backward-data primitive; BatchNorm is folded into the conv
// weights), the ReLUs pass the gradient where their output was positive, and the
// max-pool sends it to the input it chose. While the gradient is still confined to a
// small box (the query's first blocks) it runs plain over that box instead
// (cnn/resnet_backward_local).
#include <vector>

#include "cnn/resnet_forward.h"

namespace ks {

// `stage` 1..4 (layer1..layer4); (row, col) on that stage's grid, else InputError.
// `f` must come from resnet_forward with keep_gates and last_stage >= stage.
// Returns g as [3][H][W] over the normalised input.
std::vector<float> effective_kernel(const ResnetWeights& w, const ResnetForward& f, int stage, int row, int col);

}  // namespace ks
