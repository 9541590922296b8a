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

// log(x) for normal x > 0 by Cephes' logf (frexp by bit masks, a degree-8 polynomial
// about sqrt(1/2)..sqrt(2); about 1 ulp), branch-free so it vectorises.
inline float log_v(float x) {
    uint32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    int32_t e = static_cast<int32_t>((bits >> 23) & 0xffu) - 126;   // x = m 2^e, m in [0.5, 1)
    bits = (bits & 0x807fffffu) | 0x3f000000u;
    float m;
    std::memcpy(&m, &bits, sizeof m);
    const bool small = m < 0.707106781186547524f;
    e -= small ? 1 : 0;
    m = small ? m + m - 1.0f : m - 1.0f;
    const float z = m * m;
    float y = 7.0376836292e-2f;
    y = y * m - 1.1514610310e-1f;
    y = y * m + 1.1676998740e-1f;
    y = y * m - 1.2420140846e-1f;
    y = y * m + 1.4249322787e-1f;
    y = y * m - 1.6668057665e-1f;
    y = y * m + 2.0000714765e-1f;
    y = y * m - 2.4999993993e-1f;
    y = y * m + 3.3333331174e-1f;
    y = y * m * z;
    const float fe = static_cast<float>(e);
    y += -2.12194440e-4f * fe;
    y += -0.5f * z;
    return m + y + 0.693359375f * fe;
}

}  // namespace ks::kernels
