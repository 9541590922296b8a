#include "kernels/elementwise.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels/dispatch.h"
#include "kernels/vmath.h"

namespace ks::kernels {
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
void add_scaled_rows(const float* x, const float* t, const float* s, int rows, int d, float* y) {
    if (s) {
        for (int i = 0; i < rows; ++i) {
            const size_t o = static_cast<size_t>(i) * d;
#pragma omp simd
            for (int j = 0; j < d; ++j) y[o + j] = x[o + j] + s[j] * t[o + j];
        }
    } else {
        const size_t n = static_cast<size_t>(rows) * d;
#pragma omp simd
        for (size_t i = 0; i < n; ++i) y[i] = x[i] + t[i];
    }
}

KS_DISPATCH
bool all_finite(const float* x, size_t n) {
    uint32_t bad = 0;
#pragma omp simd reduction(| : bad)
    for (size_t i = 0; i < n; ++i) {
        uint32_t u;
        std::memcpy(&u, x + i, sizeof u);
        bad |= static_cast<uint32_t>((u & 0x7f800000u) == 0x7f800000u);
    }
    return bad == 0;
}

void broadcast_rows(float* y, const float* b, int rows, int d) {
    for (int i = 0; i < rows; ++i) std::memcpy(y + static_cast<size_t>(i) * d, b, sizeof(float) * d);
}

}  // namespace ks::kernels
