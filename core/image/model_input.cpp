#include "image/model_input.h"

#include <algorithm>
#include <cmath>

namespace ks {
namespace {

// Integer box reduction (mean over f x f blocks); the last partial block is averaged too.
Image box_shrink(const Image& src, int f) {
    Image dst;
    dst.width = (src.width + f - 1) / f;
    dst.height = (src.height + f - 1) / f;
    dst.rgb.assign(static_cast<size_t>(dst.width) * dst.height * 3, 0.0f);
    for (int y = 0; y < dst.height; ++y)
        for (int x = 0; x < dst.width; ++x) {
            float acc[3] = {0, 0, 0};
            int n = 0;
            for (int yy = y * f; yy < std::min(src.height, (y + 1) * f); ++yy)
                for (int xx = x * f; xx < std::min(src.width, (x + 1) * f); ++xx, ++n)
                    for (int c = 0; c < 3; ++c) acc[c] += src.at(xx, yy, c);
            for (int c = 0; c < 3; ++c) dst.at(x, y, c) = acc[c] / n;
        }
    return dst;
}

// The (x0, y0, cw, ch) window of the image resized to w x h (the whole of it by default).
Image resize_clean(const Image& src, int w, int h, int x0 = 0, int y0 = 0, int cw = -1, int ch = -1) {
    const int f = std::min(src.width / std::max(1, 2 * w), src.height / std::max(1, 2 * h));
    Image shrunk;
    if (f >= 2) shrunk = box_shrink(src, f);
    const Image& from = f >= 2 ? shrunk : src;
    Image r = (from.width == w && from.height == h && x0 == 0 && y0 == 0 && (cw < 0 || cw == w) && (ch < 0 || ch == h))
                  ? from
                  : resize_window(from, w, h, x0, y0, cw < 0 ? w : cw, ch < 0 ? h : ch, Interp::Bicubic);
    for (float& v : r.rgb) v = std::clamp(v, 0.0f, 1.0f);  // bicubic overshoots at edges
    return r;
}

}  // namespace

std::vector<float> normalise_chw(const Image& img, const std::array<float, 3>& mean, const std::array<float, 3>& std) {
    const size_t hw = static_cast<size_t>(img.width) * img.height;
    std::vector<float> out(3 * hw);
    for (size_t i = 0; i < hw; ++i)
        for (int c = 0; c < 3; ++c) out[c * hw + i] = (img.rgb[i * 3 + c] - mean[c]) / std[c];
    return out;
}

VitInput preprocess_vit(const Image& img, int width, int height, VitResize mode, const std::array<float, 3>& mean,
                        const std::array<float, 3>& std) {
    if (img.empty()) throw InputError("Cannot run the model on an empty image.");
    VitInput in;
    if (img.width == width && img.height == height) {
        in.shown = img;
    } else if (mode == VitResize::Whole) {
        in.shown = resize_clean(img, width, height);
    } else {
        // Scale so both sides cover the target, then cut the centre (torchvision's
        // Resize(int) + CenterCrop, generalised to non-square targets).
        const double s = std::max(static_cast<double>(width) / img.width, static_cast<double>(height) / img.height);
        const int rw = std::max(width, static_cast<int>(std::lround(img.width * s)));
        const int rh = std::max(height, static_cast<int>(std::lround(img.height * s)));
        // Only the crop is computed: an extreme aspect ratio must not make a huge intermediate.
        in.shown = resize_clean(img, rw, rh, static_cast<int>(std::lround((rw - width) / 2.0)),
                                static_cast<int>(std::lround((rh - height) / 2.0)), width, height);
    }
    in.chw = normalise_chw(in.shown, mean, std);
    return in;
}

Image model_view_of_original(const Image& original, int model_w, int model_h, VitResize mode) {
    if (mode == VitResize::Whole || (original.width == model_w && original.height == model_h)) return original;
    // Shorter side scaled to fit, then a centred model_w x model_h crop: in original
    // pixels that crop is (model / scale) wide and high.
    const double scale = std::max(static_cast<double>(model_w) / original.width, static_cast<double>(model_h) / original.height);
    const int cw = std::min(original.width, static_cast<int>(std::lround(model_w / scale)));
    const int ch = std::min(original.height, static_cast<int>(std::lround(model_h / scale)));
    const int x0 = (original.width - cw) / 2, y0 = (original.height - ch) / 2;
    Image out;
    out.width = cw;
    out.height = ch;
    out.rgb.resize(static_cast<size_t>(cw) * ch * 3);
    for (int y = 0; y < ch; ++y)
        std::copy_n(original.rgb.begin() + (static_cast<size_t>(y0 + y) * original.width + x0) * 3, static_cast<size_t>(cw) * 3,
                    out.rgb.begin() + static_cast<size_t>(y) * cw * 3);
    return out;
}

}  // namespace ks
