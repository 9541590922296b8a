#include "image/perturb.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace ks {

namespace {

float clamp01(float v) { return std::min(1.0f, std::max(0.0f, v)); }

int wrap_index(int i, int n) {
    const int m = i % n;
    return m < 0 ? m + n : m;
}

}  // namespace

Image translate(const Image& img, int dx, int dy, TranslateFill fill) {
    Image out;
    out.width = img.width;
    out.height = img.height;
    out.rgb.assign(img.rgb.size(), 0.0f);
    if (img.empty()) return out;
    for (int y = 0; y < img.height; ++y) {
        for (int x = 0; x < img.width; ++x) {
            int sx = x - dx, sy = y - dy;
            if (fill == TranslateFill::Wrap) {
                sx = wrap_index(sx, img.width);
                sy = wrap_index(sy, img.height);
            } else if (fill == TranslateFill::Edge) {
                sx = std::min(img.width - 1, std::max(0, sx));
                sy = std::min(img.height - 1, std::max(0, sy));
            } else if (sx < 0 || sy < 0 || sx >= img.width || sy >= img.height) {
                continue;  // stays black
            }
            for (int c = 0; c < 3; ++c) out.at(x, y, c) = img.at(sx, sy, c);
        }
    }
    return out;
}

Image brightness_contrast(const Image& img, float brightness, float contrast) {
    Image out = img;
    for (float& v : out.rgb) v = clamp01((v - 0.5f) * contrast + 0.5f + brightness);
    return out;
}

Image add_gaussian_noise(const Image& img, float sigma, uint32_t seed) {
    Image out = img;
    if (sigma <= 0.0f) return out;
    std::mt19937 rng(seed);
    // Uniform in (0, 1]: 24 random bits, never exactly 0 so log() is finite.
    auto uniform = [&rng]() { return (static_cast<double>(rng() >> 8) + 1.0) / 16777216.0; };
    const double two_pi = 6.283185307179586;
    size_t i = 0;
    const size_t n = out.rgb.size();
    while (i < n) {
        const double r = std::sqrt(-2.0 * std::log(uniform()));
        const double t = two_pi * uniform();
        out.rgb[i] = clamp01(out.rgb[i] + static_cast<float>(sigma * r * std::cos(t)));
        ++i;
        if (i < n) {
            out.rgb[i] = clamp01(out.rgb[i] + static_cast<float>(sigma * r * std::sin(t)));
            ++i;
        }
    }
    return out;
}

Image occlude(const Image& img, const PixelRect& r, float value) {
    Image out = img;
    if (r.empty() || img.empty()) return out;
    const int x0 = std::max(0, r.x), y0 = std::max(0, r.y);
    const int x1 = std::min(img.width, r.x + r.w), y1 = std::min(img.height, r.y + r.h);
    const float v = clamp01(value);
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x)
            for (int c = 0; c < 3; ++c) out.at(x, y, c) = v;
    return out;
}

Image apply_perturbation(const Image& img, const Perturbation& p) {
    Image out = (p.dx != 0 || p.dy != 0) ? translate(img, p.dx, p.dy, p.fill) : img;
    if (p.brightness != 0.0f || p.contrast != 1.0f) out = brightness_contrast(out, p.brightness, p.contrast);
    if (!p.occlusion.empty()) out = occlude(out, p.occlusion, p.occlusion_value);
    if (p.noise_sigma > 0.0f) out = add_gaussian_noise(out, p.noise_sigma, p.noise_seed);
    return out;
}

}  // namespace ks
