#pragma once
// The bilateral filter as a data-dependent convolution, y = f(x) * x: the kernel at
// pixel p is built from the input around p,
//   w_p(u) = exp(-|u|^2 / 2 sigma_s^2) * exp(-(x(p+u) - x(p))^2 / 2 sigma_r^2),
// over the (2r+1)^2 window with reflect padding (as correlate), normalised to sum 1.
// Like an attention row it is positive and normalised, and it changes with the input;
// unlike attention it is local. Luminance is 0..1, so sigma_r is on that scale.
#include "conv/conv_filters.h"
#include "image/image.h"

namespace ks {

struct BilateralParams {
    int radius = 3;          // window (2r+1) x (2r+1)
    float sigma_s = 2.0f;    // spatial sigma, pixels
    float sigma_r = 0.1f;    // range sigma, luminance units
};

constexpr int kMaxBilateralRadius = 15;   // k = 31, the largest kernel elsewhere too

// Throws InputError (one sentence) unless radius is 1..15 and both sigmas are finite and > 0.
void check_bilateral(const BilateralParams& p);

// The kernel at pixel (x, y) of `lum`; name "bilateral", size 2r+1, weights sum to 1.
ConvKernel bilateral_kernel_at(const Plane& lum, int x, int y, int radius, float sigma_s, float sigma_r);
ConvKernel bilateral_kernel_at(const Plane& lum, int x, int y, const BilateralParams& p);

// y(p) = sum_u w_p(u) x(p+u) at every pixel, w_p from x itself.
Plane bilateral_filter(const Plane& x, int radius, float sigma_s, float sigma_r);
Plane bilateral_filter(const Plane& x, const BilateralParams& p);
// The same kernels (taken from `guide`) applied to another plane `x` of the same size:
// how one data-dependent kernel acts on each colour channel alike.
Plane joint_bilateral_filter(const Plane& guide, const Plane& x, const BilateralParams& p);
// bilateral_filter(x, p) at the pixels of the window (x0, y0, w, h) only, which must lie
// inside x (InputError otherwise): equal to those pixels of the whole response.
Plane bilateral_filter_region(const Plane& x, const BilateralParams& p, int x0, int y0, int w, int h);

}  // namespace ks
