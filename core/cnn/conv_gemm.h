#pragma once
// The two convolution primitives a ResNet needs, as matrix products (im2col + GEMM):
// the forward y = W * cols(x) + b, and the gradient with respect to the input,
// dx = col2im(W^T * dy). Weights are [out][in][k][k] row-major as PyTorch stores
// them, activations [C][H][W]. No weight gradients: the effective kernel only needs
// d y / d x.
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

// Rows [y0, y1) and columns [x0, x1) of a plane: where a gradient can be nonzero.
// The backward pass of one query only touches its receptive field, so it carries
// this box along and multiplies only the columns inside it.
struct Box {
    int y0 = 0, y1 = 0, x0 = 0, x1 = 0;
    int area() const { return (y1 - y0) * (x1 - x0); }
};

struct ConvGeom {
    int out = 0, in = 0, k = 1, stride = 1, pad = 0;
    int out_size(int n) const { return (n + 2 * pad - k) / stride + 1; }
};

// y = conv(x, w) + b (b per output channel, may be empty).
Feature conv_forward(const Feature& x, const ConvGeom& g, const std::vector<float>& w, const std::vector<float>& b);

// dx = col2im(W^T dy) for dy nonzero only inside `dy_box`. `wt` is the weight
// transposed, [in*k*k][out], so the product needs no transposed operand and its
// result comes out one row per (ci, ky, kx), the order col2im walks the input in.
// dx is sized like the input (in_h x in_w)
// and `dx_box` receives the box outside of which dx is exactly 0 (it may be the
// same object as dy_box, which is taken by value for that reason).
Feature conv_backward_input(const Feature& dy, Box dy_box, const ConvGeom& g, const std::vector<float>& wt, int in_h,
                            int in_w, Box* dx_box);

}  // namespace ks
