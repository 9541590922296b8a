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

// A 32-bit hash of (seed, i) (splitmix64's finaliser): every value's random bits depend
// on its index alone, so the noise is the same on any number of threads.
inline uint32_t noise_bits(uint64_t seed, uint64_t i) {
    uint64_t z = seed * 0x9E3779B97F4A7C15ull + i * 0xBF58476D1CE4E5B9ull + 0x94D049BB133111EBull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return static_cast<uint32_t>((z ^ (z >> 31)) >> 32);
}

// The standard normal quantile (Acklam's rational approximation, relative error below
// 1.2e-9): the central region is one rational function, the tails (p < 0.02425, about
// one value in 20) need a log and a square root.
inline double normal_quantile(double p) {
    constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                            1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                            6.680131188771972e+01,  -1.328068155288572e+01};
    constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                            -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    constexpr double lo = 0.02425;
    if (p < lo || p > 1.0 - lo) {
        const double q = std::sqrt(-2.0 * std::log(p < lo ? p : 1.0 - p));
        const double z = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                         ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
        return p < lo ? z : -z;
    }
    const double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

void add_gaussian_noise_in_place(Image& img, float sigma, uint32_t seed) {
    if (sigma <= 0.0f) return;
    float* v = img.rgb.data();
    const long long n = static_cast<long long>(img.rgb.size());
    // Inverse-CDF sampling of a 24-bit uniform in (0, 1): a 12 MP photo's 36 million
    // values take a fraction of a second, split over the threads.
#pragma omp parallel for schedule(static) if (n > (1 << 18))
    for (long long i = 0; i < n; ++i) {
        const double u = ((noise_bits(seed, static_cast<uint64_t>(i)) >> 8) + 0.5) * (1.0 / 16777216.0);
        v[i] = std::min(1.0f, std::max(0.0f, v[i] + static_cast<float>(sigma * normal_quantile(u))));
    }
}

}  // namespace

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
    // One copy (or the translated image), then every step in place.
    Image out = (p.dx != 0 || p.dy != 0) ? translate(img, p.dx, p.dy, p.fill) : img;
    if (p.brightness != 0.0f || p.contrast != 1.0f) brightness_contrast_in_place(out, p.brightness, p.contrast);
    if (!p.occlusion.empty()) out = occlude(out, p.occlusion, p.occlusion_value);
    if (p.noise_sigma > 0.0f) add_gaussian_noise_in_place(out, p.noise_sigma, p.noise_seed);
    return out;
}

}  // namespace ks
