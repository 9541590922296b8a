#pragma once
// The matrix products of the ViT forward pass, row-major, PyTorch's weight layout.
// Backed by oneDNN's sgemm (Debian libdnnl): its kernels are generated at run time
// for the CPU (AVX-512 / AVX2 / SSE4.1), and it threads with OpenMP, the same pool
// as the rest of kernelscope. Inside an OpenMP parallel region it runs on the
// calling thread only, so pools never nest.
namespace ks::kernels {

// C = alpha * A * op(B) + beta * C; A is m x k (lda), op(B) is k x n: B stored
// n x k (ldb) when trans_b, else k x n; C is m x n (ldc).
void sgemm(bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb, float beta,
           float* c, int ldc);

// y (m x out) = x (m x in) * W^T + bias, W stored [out][in]; bias may be null.
void linear(const float* x, int m, int in, const float* w, const float* bias, int out, float* y);

const char* gemm_backend();

}  // namespace ks::kernels
