#include "analysis/resnet_specificity.h"

#include "attention/similarity_attention.h"
#include "cnn/resnet_cost.h"
#include "io/input_error.h"
#include "conv/filter_choice.h"
#include "image/patch_grid.h"

namespace ks {

ResnetRun resnet_analysis_run(const ResnetModel& m, const Image& image, VitResize mode, int size) {
    if (image.empty()) throw InputError("Cannot run the model on an empty image.");
    const ResnetInput in;
    check_resnet_cost(m.weights, size, size);
    // The ViT path's preprocessing at size x size (run_resnet's own for a crop), so both
    // resize modes give every image the same input shape.
    VitInput v = preprocess_vit(image, size, size, mode, in.mean, in.std);
    ResnetRun r;
    r.input = std::move(v.shown);
    r.chw = std::move(v.chw);
    r.forward = resnet_forward(m.weights, r.chw, r.input.height, r.input.width, kResnetStages, true);
    return r;
}

std::vector<KernelView> resnet_specificity_kernels(const ResnetModel& m, const ResnetRun& run, std::vector<OwnedKernels>& scratch,
                                                   const std::atomic<bool>* cancel) {
    EffectiveKernelSet set = effective_kernel_set(m, run, kResnetQueryCells, {}, cancel);
    const Plane lum = luminance(run.input);
    const Feature& s4 = run.forward.stages[kResnetStages - 1];
    const auto queries = resnet_query_pixels(s4.h, s4.w, run.input.width, run.input.height);
    scratch.clear();
    scratch.push_back(builtin_kernels(run.input));
    OwnedKernels ek;
    ek.shape = shape_of(set.view());
    ek.data = std::move(set.data);
    scratch.push_back(std::move(ek));
    scratch.push_back(bilateral_kernels(lum, queries));
    scratch.push_back(dynamic_kernels(lum, queries));
    scratch.push_back(fixed_conv_kernels(queries.size()));
    std::vector<KernelView> views;
    for (const OwnedKernels& k : scratch) views.push_back(k.view());
    return views;
}

std::vector<KernelShape> resnet_specificity_shapes(int size) {
    const PatchGrid b = fit_patch_grid(size, size, SimilarityParams{}.patch);
    const int p = b.grid_h * b.grid_w, q = kResnetQueryCells * kResnetQueryCells;
    const BilateralParams bp;
    const DynamicConvParams dp;
    const ConvKernel f = fixed_filter(kSpecificityFixedFilter, 1.0f, {});
    return {{"builtin", 1, 1, p, p, 0},
            {"effective_kernel", kResnetStages, 1, q, size * size, 0},
            {"bilateral", 1, 1, q, (2 * bp.radius + 1) * (2 * bp.radius + 1), 0},
            {"dynamic", 1, 1, q, dp.k * dp.k, 0},
            {"fixed_conv", 1, 1, q, f.size * f.size * f.channels, 0}};
}

}  // namespace ks
