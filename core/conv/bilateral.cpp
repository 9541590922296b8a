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

// The plane with r pixels of reflect padding on every side (as correlate pads).
struct Padded {
    int w = 0, h = 0;
    std::vector<float> v;
};
Padded pad_reflect(const Plane& p, int r) {
    Padded o;
    o.w = p.width + 2 * r;
    o.h = p.height + 2 * r;
    o.v.resize(static_cast<size_t>(o.w) * o.h);
    std::vector<int> xs(static_cast<size_t>(o.w));
    for (int x = 0; x < o.w; ++x) xs[static_cast<size_t>(x)] = reflect_index(x - r, p.width);
    for (int y = 0; y < o.h; ++y) {
        const float* src = p.v.data() + static_cast<size_t>(reflect_index(y - r, p.height)) * p.width;
        float* dst = o.v.data() + static_cast<size_t>(y) * o.w;
        for (int x = 0; x < o.w; ++x) dst[x] = src[xs[static_cast<size_t>(x)]];
    }
    return o;
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

Plane joint_bilateral_filter(const Plane& guide, const Plane& x, const BilateralParams& p) {
    check_bilateral(p);
    if (guide.width != x.width || guide.height != x.height)
        throw InputError("The bilateral guide and the filtered plane differ in size.");
    const int r = p.radius, W = x.width, H = x.height;
    const std::vector<float> spatial = spatial_weights(r, p.sigma_s);
    const Padded g = pad_reflect(guide, r), xp = pad_reflect(x, r);
    const float inv = 1.0f / (2.0f * p.sigma_r * p.sigma_r);
    Plane y;
    y.width = W;
    y.height = H;
    y.v.assign(x.v.size(), 0.0f);
    // Rows in small blocks over the threads; each thread keeps its row's sums.
#pragma omp parallel
    {
        std::vector<float> sum(static_cast<size_t>(W)), acc(static_cast<size_t>(W));
#pragma omp for schedule(dynamic, 8)
        for (int py = 0; py < H; ++py)
            bilateral_row(g.v.data(), xp.v.data(), g.w, W, r, py, spatial.data(), inv, sum.data(), acc.data(),
                          y.v.data() + static_cast<size_t>(py) * W);
    }
    return y;
}

Plane bilateral_filter(const Plane& x, const BilateralParams& p) { return joint_bilateral_filter(x, x, p); }

Plane bilateral_filter(const Plane& x, int radius, float sigma_s, float sigma_r) {
    return bilateral_filter(x, BilateralParams{radius, sigma_s, sigma_r});
}

}  // namespace ks
