#include "image/downscale.h"

#include <algorithm>
#include <cmath>
#include <omp.h>
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
// Threads take contiguous bands of output rows; a source row on a band's border is
// reduced by both bands, and every output row still sums its source rows in the same
// order, so the result does not depend on the thread count.
template <int CH>
std::vector<float> reduce(const std::vector<float>& src, int w, int h, int ow, int oh) {
    const Taps tx = box_taps(w, ow), ty = box_taps(h, oh);
    const size_t orow = static_cast<size_t>(ow) * CH;
    std::vector<float> dst(orow * oh, 0.0f);
#pragma omp parallel if (static_cast<size_t>(w) * h > (size_t(1) << 20))
    {
        const int nt = omp_get_num_threads(), t = omp_get_thread_num();
        const int oy0 = static_cast<int>(static_cast<long long>(oh) * t / nt);
        const int oy1 = static_cast<int>(static_cast<long long>(oh) * (t + 1) / nt);
        std::vector<float> tmp(orow);
        if (oy0 < oy1) {
            const int y0 = ty.idx[ty.start[oy0]], y1 = ty.idx[ty.start[oy1] - 1] + 1;
            // The output rows of this band each source row feeds: ty's taps are in
            // increasing source order per output row, and output rows in order.
            int first = oy0;  // the lowest output row still open
            for (int y = y0; y < y1; ++y) {
                const float* in = src.data() + static_cast<size_t>(y) * w * CH;
                bool reduced = false;
                for (int oy = first; oy < oy1; ++oy) {
                    const int k0 = ty.start[oy], k1 = ty.start[oy + 1];
                    if (ty.idx[k0] > y) break;  // this and later output rows start below y
                    for (int k = k0; k < k1; ++k) {
                        if (ty.idx[k] != y) continue;
                        if (!reduced) {
                            for (int x = 0; x < ow; ++x) {
                                float acc[CH] = {};
                                for (int j = tx.start[x]; j < tx.start[x + 1]; ++j) {
                                    const float wt = tx.w[j];
                                    const float* p = in + static_cast<size_t>(tx.idx[j]) * CH;
                                    for (int c = 0; c < CH; ++c) acc[c] += wt * p[c];
                                }
                                for (int c = 0; c < CH; ++c) tmp[x * CH + c] = acc[c];
                            }
                            reduced = true;
                        }
                        float* out = dst.data() + orow * oy;
                        const float wt = ty.w[k];
                        for (size_t i = 0; i < orow; ++i) out[i] += wt * tmp[i];
                    }
                    if (ty.idx[k1 - 1] <= y && oy == first) ++first;  // row oy has all its sources
                }
            }
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
