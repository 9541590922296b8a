#pragma once
// Cross-correlation as deep-learning frameworks define it: y(p) = sum_u w(u) x(p+u),
// same-size output, reflect padding (mirror without repeating the edge, as numpy's
// 'reflect' and PyTorch's padding_mode='reflect').
#include "conv/conv_filters.h"
#include "image/image.h"

namespace ks {

enum class ConvMode { Luminance, PerChannel };

// Reflect an index into [0, n); works for any offset (repeats the reflection).
int reflect_index(int i, int n);
// The window (x0, y0, w, h) of x with r pixels of reflect padding on every side, as a
// (w + 2r) x (h + 2r) plane: what the data-dependent filters read, so their inner
// loops run along padded rows without index arithmetic.
Plane padded_window(const Plane& x, int r, int x0, int y0, int w, int h);

Plane correlate(const Plane& x, const ConvKernel& k, int kernel_channel = 0);
// Luminance: one plane out. PerChannel: each RGB channel filtered with the same kernel.
Image correlate_rgb(const Image& x, const ConvKernel& k);

}  // namespace ks
