#include "cnn/conv_gemm.h"

#include <algorithm>

#include "kernels/gemm.h"

namespace ks {
namespace {

// The column matrix is built for a band of output rows at a time, so a large photo
// (--resize whole) never needs more than about this many floats at once.
constexpr size_t kColsBudget = size_t(1) << 23;  // 32 MiB

int rows_per_band(size_t rows_of_cols, int cols_per_out_row, int total_rows) {
    const size_t per_row = rows_of_cols * static_cast<size_t>(std::max(1, cols_per_out_row));
    return std::clamp(static_cast<int>(kColsBudget / std::max<size_t>(1, per_row)), 1, std::max(1, total_rows));
}

}  // namespace

// Matrix products go to oneDNN's sgemm (kernels/gemm.h), which is JIT-compiled for
// the CPU and threads itself; the gathers around it stay single-threaded, because on
// a loaded machine every extra OpenMP barrier waits for a descheduled thread.
Feature conv_forward(const Feature& x, const ConvGeom& g, const std::vector<float>& w, const std::vector<float>& b) {
    const int ho = g.out_size(x.h), wo = g.out_size(x.w);
    const int K = g.in * g.k * g.k, n_all = ho * wo;
    // y starts as the bias (one write pass, no zero fill) and the products add onto it.
    Feature y;
    y.c = g.out;
    y.h = ho;
    y.w = wo;
    y.v.reserve(static_cast<size_t>(g.out) * n_all);
    for (int c = 0; c < g.out; ++c) y.v.insert(y.v.end(), static_cast<size_t>(n_all), b.empty() ? 0.0f : b[c]);
    if (g.k == 1 && g.stride == 1 && g.pad == 0) {
        // A 1x1 convolution is already a matrix product over the pixels.
        kernels::sgemm(false, g.out, n_all, K, 1.0f, w.data(), K, x.v.data(), n_all, 1.0f, y.v.data(), n_all);
    } else {
        const int band = rows_per_band(K, wo, ho);
        std::vector<float> cols;
        for (int r0 = 0; r0 < ho; r0 += band) {
            const int r1 = std::min(ho, r0 + band), n = (r1 - r0) * wo;
            cols.resize(static_cast<size_t>(K) * n);
            for (int row = 0; row < K; ++row) {
                const int ci = row / (g.k * g.k), ky = (row / g.k) % g.k, kx = row % g.k;
                const float* src = x.channel(ci);
                float* dst = cols.data() + static_cast<size_t>(row) * n;
                for (int oy = r0; oy < r1; ++oy) {
                    const int iy = oy * g.stride - g.pad + ky;
                    float* d = dst + static_cast<size_t>(oy - r0) * wo;
                    if (iy < 0 || iy >= x.h) {
                        std::fill_n(d, wo, 0.0f);
                        continue;
                    }
                    const float* s = src + static_cast<size_t>(iy) * x.w;
                    for (int ox = 0; ox < wo; ++ox) {
                        const int ix = ox * g.stride - g.pad + kx;
                        d[ox] = (ix >= 0 && ix < x.w) ? s[ix] : 0.0f;
                    }
                }
            }
            // The band's output columns are strided by the full row length in y.
            kernels::sgemm(false, g.out, n, K, 1.0f, w.data(), K, cols.data(), n, 1.0f,
                           y.v.data() + static_cast<size_t>(r0) * wo, n_all);
        }
    }
    return y;
}

Feature conv_backward_input(const Feature& dy, const Box dy_box, const ConvGeom& g, const std::vector<float>& wt, int in_h,
                            int in_w, Box* dx_box) {
    Feature dx(g.in, in_h, in_w);
    Box ib;
    ib.y0 = std::max(0, dy_box.y0 * g.stride - g.pad);
    ib.x0 = std::max(0, dy_box.x0 * g.stride - g.pad);
    ib.y1 = std::min(in_h, (dy_box.y1 - 1) * g.stride - g.pad + g.k);
    ib.x1 = std::min(in_w, (dy_box.x1 - 1) * g.stride - g.pad + g.k);
    if (dx_box) *dx_box = ib;
    if (dy_box.area() <= 0) return dx;
    const int K = g.in * g.k * g.k, bw = dy_box.x1 - dy_box.x0;
    const int full = dy.h * dy.w;
    if (g.k == 1 && g.stride == 1 && g.pad == 0 && dy_box.area() == full) {
        // A 1x1 convolution over the whole plane: dx = W^T dy is the whole answer.
        kernels::sgemm(false, K, full, g.out, 1.0f, wt.data(), g.out, dy.v.data(), full, 0.0f, dx.v.data(), full);
        return dx;
    }
    const int band = rows_per_band(K, bw, dy_box.y1 - dy_box.y0);
    std::vector<float> dsub, dcols;
    for (int r0 = dy_box.y0; r0 < dy_box.y1; r0 += band) {
        const int r1 = std::min(dy_box.y1, r0 + band), n = (r1 - r0) * bw;
        // The gradient inside the box, one row per output channel.
        dsub.resize(static_cast<size_t>(g.out) * n);
        for (int c = 0; c < g.out; ++c)
            for (int oy = r0; oy < r1; ++oy)
                std::copy_n(dy.channel(c) + static_cast<size_t>(oy) * dy.w + dy_box.x0, bw,
                            dsub.data() + static_cast<size_t>(c) * n + static_cast<size_t>(oy - r0) * bw);
        dcols.resize(static_cast<size_t>(K) * n);
        kernels::sgemm(false, K, n, g.out, 1.0f, wt.data(), g.out, dsub.data(), n, 0.0f, dcols.data(), n);
        // col2im: row (ci, ky, kx) of dcols adds onto input channel ci, shifted by (ky, kx).
        for (int row = 0; row < K; ++row) {
            const int ci = row / (g.k * g.k), ky = (row / g.k) % g.k, kx = row % g.k;
            float* dst = dx.channel(ci);
            const float* s = dcols.data() + static_cast<size_t>(row) * n;
            for (int oy = r0; oy < r1; ++oy) {
                const int iy = oy * g.stride - g.pad + ky;
                if (iy < 0 || iy >= in_h) continue;
                float* d = dst + static_cast<size_t>(iy) * in_w;
                const float* sr = s + static_cast<size_t>(oy - r0) * bw;
                for (int ox = dy_box.x0; ox < dy_box.x1; ++ox) {
                    const int ix = ox * g.stride - g.pad + kx;
                    if (ix >= 0 && ix < in_w) d[ix] += sr[ox - dy_box.x0];
                }
            }
        }
    }
    return dx;
}

}  // namespace ks
