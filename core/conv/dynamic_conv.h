#pragma once
// The dynamic conv: a data-dependent conv y = f(x) * x in its plainest form, beside
// the bilateral kernel. A fixed, seeded random conv f maps the input (luminance) to
// k*k channels; the kernel at pixel p is those k*k values at p, read as a k x k
// kernel, and
//   y(p) = sum_u kernel_p(u) x(p+u)           (cross-correlation, reflect padding).
// Unlike the bilateral kernel it is signed and unnormalised; like attention it is
// data-dependent (another input gives another kernel at the same pixel), and unlike
// attention it is local.
#include <cstdint>
#include <vector>

#include "conv/conv_filters.h"
#include "image/image.h"

namespace ks {

struct DynamicConvParams {
    int k = 5;               // the generated kernel is k x k (odd)
    int f_size = 3;          // f's own kernel size (odd): how much of the input around p shapes kernel_p
    uint32_t seed = 0;       // f's weights
};

constexpr int kMaxDynamicSize = 15;   // both k and f_size

// Throws InputError (one sentence) unless k and f_size are odd, 1..kMaxDynamicSize.
void check_dynamic_conv(const DynamicConvParams& p);

// f's weights, [k*k][f_size][f_size] row-major: uniform in +-sqrt(3)/f_size from a
// mt19937 seeded with `seed` (the same on every platform), so each generated tap has
// about the input's own scale.
std::vector<float> dynamic_conv_generator(const DynamicConvParams& p);

// The kernel at pixel (x, y) of `lum`: tap (v, u) = sum_{a,b} f[v*k+u][a][b] *
// lum(x + b - f/2, y + a - f/2) with reflect padding. Name "dynamic", size k.
ConvKernel dynamic_kernel_at(const Plane& lum, int x, int y, const DynamicConvParams& p);

// y over the whole plane, each pixel with its own kernel from `x` itself.
Plane dynamic_conv_filter(const Plane& x, const DynamicConvParams& p);
// The kernels from `guide` applied to another plane of the same size (a colour channel).
Plane joint_dynamic_conv_filter(const Plane& guide, const Plane& x, const DynamicConvParams& p);
// The window [x0, x0 + w) x [y0, y0 + h) of dynamic_conv_filter(x, p), clipped to the
// image; each value equals the whole-plane response at that pixel.
Plane dynamic_conv_window(const Plane& x, const DynamicConvParams& p, int x0, int y0, int w, int h);

}  // namespace ks
