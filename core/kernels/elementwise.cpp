#include "kernels/elementwise.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels/dispatch.h"
#include "kernels/vmath.h"

namespace ks::kernels {
namespace {

// erf(x) as a rational function of x (odd / even polynomials, the approximation
// TensorFlow and Eigen use), clamped to [-4, 4] where erf is 1 to float precision.
inline float erf_v(float x) {
    x = std::min(std::max(x, -4.0f), 4.0f);
    const float x2 = x * x;
    float p = -2.72614225801306e-10f;
    p = p * x2 + 2.77068142495902e-08f;
    p = p * x2 + -2.10102402082508e-06f;
    p = p * x2 + -5.69250639462346e-05f;
    p = p * x2 + -7.34990630326855e-04f;
    p = p * x2 + -2.95459980854025e-03f;
    p = p * x2 + -1.60960333262415e-02f;
    p = p * x;
    float q = -1.45660718464996e-05f;
    q = q * x2 + -2.13374055278905e-04f;
    q = q * x2 + -1.68282697438203e-03f;
    q = q * x2 + -7.37332916720468e-03f;
    q = q * x2 + -1.42647390514189e-02f;
    return p / q;
}

}  // namespace

float erf_approx(float x) { return erf_v(x); }
float exp_approx(float x) { return exp_v(x); }

KS_DISPATCH
void layer_norm_rows(const float* x, float* y, int rows, int d, const float* g, const float* b, float eps) {
    for (int i = 0; i < rows; ++i) {
        const float* xi = x + static_cast<size_t>(i) * d;
        float* yi = y + static_cast<size_t>(i) * d;
        float s = 0.0f;
#pragma omp simd reduction(+ : s)
        for (int j = 0; j < d; ++j) s += xi[j];
        const float mean = s / static_cast<float>(d);
        float v = 0.0f;
#pragma omp simd reduction(+ : v)
        for (int j = 0; j < d; ++j) {
            const float t = xi[j] - mean;
            v += t * t;
        }
        const float inv = 1.0f / std::sqrt(v / static_cast<float>(d) + eps);
#pragma omp simd
        for (int j = 0; j < d; ++j) yi[j] = (xi[j] - mean) * inv * g[j] + b[j];
    }
}

namespace {

// f(x + b[j]) in place over the rows; b may be null. Inlined into each dispatched caller.
template <class F>
inline void activate_rows(float* x, const float* b, int rows, int d, F f) {
    for (int i = 0; i < rows; ++i) {
        float* r = x + static_cast<size_t>(i) * d;
        if (b) {
#pragma omp simd
            for (int j = 0; j < d; ++j) r[j] = f(r[j] + b[j]);
        } else {
#pragma omp simd
            for (int j = 0; j < d; ++j) r[j] = f(r[j]);
        }
    }
}

}  // namespace

KS_DISPATCH
void gelu_erf(float* x, const float* b, int rows, int d) {
    activate_rows(x, b, rows, d, [](float v) { return 0.5f * v * (1.0f + erf_v(v * 0.70710678118654752f)); });
}

KS_DISPATCH
void gelu_tanh(float* x, const float* b, int rows, int d) {
    activate_rows(x, b, rows, d, [](float v) {
        const float u = 0.79788456080286536f * (v + 0.044715f * v * v * v);
        const float t = 1.0f - 2.0f / (exp_v(2.0f * u) + 1.0f);  // tanh(u)
        return 0.5f * v * (1.0f + t);
    });
}

KS_DISPATCH
void quick_gelu(float* x, const float* b, int rows, int d) {
    activate_rows(x, b, rows, d, [](float v) { return v / (1.0f + exp_v(-1.702f * v)); });
}

KS_DISPATCH
void softmax_rows(float* x, int rows, int cols, size_t stride) {
    for (int i = 0; i < rows; ++i) {
        float* r = x + static_cast<size_t>(i) * stride;
        float m = r[0];
        // Written as a comparison, not std::max (which returns a reference): GCC vectorises
        // only this form of the reduction (std::max left it scalar, a 4-cycle chain per value).
#pragma omp simd reduction(max : m)
        for (int j = 0; j < cols; ++j) m = r[j] > m ? r[j] : m;
        float s = 0.0f;
#pragma omp simd reduction(+ : s)
        for (int j = 0; j < cols; ++j) {
            const float e = exp_v(r[j] - m);
            r[j] = e;
            s += e;
        }
        const float inv = 1.0f / s;
#pragma omp simd
        for (int j = 0; j < cols; ++j) r[j] *= inv;
    }
}

KS_DISPATCH
void add_scaled_rows(const float* x, const float* t, const float* b, const float* s, int rows, int d, float* y) {
    for (int i = 0; i < rows; ++i) {
        const size_t o = static_cast<size_t>(i) * d;
        if (b && s) {
#pragma omp simd
            for (int j = 0; j < d; ++j) y[o + j] = x[o + j] + s[j] * (t[o + j] + b[j]);
        } else if (b) {
#pragma omp simd
            for (int j = 0; j < d; ++j) y[o + j] = x[o + j] + (t[o + j] + b[j]);
        } else if (s) {
#pragma omp simd
            for (int j = 0; j < d; ++j) y[o + j] = x[o + j] + s[j] * t[o + j];
        } else {
#pragma omp simd
            for (int j = 0; j < d; ++j) y[o + j] = x[o + j] + t[o + j];
        }
    }
}

void broadcast_rows(float* y, const float* b, int rows, int d) {
    for (int i = 0; i < rows; ++i) std::memcpy(y + static_cast<size_t>(i) * d, b, sizeof(float) * d);
}

}  // namespace ks::kernels
