#pragma once
// Vector-friendly maths for the kernels: inline, branch-free, no libm calls, so a
// loop that uses them vectorises (inside a KS_DISPATCH function, for each ISA).
#include <algorithm>
#include <cstdint>
#include <cstring>

namespace ks::kernels {

// exp(x) by Cephes' range reduction and degree-5 polynomial (about 1 ulp), written
// so the compiler vectorises it: no libm call, no branches. Inputs are clamped to
// [-87, 88]; softmax and GELU never need more.
inline float exp_v(float x) {
    x = std::min(std::max(x, -87.0f), 88.0f);
    // round(x / ln 2) by the 1.5 * 2^23 trick (exact in round-to-nearest; no floor()).
    const float fx = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
    const float r = (x - fx * 0.693359375f) + fx * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const float y = p * r * r + r + 1.0f;
    const int32_t bits = (static_cast<int32_t>(fx) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return y * scale;
}

}  // namespace ks::kernels
