#include "conv/convolution.h"

#include <vector>

namespace ks {

int reflect_index(int i, int n) {
    if (n == 1) return 0;
    const int period = 2 * (n - 1);
    i %= period;
    if (i < 0) i += period;
    return i < n ? i : period - i;
}

Plane padded_window(const Plane& x, int r, int x0, int y0, int w, int h) {
    Plane o;
    o.width = w + 2 * r;
    o.height = h + 2 * r;
    o.v.resize(static_cast<size_t>(o.width) * o.height);
    std::vector<int> xs(static_cast<size_t>(o.width));
    for (int i = 0; i < o.width; ++i) xs[static_cast<size_t>(i)] = reflect_index(x0 + i - r, x.width);
    for (int y = 0; y < o.height; ++y) {
        const float* src = x.v.data() + static_cast<size_t>(reflect_index(y0 + y - r, x.height)) * x.width;
        float* dst = o.v.data() + static_cast<size_t>(y) * o.width;
        for (int i = 0; i < o.width; ++i) dst[i] = src[xs[static_cast<size_t>(i)]];
    }
    return o;
}

Plane correlate(const Plane& x, const ConvKernel& k, int kernel_channel) {
    Plane y;
    y.width = x.width;
    y.height = x.height;
    y.v.assign(x.v.size(), 0.0f);
    const int r = k.size / 2;
    // Precompute reflected column indices once per offset; rows are reflected per row.
    std::vector<int> cols(static_cast<size_t>(x.width) * k.size);
    for (int u = 0; u < k.size; ++u)
        for (int px = 0; px < x.width; ++px) cols[static_cast<size_t>(u) * x.width + px] = reflect_index(px + u - r, x.width);
    for (int py = 0; py < x.height; ++py) {
        float* out = y.v.data() + static_cast<size_t>(py) * x.width;
        for (int v = 0; v < k.size; ++v) {
            const float* src = x.v.data() + static_cast<size_t>(reflect_index(py + v - r, x.height)) * x.width;
            for (int u = 0; u < k.size; ++u) {
                const float w = k.at(v, u, kernel_channel);
                if (w == 0.0f) continue;
                const int* ci = cols.data() + static_cast<size_t>(u) * x.width;
                for (int px = 0; px < x.width; ++px) out[px] += w * src[ci[px]];
            }
        }
    }
    return y;
}

Image correlate_rgb(const Image& x, const ConvKernel& k) {
    Image out;
    out.width = x.width;
    out.height = x.height;
    out.rgb.assign(x.rgb.size(), 0.0f);
    for (int c = 0; c < 3; ++c) {
        const Plane y = correlate(channel(x, c), k, k.channels == 3 ? c : 0);
        for (size_t i = 0; i < y.v.size(); ++i) out.rgb[3 * i + c] = y.v[i];
    }
    return out;
}

}  // namespace ks
