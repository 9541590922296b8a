#include "vit/vit_pos_embed.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "io/input_error.h"

namespace ks {
namespace {

constexpr double kA = -0.75;  // PyTorch's cubic convolution constant

// Keys' cubic convolution weights for the four taps around a fractional offset t.
void cubic_weights(double t, double w[4]) {
    auto near = [](double x) { return ((kA + 2) * x - (kA + 3)) * x * x + 1; };          // |x| <= 1
    auto far = [](double x) { return ((kA * x - 5 * kA) * x + 8 * kA) * x - 4 * kA; };  // 1 < |x| < 2
    w[0] = far(t + 1);
    w[1] = near(t);
    w[2] = near(1 - t);
    w[3] = far(2 - t);
}

// For each output index: the first tap and its four weights (align_corners=False:
// src = (dst + 0.5) * in / out - 0.5, not clamped, as torch does for cubic).
struct PosTaps {
    std::vector<int> idx;      // 4 per output, clamped into [0, in)
    std::vector<double> w;     // 4 per output
};

PosTaps make_taps(int in, int out) {
    PosTaps t;
    t.idx.resize(static_cast<size_t>(out) * 4);
    t.w.resize(static_cast<size_t>(out) * 4);
    const double scale = static_cast<double>(in) / out;
    for (int o = 0; o < out; ++o) {
        const double s = (o + 0.5) * scale - 0.5;
        const double f = std::floor(s);
        cubic_weights(s - f, &t.w[static_cast<size_t>(o) * 4]);
        for (int k = 0; k < 4; ++k)
            t.idx[static_cast<size_t>(o) * 4 + k] = std::clamp(static_cast<int>(f) - 1 + k, 0, in - 1);
    }
    return t;
}

}  // namespace

std::vector<float> resample_pos_grid(const std::vector<float>& src, int gh, int gw, int dim, int new_h, int new_w) {
    if (gh <= 0 || gw <= 0 || dim <= 0 || new_h <= 0 || new_w <= 0 ||
        src.size() != static_cast<size_t>(gh) * static_cast<size_t>(gw) * static_cast<size_t>(dim))
        throw InputError("The position embedding holds " + std::to_string(src.size()) + " values, not a " +
                         std::to_string(gh) + "x" + std::to_string(gw) + " grid of " + std::to_string(dim) + ".");
    if (gh == new_h && gw == new_w) return src;
    const PosTaps ty = make_taps(gh, new_h), tx = make_taps(gw, new_w);
    std::vector<float> out(static_cast<size_t>(new_h) * new_w * dim);
    std::vector<double> acc(static_cast<size_t>(dim));
    for (int oy = 0; oy < new_h; ++oy) {
        for (int ox = 0; ox < new_w; ++ox) {
            std::fill(acc.begin(), acc.end(), 0.0);
            for (int a = 0; a < 4; ++a) {
                const int sy = ty.idx[static_cast<size_t>(oy) * 4 + a];
                const double wy = ty.w[static_cast<size_t>(oy) * 4 + a];
                for (int b = 0; b < 4; ++b) {
                    const int sx = tx.idx[static_cast<size_t>(ox) * 4 + b];
                    const double wxy = wy * tx.w[static_cast<size_t>(ox) * 4 + b];
                    const float* s = &src[(static_cast<size_t>(sy) * gw + sx) * dim];
                    for (int d = 0; d < dim; ++d) acc[d] += wxy * s[d];
                }
            }
            float* o = &out[(static_cast<size_t>(oy) * new_w + ox) * dim];
            for (int d = 0; d < dim; ++d) o[d] = static_cast<float>(acc[d]);
        }
    }
    return out;
}

}  // namespace ks
