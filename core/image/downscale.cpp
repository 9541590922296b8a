#include "image/downscale.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace ks {

namespace {

// One output index's source taps along one axis: source index and weight (sum 1).
struct Taps {
    std::vector<int> start;     // per output: offset into idx / w
    std::vector<int> idx;
    std::vector<float> w;
};

// Output i covers the source interval [i * n / m, (i + 1) * n / m); every source
// pixel contributes its overlap with it, divided by the interval's length.
Taps box_taps(int n, int m) {
    Taps t;
    const double step = static_cast<double>(n) / m;
    t.start.reserve(m + 1);
    for (int i = 0; i < m; ++i) {
        t.start.push_back(static_cast<int>(t.idx.size()));
        const double a = i * step, b = (i + 1) * step;
        const int s0 = static_cast<int>(std::floor(a));
        const int s1 = std::min(n, static_cast<int>(std::ceil(b)));
        for (int s = s0; s < s1; ++s) {
            const double ov = std::min<double>(b, s + 1) - std::max<double>(a, s);
            if (ov <= 1e-12) continue;
            t.idx.push_back(s);
            t.w.push_back(static_cast<float>(ov / step));
        }
    }
    t.start.push_back(static_cast<int>(t.idx.size()));
    return t;
}

// Separable: box weights are a product of the x and y overlaps, so reducing each row
// then combining rows equals the 2-D area mean. Source rows are reduced once, in
// order, and added to the (one or two) output rows they overlap: no full-height
// intermediate, so a 12 MP photo is read once. CH interleaved channels per pixel.
template <int CH>
std::vector<float> reduce(const std::vector<float>& src, int w, int h, int ow, int oh) {
    const Taps tx = box_taps(w, ow), ty = box_taps(h, oh);
    // For each source row, the output rows it feeds and with which weight.
    std::vector<std::vector<std::pair<int, float>>> feeds(h);
    for (int oy = 0; oy < oh; ++oy)
        for (int k = ty.start[oy]; k < ty.start[oy + 1]; ++k) feeds[ty.idx[k]].emplace_back(oy, ty.w[k]);
    const size_t orow = static_cast<size_t>(ow) * CH;
    std::vector<float> dst(orow * oh, 0.0f), tmp(orow);
    for (int y = 0; y < h; ++y) {
        if (feeds[y].empty()) continue;
        const float* in = src.data() + static_cast<size_t>(y) * w * CH;
        for (int x = 0; x < ow; ++x) {
            float acc[CH] = {};
            for (int k = tx.start[x]; k < tx.start[x + 1]; ++k) {
                const float wt = tx.w[k];
                const float* p = in + static_cast<size_t>(tx.idx[k]) * CH;
                for (int c = 0; c < CH; ++c) acc[c] += wt * p[c];
            }
            for (int c = 0; c < CH; ++c) tmp[x * CH + c] = acc[c];
        }
        for (const auto& [oy, wt] : feeds[y]) {
            float* out = dst.data() + orow * oy;
            for (size_t i = 0; i < orow; ++i) out[i] += wt * tmp[i];
        }
    }
    return dst;
}

}  // namespace

void fit_size(int width, int height, int max_side, int* out_w, int* out_h) {
    if (max_side < 1) throw InputError("The display size must be at least 1 pixel.");
    const int longer = std::max(width, height);
    if (longer <= max_side) {
        *out_w = width;
        *out_h = height;
        return;
    }
    const double s = static_cast<double>(max_side) / longer;
    *out_w = std::clamp(static_cast<int>(std::lround(width * s)), 1, max_side);
    *out_h = std::clamp(static_cast<int>(std::lround(height * s)), 1, max_side);
}

Image downscale_to_fit(const Image& src, int max_side) {
    int ow = 0, oh = 0;
    fit_size(src.width, src.height, max_side, &ow, &oh);
    if (src.empty() || (ow == src.width && oh == src.height)) return src;
    Image out;
    out.width = ow;
    out.height = oh;
    out.rgb = reduce<3>(src.rgb, src.width, src.height, ow, oh);
    return out;
}

Plane downscale_to_fit(const Plane& src, int max_side) {
    int ow = 0, oh = 0;
    fit_size(src.width, src.height, max_side, &ow, &oh);
    if (src.width <= 0 || src.height <= 0 || (ow == src.width && oh == src.height)) return src;
    Plane out;
    out.width = ow;
    out.height = oh;
    out.v = reduce<1>(src.v, src.width, src.height, ow, oh);
    return out;
}

}  // namespace ks
