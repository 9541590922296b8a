#pragma once
// The kernels data specificity measures (analysis/data_specificity.h), one producer per
// kind, each giving one image's kernels as a KernelView. A ViT run measures, in the
// order data_specificity.csv lists them:
//   attention   the model's softmax rows, [L, H, N, N], a view on VitOutput (no copy);
//               measured queries: the patch rows (num_prefix .. N-1);
//   builtin     the built-in similarity model at its defaults on the model-input image,
//               [1, 1, P, P] (its own 16 px patch grid), every patch query measured;
//   bilateral,  their kernels at the centres of the model's patch grid on the model
//   dynamic     input (luminance), at the app's defaults, |w| normalised to sum 1,
//               [1, 1, grid cells, k * k];
//   fixed_conv  the default fixed filter (sobel_x), |w| normalised, at the same queries:
//               the same kernel for every image, so its specificity is exactly 0.
// A ResNet's effective kernel joins through the same KernelView path.
#include <array>
#include <string>
#include <vector>

#include "analysis/data_specificity.h"
#include "attention/attention_set.h"
#include "conv/bilateral.h"
#include "conv/dynamic_conv.h"
#include "image/image.h"
#include "vit/vit_model.h"

namespace ks {

// Kernels a producer made (a view needs their storage to outlive it).
struct OwnedKernels {
    KernelShape shape;
    std::vector<float> data;   // [layers][heads][queries][tokens]
    KernelView view() const;
};

// The fixed conv used when the user has chosen none (core/compare's default).
inline const std::string kSpecificityFixedFilter = "sobel_x";

// The query pixels of the conv kinds: the centre of every cell of a grid_h x grid_w
// grid over a width x height image, row-major (conv/filter_choice's patch_centre_pixel).
std::vector<std::array<int, 2>> grid_centre_pixels(int width, int height, int grid_h, int grid_w);

KernelView attention_kernels(const AttentionSet& a);
OwnedKernels builtin_kernels(const Image& model_input);
OwnedKernels bilateral_kernels(const Plane& lum, const std::vector<std::array<int, 2>>& queries, const BilateralParams& p = {});
OwnedKernels dynamic_kernels(const Plane& lum, const std::vector<std::array<int, 2>>& queries, const DynamicConvParams& p = {});
OwnedKernels fixed_conv_kernels(size_t queries, const std::string& filter = kSpecificityFixedFilter);

// Every kind a ViT run measures, for one image's forward pass. `scratch` holds the
// model-free kinds' kernels; the views point into it and into `out.attention`.
std::vector<KernelView> vit_specificity_kernels(const VitOutput& out, std::vector<OwnedKernels>& scratch);
// Their shapes for a model (before any image: the sums are allocated from these).
std::vector<KernelShape> vit_specificity_shapes(const VitConfig& c);

}  // namespace ks
