#include "cnn/effective_kernel.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace ks {
namespace {

// Per-pixel |g| summed over the three channels.
std::vector<double> pixel_mass(const std::vector<float>& g, int h, int w) {
    const size_t hw = static_cast<size_t>(h) * w;
    std::vector<double> m(hw, 0.0);
    for (int c = 0; c < 3; ++c)
        for (size_t i = 0; i < hw; ++i) m[i] += std::fabs(g[c * hw + i]);
    return m;
}

}  // namespace

void query_centre(int row, int col, int stride, double* cx, double* cy) {
    *cx = col * stride + (stride - 1) / 2.0;
    *cy = row * stride + (stride - 1) / 2.0;
}

EffectiveKernelReadouts kernel_readouts(const std::vector<float>& g, int h, int w, double cx, double cy) {
    EffectiveKernelReadouts r;
    r.centre_x = cx;
    r.centre_y = cy;
    double pos = 0;
    for (float v : g) {
        r.sum += v;
        r.abs_sum += std::fabs(v);
        if (v > 0) pos += v;
    }
    r.positive_share = r.abs_sum > 0 ? pos / r.abs_sum : 0.0;
    // Pixels by distance from the centre; the radius is reached when the mass inside
    // it first holds 95% of the total.
    const std::vector<double> m = pixel_mass(g, h, w);
    std::vector<std::pair<double, double>> by_dist;  // (distance, mass)
    by_dist.reserve(m.size());
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            if (m[static_cast<size_t>(y) * w + x] > 0) by_dist.emplace_back(std::hypot(x - cx, y - cy), m[static_cast<size_t>(y) * w + x]);
    std::sort(by_dist.begin(), by_dist.end());
    double acc = 0;
    for (const auto& [d, v] : by_dist) {
        acc += v;
        if (acc >= 0.95 * r.abs_sum) {
            r.radius95 = d;
            break;
        }
    }
    return r;
}

double effective_kernel_change(const std::vector<float>& g1, const std::vector<float>& g2, int h, int w) {
    const std::vector<double> a = pixel_mass(g1, h, w), b = pixel_mass(g2, h, w);
    double sa = 0, sb = 0;
    for (double v : a) sa += v;
    for (double v : b) sb += v;
    if (sa <= 0 || sb <= 0) return sa == sb ? 0.0 : 1.0;
    double tv = 0;
    for (size_t i = 0; i < a.size(); ++i) tv += std::fabs(a[i] / sa - b[i] / sb);
    return 0.5 * tv;
}

std::vector<float> effective_kernel_distribution(const std::vector<float>& g, int h, int w) {
    std::vector<float> out(static_cast<size_t>(std::max(0, h)) * std::max(0, w), 0.0f);
    if (out.empty() || g.size() != 3 * out.size()) return out;
    const std::vector<double> m = pixel_mass(g, h, w);
    double total = 0;
    for (double v : m) total += v;
    if (total > 0)
        for (size_t i = 0; i < m.size(); ++i) out[i] = static_cast<float>(m[i] / total);
    return out;
}

std::vector<float> kernel_mass_on_grid(const std::vector<float>& g, int h, int w, int grid_h, int grid_w, int stride) {
    std::vector<float> out(static_cast<size_t>(std::max(0, grid_h)) * std::max(0, grid_w), 0.0f);
    if (out.empty() || stride <= 0 || g.size() != static_cast<size_t>(3) * h * w) return out;
    const std::vector<double> m = pixel_mass(g, h, w);
    std::vector<double> acc(out.size(), 0.0);
    double total = 0;
    for (int y = 0; y < h; ++y) {
        const int r = std::min(grid_h - 1, y / stride);
        for (int x = 0; x < w; ++x) {
            const double v = m[static_cast<size_t>(y) * w + x];
            acc[static_cast<size_t>(r) * grid_w + std::min(grid_w - 1, x / stride)] += v;
            total += v;
        }
    }
    if (total > 0)
        for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(acc[i] / total);
    return out;
}

}  // namespace ks
