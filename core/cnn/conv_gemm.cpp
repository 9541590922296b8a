#include "cnn/conv_gemm.h"

#include <algorithm>

#include <Eigen/Dense>

namespace ks {
namespace {

using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using CMap = Eigen::Map<const Mat>;
using MMap = Eigen::Map<Mat>;

// The column matrix is built for a band of output rows at a time, so a large photo
// (--resize whole) never needs more than about this many floats at once.
constexpr size_t kColsBudget = size_t(1) << 23;  // 32 MiB

int rows_per_band(size_t rows_of_cols, int cols_per_out_row, int total_rows) {
    const size_t per_row = rows_of_cols * static_cast<size_t>(std::max(1, cols_per_out_row));
    return std::clamp(static_cast<int>(kColsBudget / std::max<size_t>(1, per_row)), 1, std::max(1, total_rows));
}

}  // namespace

Feature conv_forward(const Feature& x, const ConvGeom& g, const std::vector<float>& w, const std::vector<float>& b) {
    const int ho = g.out_size(x.h), wo = g.out_size(x.w);
    Feature y(g.out, ho, wo);
    const int K = g.in * g.k * g.k;
    const CMap W(w.data(), g.out, K);
    MMap Y(y.v.data(), g.out, static_cast<Eigen::Index>(ho) * wo);
    if (g.k == 1 && g.stride == 1 && g.pad == 0) {
        // A 1x1 convolution is already a matrix product over the pixels.
        Y.noalias() = W * CMap(x.v.data(), g.in, static_cast<Eigen::Index>(x.h) * x.w);
    } else {
        const int band = rows_per_band(K, wo, ho);
        Mat cols;
        for (int r0 = 0; r0 < ho; r0 += band) {
            const int r1 = std::min(ho, r0 + band), n = (r1 - r0) * wo;
            cols.resize(K, n);
#pragma omp parallel for schedule(static)
            for (int row = 0; row < K; ++row) {
                const int ci = row / (g.k * g.k), ky = (row / g.k) % g.k, kx = row % g.k;
                const float* src = x.channel(ci);
                float* dst = cols.row(row).data();
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
            Y.middleCols(static_cast<Eigen::Index>(r0) * wo, n).noalias() = W * cols;
        }
    }
    if (!b.empty())
        for (int c = 0; c < g.out; ++c) Y.row(c).array() += b[c];
    return y;
}

Feature conv_backward_input(const Feature& dy, const Box dy_box, const ConvGeom& g, const std::vector<float>& w, int in_h,
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
    const CMap W(w.data(), g.out, K);
    const int band = rows_per_band(K, bw, dy_box.y1 - dy_box.y0);
    Mat dsub, dcols;
    for (int r0 = dy_box.y0; r0 < dy_box.y1; r0 += band) {
        const int r1 = std::min(dy_box.y1, r0 + band), n = (r1 - r0) * bw;
        // The gradient inside the box, one row per output channel.
        dsub.resize(g.out, n);
        for (int c = 0; c < g.out; ++c)
            for (int oy = r0; oy < r1; ++oy)
                std::copy_n(dy.channel(c) + static_cast<size_t>(oy) * dy.w + dy_box.x0, bw,
                            dsub.row(c).data() + static_cast<size_t>(oy - r0) * bw);
        dcols.noalias() = W.transpose() * dsub;
        // col2im: each input channel gathers its own k*k rows, so channels run in parallel.
#pragma omp parallel for schedule(static)
        for (int ci = 0; ci < g.in; ++ci) {
            float* dst = dx.channel(ci);
            for (int ky = 0; ky < g.k; ++ky)
                for (int kx = 0; kx < g.k; ++kx) {
                    const float* s = dcols.row((ci * g.k + ky) * g.k + kx).data();
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
    }
    return dx;
}

}  // namespace ks
