#pragma once
// A ResNet's activations as the rest of kernelscope sees them (stage outputs, the
// app's grid), and the geometry of one convolution.
#include <cstddef>
#include <vector>

namespace ks {

// A C x H x W activation (or its gradient), row-major.
struct Feature {
    int c = 0, h = 0, w = 0;
    std::vector<float> v;
    Feature() = default;
    Feature(int c_, int h_, int w_) : c(c_), h(h_), w(w_), v(static_cast<std::size_t>(c_) * h_ * w_, 0.0f) {}
    float* channel(int ch) { return v.data() + static_cast<std::size_t>(ch) * h * w; }
    const float* channel(int ch) const { return v.data() + static_cast<std::size_t>(ch) * h * w; }
};

struct ConvGeom {
    int out = 0, in = 0, k = 1, stride = 1, pad = 0;
    int out_size(int n) const { return (n + 2 * pad - k) / stride + 1; }
};

}  // namespace ks
