#pragma once
// A conv response over a small window of the input only: what the comparison view
// shows "around the query" for input A and input B, recomputed on the UI thread when
// the query moves (a whole-image response of a 12 MP photo would take too long).
// Each value equals the whole-image response at the same pixel (same reflect padding).
#include "conv/bilateral.h"
#include "conv/conv_filters.h"
#include "image/image.h"

namespace ks {

// The window [x0, x0 + w) x [y0, y0 + h) of correlate(x, k, kernel_channel); the window
// is clipped to the image (its size is what remains).
Plane correlate_window(const Plane& x, const ConvKernel& k, int x0, int y0, int w, int h, int kernel_channel = 0);
// The same window of bilateral_filter(x, p): every pixel's own kernel, built from x.
Plane bilateral_window(const Plane& x, const BilateralParams& p, int x0, int y0, int w, int h);

}  // namespace ks
