#include "conv/response_window.h"

#include <algorithm>
#include <vector>

#include "conv/convolution.h"

namespace ks {

namespace {

struct Window {
    int x0, y0, w, h;
};

Window clip(const Plane& x, int x0, int y0, int w, int h) {
    const int xa = std::clamp(x0, 0, x.width), ya = std::clamp(y0, 0, x.height);
    const int xb = std::clamp(x0 + std::max(w, 0), 0, x.width), yb = std::clamp(y0 + std::max(h, 0), 0, x.height);
    return {xa, ya, xb - xa, yb - ya};
}

}  // namespace

Plane correlate_window(const Plane& x, const ConvKernel& k, int x0, int y0, int w, int h, int kernel_channel) {
    const Window c = clip(x, x0, y0, w, h);
    Plane y;
    y.width = c.w;
    y.height = c.h;
    y.v.assign(static_cast<size_t>(c.w) * c.h, 0.0f);
    if (c.w == 0 || c.h == 0) return y;
    const int r = k.size / 2;
    // Reflected row and column indices once, then the same accumulation order as
    // correlate (kernel row, kernel column, pixel): the values match it exactly. This
    // runs whenever the query moves, so it must stay cheap on a 12 MP photo.
    std::vector<int> rows(static_cast<size_t>(c.h + k.size - 1)), cols(static_cast<size_t>(c.w + k.size - 1));
    for (size_t i = 0; i < rows.size(); ++i) rows[i] = reflect_index(c.y0 + static_cast<int>(i) - r, x.height);
    for (size_t i = 0; i < cols.size(); ++i) cols[i] = reflect_index(c.x0 + static_cast<int>(i) - r, x.width);
    for (int py = 0; py < c.h; ++py) {
        float* out = y.v.data() + static_cast<size_t>(py) * c.w;
        for (int v = 0; v < k.size; ++v) {
            const float* src = x.v.data() + static_cast<size_t>(rows[py + v]) * x.width;
            for (int u = 0; u < k.size; ++u) {
                const float wt = k.at(v, u, kernel_channel);
                if (wt == 0.0f) continue;
                const int* ci = cols.data() + u;
                for (int px = 0; px < c.w; ++px) out[px] += wt * src[ci[px]];
            }
        }
    }
    return y;
}

Plane bilateral_window(const Plane& x, const BilateralParams& p, int x0, int y0, int w, int h) {
    // The whole-image kernel on the clipped window: the same values as bilateral_filter
    // there, vectorised and threaded (the query's window on a 12 MP photo is about
    // 440 x 440 pixels, and building each pixel's kernel took the UI thread 0.2 s).
    check_bilateral(p);
    const Window c = clip(x, x0, y0, w, h);
    return bilateral_filter_region(x, p, c.x0, c.y0, c.w, c.h);
}

}  // namespace ks
