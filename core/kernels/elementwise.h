#pragma once
// Element-wise kernels of the ViT forward pass (its activation runs inside fc1's
// product, kernels/gemm.h), vectorised (and dispatched by CPU,
// see kernels/dispatch.h). Each works on a block of rows; callers parallelise over
// row blocks. Accuracy: a few float ulp against the libm / double reference.
#include <cstddef>

namespace ks::kernels {

// y[i] = LayerNorm(x[i]) * g + b for `rows` rows of length d (statistics in float,
// two passes: mean, then the variance of the centred values). y may equal x.
void layer_norm_rows(const float* x, float* y, int rows, int d, const float* g, const float* b, float eps);

// Row-wise softmax in place (max subtracted), rows of `cols` values `stride` apart.
void softmax_rows(float* x, int rows, int cols, size_t stride);

// y[i][j] = x[i][j] + s[j] * t[i][j] (s may be null: 1) over rows x d, row-major,
// contiguous; y may be x.
void add_scaled_rows(const float* x, const float* t, const float* s, int rows, int d, float* y);

// y[i][j] = b[j] for rows x d (the bias a GEMM then accumulates onto).
void broadcast_rows(float* y, const float* b, int rows, int d);

// True when no value of x[0..n) is infinite or NaN (a bit test on the exponent, so it
// vectorises; callers split long arrays over threads).
bool all_finite(const float* x, size_t n);

// Scalar reference of the vector exp, for the tests.
float exp_approx(float x);

}  // namespace ks::kernels
