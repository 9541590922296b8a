#include "draw/effective_kernel_picture.h"

#include <algorithm>
#include <cmath>

#include "draw/colormap.h"
#include "io/input_error.h"

namespace ks {

Image effective_kernel_picture(const std::vector<float>& g, const Image& input, int row, int col, int stride, float opacity) {
    const int w = input.width, h = input.height;
    const size_t hw = static_cast<size_t>(w) * h;
    if (g.size() != 3 * hw) throw InputError("The effective kernel does not have the input's size.");
    std::vector<float> v(hw, 0.0f);
    for (int c = 0; c < 3; ++c)
        for (size_t i = 0; i < hw; ++i) v[i] += g[c * hw + i];
    // A few pixels dominate an effective kernel; the 99.5th percentile of |v| keeps
    // the rest of its support visible.
    std::vector<float> a(hw);
    for (size_t i = 0; i < hw; ++i) a[i] = std::fabs(v[i]);
    auto k = a.begin() + static_cast<std::ptrdiff_t>((hw - 1) * 995 / 1000);
    std::nth_element(a.begin(), k, a.end());
    float scale = *k;
    if (scale <= 0) scale = *std::max_element(a.begin(), a.end());
    if (scale <= 0) scale = 1;
    Image out = input;
    for (size_t i = 0; i < hw; ++i) {
        const float t = std::clamp(v[i] / scale, -1.0f, 1.0f);
        const auto col = colormap_rgb(Colormap::Diverging, 0.5f + 0.5f * t);
        // Where the kernel is ~0 the photo (dimmed, so the colours stand out) shows
        // through; where it is strong, the colour.
        const float alpha = opacity * std::min(1.0f, std::fabs(t) * 2.0f);
        for (int ch = 0; ch < 3; ++ch) out.rgb[i * 3 + ch] = (1 - alpha) * out.rgb[i * 3 + ch] * 0.6f + alpha * col[ch];
    }
    // The query's cell on the stage grid, outlined.
    const int x0 = col * stride, y0 = row * stride;
    const int x1 = std::min(w - 1, x0 + stride - 1), y1 = std::min(h - 1, y0 + stride - 1);
    for (int x = x0; x <= x1; ++x)
        for (int y : {y0, y1})
            if (y < h)
                for (int ch = 0; ch < 3; ++ch) out.at(x, y, ch) = ch == 1 ? 1.0f : 0.0f;
    for (int y = y0; y <= y1 && y < h; ++y)
        for (int x : {x0, x1})
            if (x < w)
                for (int ch = 0; ch < 3; ++ch) out.at(x, y, ch) = ch == 1 ? 1.0f : 0.0f;
    return out;
}

}  // namespace ks
