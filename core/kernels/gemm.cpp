#include "kernels/gemm.h"

#include <stdexcept>
#include <string>

#include <oneapi/dnnl/dnnl.h>

#include "kernels/elementwise.h"

namespace ks::kernels {

void sgemm(bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb, float beta,
           float* c, int ldc) {
    const dnnl_status_t s = dnnl_sgemm('N', trans_b ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    if (s != dnnl_success) throw std::runtime_error("oneDNN sgemm failed (status " + std::to_string(s) + ")");
}

void linear(const float* x, int m, int in, const float* w, const float* bias, int out, float* y) {
    if (bias) broadcast_rows(y, bias, m, out);
    sgemm(true, m, out, in, 1.0f, x, in, w, in, bias ? 1.0f : 0.0f, y, out);
}

const char* gemm_backend() { return "oneDNN sgemm"; }

}  // namespace ks::kernels
