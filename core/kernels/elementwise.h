#pragma once
// Element-wise kernels of the ViT forward pass, vectorised (and dispatched by CPU,
// see kernels/dispatch.h). Each works on a block of rows; callers parallelise over
// row blocks. Accuracy: a few float ulp against the libm / double reference.
#include <cstddef>

namespace ks::kernels {

// y[i] = LayerNorm(x[i]) * g + b for `rows` rows of length d (statistics in float,
// two passes: mean, then the variance of the centred values). y may equal x.
void layer_norm_rows(const float* x, float* y, int rows, int d, const float* g, const float* b, float eps);

// In place over rows x d values (row-major, contiguous), each after adding the bias
// b[j] (b may be null): the linear layer's bias folded into the activation's pass.
void gelu_erf(float* x, const float* b, int rows, int d);     // 0.5 x (1 + erf(x / sqrt 2))
void gelu_tanh(float* x, const float* b, int rows, int d);    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
void quick_gelu(float* x, const float* b, int rows, int d);   // x sigmoid(1.702 x)

// Row-wise softmax in place (max subtracted), rows of `cols` values `stride` apart.
void softmax_rows(float* x, int rows, int cols, size_t stride);

// y[i][j] = x[i][j] + s[j] * (t[i][j] + b[j]) (b may be null: 0, s null: 1) over rows
// x d, row-major, contiguous; y may be x. A residual addition with the bias of the
// linear layer that made t folded in.
void add_scaled_rows(const float* x, const float* t, const float* b, const float* s, int rows, int d, float* y);

// y[i][j] = b[j] for rows x d (the bias a GEMM then accumulates onto).
void broadcast_rows(float* y, const float* b, int rows, int d);

// Scalar references of the vector maths, for the tests.
float erf_approx(float x);
float exp_approx(float x);

}  // namespace ks::kernels
