#include "attention/view_extras.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "conv/convolution.h"

namespace ks {

std::vector<float> head_grid_rows(const AttentionSet& a, int query_token) {
    if (query_token < 0 || query_token >= a.tokens)
        throw InputError("Token " + std::to_string(query_token) + " does not exist; the model has " +
                         std::to_string(a.tokens) + " tokens.");
    const int np = a.layout.num_patches(), pre = a.layout.num_prefix();
    std::vector<float> out(static_cast<size_t>(a.layers) * a.heads * np);
    for (int l = 0; l < a.layers; ++l)
        for (int h = 0; h < a.heads; ++h) {
            const float* r = a.row(l, h, query_token) + pre;
            std::copy(r, r + np, out.begin() + (static_cast<size_t>(l) * a.heads + h) * np);
        }
    return out;
}

std::vector<unsigned char> attention_mass_mask(const float* w, int n, float t) {
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    // Stable, so ties keep the lower index: the mask is deterministic.
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return w[a] > w[b]; });
    std::vector<unsigned char> mask(n, 0);
    double total = 0.0;
    for (int i = 0; i < n && total < t; ++i) {
        mask[order[i]] = 1;
        total += w[order[i]];
    }
    return mask;
}

std::vector<unsigned char> heatmap_mass_mask(const std::vector<float>& heatmap, float t) {
    if (t <= 0) return std::vector<unsigned char>(heatmap.size(), 1);
    std::vector<float> w = heatmap;
    double s = 0;
    for (float v : w) s += v;
    for (float& v : w) v = s > 0 ? static_cast<float>(v / s) : 0.0f;
    return attention_mass_mask(w.data(), static_cast<int>(w.size()), t);
}

Image kernel_rgb(const ConvKernel& k) {
    float m = 0;
    for (float v : k.w) m = std::max(m, std::fabs(v));
    if (m == 0) m = 1;
    Image out;
    out.width = out.height = k.size;
    out.rgb.resize(static_cast<size_t>(k.size) * k.size * 3);
    for (int r = 0; r < k.size; ++r)
        for (int c = 0; c < k.size; ++c)
            for (int ch = 0; ch < 3; ++ch)
                out.at(c, r, ch) = 0.5f + 0.5f * k.at(r, c, k.channels == 3 ? ch : 0) / m;
    return out;
}

Plane kernel_response(const Image& x, const ConvKernel& k) {
    if (k.channels != 3) return correlate(luminance(x), k);
    Plane y;
    for (int c = 0; c < 3; ++c) {
        const Plane yc = correlate(channel(x, c), k, c);
        if (c == 0) y = yc;
        else
            for (size_t i = 0; i < y.v.size(); ++i) y.v[i] += yc.v[i];
    }
    return y;
}

Image normalised_image(const Image& x, const std::array<float, 3>& mean, const std::array<float, 3>& std) {
    Image out = x;
    for (size_t i = 0; i < out.rgb.size(); ++i) out.rgb[i] = (out.rgb[i] - mean[i % 3]) / std[i % 3];
    return out;
}

}  // namespace ks
