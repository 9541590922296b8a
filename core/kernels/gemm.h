#pragma once
// The matrix products of the ViT forward pass, row-major, PyTorch's weight layout.
// Backed by oneDNN (Debian libdnnl), its sgemm and its matmul primitive: their kernels
// are generated at run time for the CPU (AVX-512 / AVX2 / SSE4.1), and they thread
// with OpenMP, the same pool as the rest of kernelscope. Inside an OpenMP parallel
// region they run on the calling thread only, so pools never nest.
#include <memory>

namespace ks::kernels {

// C = alpha * A * op(B) + beta * C; A is m x k (lda), op(B) is k x n: B stored
// n x k (ldb) when trans_b, else k x n; C is m x n (ldc).
void sgemm(bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb, float beta,
           float* c, int ldc);

// y (m x out) = x (m x in) * W^T + bias, W stored [out][in]; bias may be null.
void linear(const float* x, int m, int in, const float* w, const float* bias, int out, float* y);

// W [out][in] once more, in the blocked layout oneDNN's matmul reads fastest for
// `rows` rows, so linear_threaded need not repack W on every call (ViT-B: 2-3% of a
// forward pass). Empty when that layout is the plain one.
struct PackedBlob;
struct PackedWeights {
    int in = 0, out = 0;
    std::shared_ptr<const PackedBlob> blob;
    bool empty() const { return !blob; }
};
PackedWeights pack_weights(const float* w, int out, int in, int rows);

// The same product over all m rows at once, threaded by oneDNN itself (its brgemm
// matmul, which splits the work its own way). Call it outside a parallel region. For
// ViT-B's four products, 197 rows, two threads: 7-11% faster than each thread running
// sgemm on its own rows. With `packed` (W's packed copy) it reads that when its layout
// is the one chosen for m rows, else w. Safe to call from several threads at once.
// `then` is applied to each output inside the product's own pass (the MLP's activation).
enum class Activation { none, gelu_erf, gelu_tanh, quick_gelu };
void linear_threaded(const float* x, int m, int in, const float* w, const float* bias, int out, float* y,
                     const PackedWeights* packed = nullptr, Activation then = Activation::none);

const char* gemm_backend();

}  // namespace ks::kernels
