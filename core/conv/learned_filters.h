#pragma once
// A ViT's patch embedding is a stride-p convolution with D learned RGB kernels of
// p x p: fixed after training and the same for every image, i.e. the learned
// counterpart of the hand-made filter bank. This exposes them as ConvKernels.
#include <vector>

#include "conv/conv_filters.h"

namespace ks {

// `w` is the patch-embedding weight [D][3][p][p]; one ConvKernel per output
// channel, named "patch_embed[c]", channels = 3, size = p.
std::vector<ConvKernel> learned_patch_filters(const std::vector<float>& w, int dim, int patch);

}  // namespace ks
