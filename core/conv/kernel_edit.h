#pragma once
// The edits the app offers on a user kernel (k x k weights, row-major), kept here so
// the editor's presets are tested without a window.
#include <vector>

#include "conv/conv_filters.h"

namespace ks {

// The weights as a k_new x k_new kernel with the same centre: a larger size pads with
// zeros, a smaller one keeps the middle. k_new must be odd and 1..31 (InputError).
std::vector<float> resized_kernel(const std::vector<float>& w, int k_new);
// Scaled so the weights sum to 1 (an average). Throws InputError when they sum to 0.
std::vector<float> normalised_to_sum1(const std::vector<float>& w);
// A bank kernel's weights (channel 0) as a starting point, at most k_max a side.
std::vector<float> copy_for_editing(const ConvKernel& k, int k_max);

}  // namespace ks
