#include "image/perturb.h"

#include <algorithm>
#include <cmath>

#include "kernels/noise.h"

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
#pragma omp parallel for schedule(static) if (static_cast<long long>(img.width) * img.height > (1 << 18))
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

namespace {

void brightness_contrast_in_place(Image& img, float brightness, float contrast) {
    float* v = img.rgb.data();
    const long long n = static_cast<long long>(img.rgb.size());
#pragma omp parallel for simd schedule(static) if (n > (1 << 20))
    for (long long i = 0; i < n; ++i) v[i] = std::min(1.0f, std::max(0.0f, (v[i] - 0.5f) * contrast + 0.5f + brightness));
}

void add_gaussian_noise_in_place(Image& img, float sigma, uint32_t seed) {
    if (sigma <= 0.0f) return;
    float* v = img.rgb.data();
    const long long n = static_cast<long long>(img.rgb.size());
    // Blocks over the threads; the values depend on their index only (kernels/noise.h).
    constexpr long long block = 1 << 16;
#pragma omp parallel for schedule(static) if (n > 4 * block)
    for (long long b = 0; b < n; b += block)
        kernels::add_gaussian_noise(v + b, static_cast<size_t>(std::min(block, n - b)), sigma, seed, static_cast<uint32_t>(b));
}

}  // namespace

void occlude_in_place(Image& img, const PixelRect& r, float value) {
    if (r.empty() || img.empty()) return;
    const int x0 = std::max(0, r.x), y0 = std::max(0, r.y);
    const int x1 = std::min(img.width, r.x + r.w), y1 = std::min(img.height, r.y + r.h);
    if (x0 >= x1) return;
    const float v = clamp01(value);
#pragma omp parallel for schedule(static) if (static_cast<long long>(x1 - x0) * (y1 - y0) > (1 << 18))
    for (int y = y0; y < y1; ++y) std::fill_n(&img.at(x0, y, 0), static_cast<size_t>(x1 - x0) * 3, v);
}

Image brightness_contrast(const Image& img, float brightness, float contrast) {
    Image out = img;
    brightness_contrast_in_place(out, brightness, contrast);
    return out;
}

Image add_gaussian_noise(const Image& img, float sigma, uint32_t seed) {
    Image out = img;
    add_gaussian_noise_in_place(out, sigma, seed);
    return out;
}

Image occlude(const Image& img, const PixelRect& r, float value) {
    Image out = img;
    occlude_in_place(out, r, value);
    return out;
}

Image apply_perturbation(const Image& img, const Perturbation& p) {
    // One copy (or the translated image), then every step in place.
    Image out = (p.dx != 0 || p.dy != 0) ? translate(img, p.dx, p.dy, p.fill) : img;
    if (p.brightness != 0.0f || p.contrast != 1.0f) brightness_contrast_in_place(out, p.brightness, p.contrast);
    if (!p.occlusion.empty()) occlude_in_place(out, p.occlusion, p.occlusion_value);
    if (p.noise_sigma > 0.0f) add_gaussian_noise_in_place(out, p.noise_sigma, p.noise_seed);
    return out;
}

}  // namespace ks
