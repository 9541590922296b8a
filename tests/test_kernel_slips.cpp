// Tests that catch a slip in a hot kernel (issue 8): each one fails when the
// kernel's defining detail is dropped (softmax's max subtraction, the position
// code's weight lambda). LayerNorm's eps and GELU's erf are checked by the parity
// fixtures (tests/test_vit_parity.cpp), the three activations also in tests/test_gemm.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "attention/position_code.h"
#include "attention/similarity_attention.h"
#include "attention/softmax.h"
#include "image/patch_grid.h"
#include "kernels/elementwise.h"
#include "test_support.h"

using namespace ks;

// Logits near 100: exp(100) overflows float, so without the max subtraction every
// entry becomes inf / inf = NaN.
TEST(KernelSlips, SoftmaxOfLogitsNear100) {
    for (int cols : {3, 17, 197, 1029}) {  // below, across and above a vector width
        std::vector<float> row(static_cast<size_t>(2) * cols);
        for (int j = 0; j < cols; ++j) {
            row[j] = 100.0f - static_cast<float>(j % 5);          // 100, 99, 98, 97, 96, ...
            row[cols + j] = -100.0f + 0.25f * static_cast<float>(j % 7);
        }
        std::vector<double> want(row.size());
        for (int r = 0; r < 2; ++r) {
            double m = -1e300, s = 0;
            for (int j = 0; j < cols; ++j) m = std::max(m, static_cast<double>(row[r * cols + j]));
            for (int j = 0; j < cols; ++j) s += std::exp(row[r * cols + j] - m);
            for (int j = 0; j < cols; ++j) want[r * cols + j] = std::exp(row[r * cols + j] - m) / s;
        }
        softmax_rows(row.data(), 2, cols);
        for (size_t i = 0; i < row.size(); ++i) {
            ASSERT_TRUE(std::isfinite(row[i])) << "cols " << cols << " i " << i;
            EXPECT_NEAR(row[i], want[i], 1e-6 + 1e-5 * want[i]) << "cols " << cols << " i " << i;
        }
    }
}

// The position part of every built-in token is lambda times a unit vector.
TEST(KernelSlips, PositionPartOfEachTokenHasNormLambda) {
    const Image img = load_image(test::sample("coffee.png"));
    const PatchGrid grid = fit_patch_grid(img.width, img.height, 16);
    const Image fitted = resize_to_grid(img, grid);
    const int dpix = 16 * 16 * 3, dpos = 4 * kPositionFrequencies;
    for (float lambda : {0.25f, 1.0f, 3.0f}) {
        int d = 0;
        const std::vector<float> x = patch_tokens(fitted, grid, lambda, &d);
        ASSERT_EQ(d, dpix + dpos);
        const int n = grid.grid_h * grid.grid_w;
        ASSERT_EQ(x.size(), static_cast<size_t>(n) * d);
        for (int t = 0; t < n; ++t) {
            double s = 0;
            for (int j = 0; j < dpos; ++j) s += static_cast<double>(x[static_cast<size_t>(t) * d + dpix + j]) * x[static_cast<size_t>(t) * d + dpix + j];
            ASSERT_NEAR(std::sqrt(s), lambda, 1e-5 * lambda) << "token " << t << " lambda " << lambda;
        }
    }
    int d = 0;
    patch_tokens(fitted, grid, 0.0f, &d);
    EXPECT_EQ(d, dpix) << "lambda 0 appends no position code";
}

// The vectorised exp behind softmax (kernels/elementwise.h) against libm.
TEST(KernelSlips, VectorExpMatchesLibm) {
    float exp_rel = 0;
    for (float x = -80.0f; x <= 80.0f; x += 0.0137f) exp_rel = std::max(exp_rel, std::fabs(kernels::exp_approx(x) / std::exp(x) - 1.0f));
    EXPECT_LT(exp_rel, 1e-6f);
}

// LayerNorm in float against a double reference, with a large mean (cancellation).
TEST(KernelSlips, LayerNormMatchesDoubleReference) {
    const int d = 384;
    std::vector<float> x(d), g(d), b(d), y(d);
    for (int j = 0; j < d; ++j) {
        x[j] = 50.0f + std::sin(0.37f * j) * 3.0f;
        g[j] = 1.0f + 0.01f * (j % 7);
        b[j] = 0.1f * (j % 3);
    }
    kernels::layer_norm_rows(x.data(), y.data(), 1, d, g.data(), b.data(), 1e-2f);
    double mean = 0, var = 0;
    for (float v : x) mean += v;
    mean /= d;
    for (float v : x) var += (v - mean) * (v - mean);
    var /= d;
    for (int j = 0; j < d; ++j) EXPECT_NEAR(y[j], (x[j] - mean) / std::sqrt(var + 1e-2) * g[j] + b[j], 2e-5) << j;
}
