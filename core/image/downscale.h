#pragma once
// Area-averaging (box) reduction for display: a 12 MP photo shown at window size
// needs at most a few megapixels, and averaging every source pixel that falls in an
// output pixel keeps fine texture (noise, edges) from aliasing the way point
// sampling or bilinear would at large factors.
#include "image/image.h"

namespace ks {

// Output size for fitting (width x height) so the longer side is at most max_side:
// unchanged when it already fits, else scaled with the aspect ratio kept (rounded,
// at least 1). Throws InputError for max_side < 1.
void fit_size(int width, int height, int max_side, int* out_w, int* out_h);

// Each output pixel is the area-weighted mean of the source pixels it covers
// (fractional coverage at the edges), so an integer factor gives exact box means.
// An image that already fits is returned unchanged.
Image downscale_to_fit(const Image& src, int max_side);
Plane downscale_to_fit(const Plane& src, int max_side);

}  // namespace ks
