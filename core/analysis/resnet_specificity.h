#pragma once
// The kernels data specificity measures for a ResNet (`kernelscope analyze` with a ResNet
// checkpoint), in data_specificity.csv's order:
//   builtin           as for a ViT: its rows on the model input, [1, 1, P, P];
//   effective_kernel  per stage, |g| normalised over the input's pixels at a 3 x 3 grid
//                     of query cells (analysis/effective_kernel_set.h), [4, 1, 9, H*W];
//   bilateral,        at the input pixels of the 9 layer4 query cells' centres
//   dynamic,          (resnet_query_pixels), |w| normalised, [1, 1, 9, k * k].
//   fixed_conv
// Every image is brought to a square model input of `size` pixels as for a ViT (the
// shorter side resized then centre-cropped, or the whole image resized), so every image
// has kernels of the same shape.
#include <atomic>
#include <vector>

#include "analysis/effective_kernel_set.h"
#include "analysis/specificity_kernels.h"
#include "image/model_input.h"

namespace ks {

// The forward pass analyze runs on one image (gates kept, through layer4).
ResnetRun resnet_analysis_run(const ResnetModel& m, const Image& image, VitResize mode, int size);

// One image's kernels of every kind; `scratch` holds them (the views point into it).
// Throws Cancelled when *cancel becomes true between backward passes.
std::vector<KernelView> resnet_specificity_kernels(const ResnetModel& m, const ResnetRun& run, std::vector<OwnedKernels>& scratch,
                                                   const std::atomic<bool>* cancel = nullptr);
// Their shapes at a size x size input (before any image: the sums are allocated from these).
std::vector<KernelShape> resnet_specificity_shapes(int size);

}  // namespace ks
