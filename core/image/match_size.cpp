#include "image/match_size.h"

#include <algorithm>
#include <cmath>

namespace ks {

Image centre_crop_to_aspect(const Image& src, int w, int h) {
    if (src.empty() || w <= 0 || h <= 0) throw InputError("Cannot crop an empty image.");
    // Compare src.w / src.h with w / h in 64-bit integers: no rounding decides the side.
    const long long lhs = static_cast<long long>(src.width) * h, rhs = static_cast<long long>(w) * src.height;
    int cw = src.width, ch = src.height;
    if (lhs > rhs) cw = std::max(1, static_cast<int>(std::llround(static_cast<double>(src.height) * w / h)));
    else if (lhs < rhs) ch = std::max(1, static_cast<int>(std::llround(static_cast<double>(src.width) * h / w)));
    cw = std::min(cw, src.width);
    ch = std::min(ch, src.height);
    if (cw == src.width && ch == src.height) return src;
    const int x0 = (src.width - cw) / 2, y0 = (src.height - ch) / 2;
    Image out;
    out.width = cw;
    out.height = ch;
    out.rgb.resize(static_cast<size_t>(cw) * ch * 3);
    for (int y = 0; y < ch; ++y) {
        const float* s = src.rgb.data() + (static_cast<size_t>(y0 + y) * src.width + x0) * 3;
        std::copy(s, s + static_cast<size_t>(cw) * 3, out.rgb.data() + static_cast<size_t>(y) * cw * 3);
    }
    return out;
}

Image match_size_centre_crop(const Image& src, int w, int h) {
    if (src.width == w && src.height == h) return src;
    const Image c = centre_crop_to_aspect(src, w, h);
    return (c.width == w && c.height == h) ? c : resize(c, w, h);
}

}  // namespace ks
