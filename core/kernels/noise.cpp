#include "kernels/noise.h"

#include <algorithm>
#include <cmath>

#include "kernels/dispatch.h"
#include "kernels/vmath.h"

namespace ks::kernels {

namespace {

// A 32-bit integer hash (Wellons' lowbias32): 32-bit multiplies vectorise on every ISA.
__attribute__((always_inline)) inline uint32_t mix32(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

// Acklam's inverse normal CDF. Both branches are computed and one is selected, so a
// loop over it has no branch (the tails, p < 0.02425 or > 0.97575, need a log).
__attribute__((always_inline)) inline float quantile_v(float p) {
    const float q = p - 0.5f, r = q * q;
    const float central = (((((-3.969683028665376e+01f * r + 2.209460984245205e+02f) * r - 2.759285104469687e+02f) * r +
                              1.383577518672690e+02f) * r - 3.066479806614716e+01f) * r + 2.506628277459239e+00f) * q /
                          (((((-5.447609879822406e+01f * r + 1.615858368580409e+02f) * r - 1.556989798598866e+02f) * r +
                             6.680131188771972e+01f) * r - 1.328068155288572e+01f) * r + 1.0f);
    const float pt = std::min(p, 1.0f - p);
    const float s = std::sqrt(-2.0f * log_v(pt));
    const float tail = (((((-7.784894002430293e-03f * s - 3.223964580411365e-01f) * s - 2.400758277161838e+00f) * s -
                          2.549732539343734e+00f) * s + 4.374664141464968e+00f) * s + 2.938163982698783e+00f) /
                       ((((7.784695709041462e-03f * s + 3.224671290700398e-01f) * s + 2.445134137142996e+00f) * s +
                         3.754408661907416e+00f) * s + 1.0f);
    const float lo = 0.02425f;
    return p < lo ? tail : p > 1.0f - lo ? -tail : central;
}

}  // namespace

float normal_quantile(float p) { return quantile_v(p); }

KS_DISPATCH
void add_gaussian_noise(float* v, size_t n, float sigma, uint32_t seed, uint32_t first) {
    const uint32_t key = mix32(seed * 0x9E3779B9u + 0x85EBCA6Bu);
    // GCC vectorises this loop at -O3 with -fno-math-errno (set for this file in
    // CMakeLists.txt: sqrt must not set errno); "omp simd" would stop it.
    for (size_t i = 0; i < n; ++i) {
        const uint32_t h = mix32((first + static_cast<uint32_t>(i)) ^ key);
        const float u = (static_cast<float>(h >> 8) + 0.5f) * (1.0f / 16777216.0f);  // in (0, 1), 24 bits
        v[i] = std::min(1.0f, std::max(0.0f, v[i] + sigma * quantile_v(u)));
    }
}

}  // namespace ks::kernels
