#include "conv/bilateral.h"

#include <cmath>
#include <string>
#include <vector>

#include "conv/convolution.h"
#include "kernels/dispatch.h"
#include "kernels/vmath.h"

namespace ks {

namespace {

// exp(-|u|^2 / 2 sigma_s^2) over the window, row-major: the part of w_p that is the
// same at every p, computed once per filter.
std::vector<float> spatial_weights(int r, float sigma_s) {
    const int k = 2 * r + 1;
    std::vector<float> s(static_cast<size_t>(k) * k);
    for (int v = -r; v <= r; ++v)
        for (int u = -r; u <= r; ++u)
            s[(v + r) * k + (u + r)] = std::exp(-static_cast<float>(u * u + v * v) / (2.0f * sigma_s * sigma_s));
    return s;
}

void check_plane(const Plane& lum, int x, int y) {
    if (lum.width <= 0 || lum.height <= 0 || x < 0 || y < 0 || x >= lum.width || y >= lum.height)
        throw InputError("The pixel (" + std::to_string(x) + ", " + std::to_string(y) + ") is outside the " +
                         std::to_string(lum.width) + " x " + std::to_string(lum.height) + " image.");
}

// The unnormalised weights at (x, y) into w (k*k); returns their sum. The centre
// weight is exp(0) * exp(0) = 1, so the sum is >= 1 and never 0.
double weights_at(const Plane& g, int x, int y, int r, float sigma_r, const std::vector<float>& spatial, float* w) {
    const int k = 2 * r + 1;
    const float centre = g.at(x, y);
    const float inv = 1.0f / (2.0f * sigma_r * sigma_r);
    double sum = 0;
    for (int v = -r; v <= r; ++v) {
        const float* row = g.v.data() + static_cast<size_t>(reflect_index(y + v, g.height)) * g.width;
        for (int u = -r; u <= r; ++u) {
            const float d = row[reflect_index(x + u, g.width)] - centre;
            const int i = (v + r) * k + (u + r);
            w[i] = spatial[i] * std::exp(-d * d * inv);
            sum += w[i];
        }
    }
    return sum;
}

// One output row: for each window offset, a vector pass along the row (weights from
// the padded guide g, values from the padded plane x, both pw wide), then acc / sum.
// The sum is >= 1 (the centre weight is exp(0) = 1), so the division is safe.
KS_DISPATCH
void bilateral_row(const float* g, const float* x, int pw, int W, int r, int py, const float* spatial, float inv,
                   float* sum, float* acc, float* out) {
    const int k = 2 * r + 1;
    const float* gc = g + static_cast<size_t>(py + r) * pw + r;
    for (int i = 0; i < W; ++i) sum[i] = acc[i] = 0.0f;
    for (int v = -r; v <= r; ++v) {
        const float* grow = g + static_cast<size_t>(py + r + v) * pw + r;
        const float* xrow = x + static_cast<size_t>(py + r + v) * pw + r;
        for (int u = -r; u <= r; ++u) {
            const float s = spatial[(v + r) * k + (u + r)];
            const float* gu = grow + u;
            const float* xu = xrow + u;
#pragma omp simd
            for (int i = 0; i < W; ++i) {
                const float d = gu[i] - gc[i];
                const float w = s * kernels::exp_v(-d * d * inv);
                sum[i] += w;
                acc[i] += w * xu[i];
            }
        }
    }
#pragma omp simd
    for (int i = 0; i < W; ++i) out[i] = acc[i] / sum[i];
}

}  // namespace

void check_bilateral(const BilateralParams& p) {
    if (p.radius < 1 || p.radius > kMaxBilateralRadius)
        throw InputError("The bilateral radius must be a whole number from 1 to " + std::to_string(kMaxBilateralRadius) +
                         " (got " + std::to_string(p.radius) + ").");
    // Bounded below so 2 sigma^2 cannot underflow to 0 (exp(-0/0) = NaN) and above so it stays finite.
    if (!(p.sigma_s >= 0.1f && p.sigma_s <= 1000.0f))
        throw InputError("The bilateral sigma_s must be a number from 0.1 to 1000 pixels.");
    if (!(p.sigma_r >= 1e-3f && p.sigma_r <= 1000.0f))
        throw InputError("The bilateral sigma_r must be a number from 0.001 to 1000.");
}

ConvKernel bilateral_kernel_at(const Plane& lum, int x, int y, int radius, float sigma_s, float sigma_r) {
    check_bilateral({radius, sigma_s, sigma_r});
    check_plane(lum, x, y);
    ConvKernel k;
    k.name = "bilateral";
    k.size = 2 * radius + 1;
    k.w.resize(static_cast<size_t>(k.size) * k.size);
    const double sum = weights_at(lum, x, y, radius, sigma_r, spatial_weights(radius, sigma_s), k.w.data());
    for (float& v : k.w) v = static_cast<float>(v / sum);
    return k;
}

ConvKernel bilateral_kernel_at(const Plane& lum, int x, int y, const BilateralParams& p) {
    return bilateral_kernel_at(lum, x, y, p.radius, p.sigma_s, p.sigma_r);
}

namespace {

// The filter over the window (x0, y0, w, h), which lies inside the planes: the padded
// window, then rows in small blocks over the threads (each keeps its row's sums).
// Every output pixel sees the same values in the same order as in the whole-image
// pass, so a window equals the same pixels of the whole response exactly.
Plane joint_bilateral_region(const Plane& guide, const Plane& x, const BilateralParams& p, int x0, int y0, int w,
                             int h) {
    const int r = p.radius;
    const std::vector<float> spatial = spatial_weights(r, p.sigma_s);
    const Plane g = padded_window(guide, r, x0, y0, w, h);
    const Plane xp = &guide == &x ? Plane{} : padded_window(x, r, x0, y0, w, h);
    const float* xv = &guide == &x ? g.v.data() : xp.v.data();
    const float inv = 1.0f / (2.0f * p.sigma_r * p.sigma_r);
    Plane y;
    y.width = w;
    y.height = h;
    y.v.assign(static_cast<size_t>(w) * h, 0.0f);
#pragma omp parallel if (static_cast<size_t>(w) * h > 4096)
    {
        std::vector<float> sum(static_cast<size_t>(w)), acc(static_cast<size_t>(w));
#pragma omp for schedule(dynamic, 8)
        for (int py = 0; py < h; ++py)
            bilateral_row(g.v.data(), xv, g.width, w, r, py, spatial.data(), inv, sum.data(), acc.data(),
                          y.v.data() + static_cast<size_t>(py) * w);
    }
    return y;
}

}  // namespace

Plane joint_bilateral_filter(const Plane& guide, const Plane& x, const BilateralParams& p) {
    check_bilateral(p);
    if (guide.width != x.width || guide.height != x.height)
        throw InputError("The bilateral guide and the filtered plane differ in size.");
    return joint_bilateral_region(guide, x, p, 0, 0, x.width, x.height);
}

Plane bilateral_filter_region(const Plane& x, const BilateralParams& p, int x0, int y0, int w, int h) {
    check_bilateral(p);
    if (x0 < 0 || y0 < 0 || w < 0 || h < 0 || x0 + w > x.width || y0 + h > x.height)
        throw InputError("The bilateral window lies outside the " + std::to_string(x.width) + " x " +
                         std::to_string(x.height) + " image.");
    return joint_bilateral_region(x, x, p, x0, y0, w, h);
}

Plane bilateral_filter(const Plane& x, const BilateralParams& p) { return joint_bilateral_filter(x, x, p); }

Plane bilateral_filter(const Plane& x, int radius, float sigma_s, float sigma_r) {
    return bilateral_filter(x, BilateralParams{radius, sigma_s, sigma_r});
}

}  // namespace ks
