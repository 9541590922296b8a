#include "analysis/specificity_kernels.h"

#include "analysis/measures.h"
#include "attention/similarity_attention.h"
#include "conv/filter_choice.h"
#include "image/patch_grid.h"

namespace ks {

KernelView OwnedKernels::view() const {
    KernelView v;
    v.kind = shape.kind;
    v.layers = shape.layers;
    v.heads = shape.heads;
    v.queries = shape.queries;
    v.tokens = shape.tokens;
    v.first_measured_query = shape.first_measured_query;
    v.data = data.data();
    return v;
}

std::vector<std::array<int, 2>> grid_centre_pixels(int width, int height, int grid_h, int grid_w) {
    std::vector<std::array<int, 2>> out;
    out.reserve(static_cast<size_t>(grid_h) * grid_w);
    for (int r = 0; r < grid_h; ++r)
        for (int c = 0; c < grid_w; ++c) out.push_back(patch_centre_pixel(width, height, grid_h, grid_w, r, c));
    return out;
}

KernelView attention_kernels(const AttentionSet& a) {
    KernelView v;
    v.kind = "attention";
    v.layers = a.layers;
    v.heads = a.heads;
    v.queries = a.tokens;
    v.tokens = a.tokens;
    v.first_measured_query = a.layout.num_prefix();
    v.data = a.data.data();
    return v;
}

OwnedKernels builtin_kernels(const Image& model_input) {
    const AttentionSet a = similarity_attention(model_input, SimilarityParams{});
    OwnedKernels k;
    k.shape = {"builtin", 1, 1, a.tokens, a.tokens, 0};
    k.data.assign(a.data.begin(), a.data.end());
    return k;
}

namespace {

// One conv kernel per query pixel, each as |w| / sum |w| (a distribution, like a row).
template <class KernelAt>
OwnedKernels conv_kernels(const std::string& kind, int taps, size_t queries, KernelAt kernel_at) {
    OwnedKernels k;
    k.shape = {kind, 1, 1, static_cast<int>(queries), taps, 0};
    k.data.reserve(queries * static_cast<size_t>(taps));
    for (size_t q = 0; q < queries; ++q) {
        const std::vector<float> w = abs_normalised(kernel_at(q));
        k.data.insert(k.data.end(), w.begin(), w.end());
    }
    return k;
}

}  // namespace

OwnedKernels bilateral_kernels(const Plane& lum, const std::vector<std::array<int, 2>>& queries, const BilateralParams& p) {
    const int side = 2 * p.radius + 1;
    return conv_kernels("bilateral", side * side, queries.size(),
                        [&](size_t q) { return bilateral_kernel_at(lum, queries[q][0], queries[q][1], p); });
}

OwnedKernels dynamic_kernels(const Plane& lum, const std::vector<std::array<int, 2>>& queries, const DynamicConvParams& p) {
    return conv_kernels("dynamic", p.k * p.k, queries.size(),
                        [&](size_t q) { return dynamic_kernel_at(lum, queries[q][0], queries[q][1], p); });
}

OwnedKernels fixed_conv_kernels(size_t queries, const std::string& filter) {
    // Built afresh at every query, as a data-agnostic kernel is: the same weights each time.
    const ConvKernel probe = fixed_filter(filter, 1.0f, {});
    return conv_kernels("fixed_conv", probe.size * probe.size * probe.channels, queries,
                        [&](size_t) { return fixed_filter(filter, 1.0f, {}); });
}

std::vector<KernelView> vit_specificity_kernels(const VitOutput& out, std::vector<OwnedKernels>& scratch) {
    const TokenLayout& g = out.attention.layout;
    const Plane lum = luminance(out.input);
    const auto queries = grid_centre_pixels(out.input.width, out.input.height, g.grid_h, g.grid_w);
    scratch.clear();
    scratch.push_back(builtin_kernels(out.input));
    scratch.push_back(bilateral_kernels(lum, queries));
    scratch.push_back(dynamic_kernels(lum, queries));
    scratch.push_back(fixed_conv_kernels(queries.size()));
    std::vector<KernelView> views = {attention_kernels(out.attention)};
    for (const OwnedKernels& k : scratch) views.push_back(k.view());
    return views;
}

std::vector<KernelShape> vit_specificity_shapes(const VitConfig& c) {
    const int n = static_cast<int>(c.prefix_names.size()) + c.grid_h * c.grid_w;
    const PatchGrid b = fit_patch_grid(c.image_w, c.image_h, SimilarityParams{}.patch);
    const int p = b.grid_h * b.grid_w, q = c.grid_h * c.grid_w;
    const BilateralParams bp;
    const DynamicConvParams dp;
    const ConvKernel f = fixed_filter(kSpecificityFixedFilter, 1.0f, {});
    return {{"attention", c.layers, c.heads, n, n, static_cast<int>(c.prefix_names.size())},
            {"builtin", 1, 1, p, p, 0},
            {"bilateral", 1, 1, q, (2 * bp.radius + 1) * (2 * bp.radius + 1), 0},
            {"dynamic", 1, 1, q, dp.k * dp.k, 0},
            {"fixed_conv", 1, 1, q, f.size * f.size * f.channels, 0}};
}

}  // namespace ks
