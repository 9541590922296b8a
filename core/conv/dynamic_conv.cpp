#include "conv/dynamic_conv.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "conv/convolution.h"

namespace ks {

namespace {

// One pixel's kernel into `out` (k*k), from precomputed f weights.
void kernel_into(const Plane& lum, int x, int y, const DynamicConvParams& p, const std::vector<float>& f, float* out) {
    const int fs = p.f_size, fr = fs / 2, kk = p.k * p.k;
    float patch[kMaxDynamicSize * kMaxDynamicSize];
    for (int a = 0; a < fs; ++a) {
        const int sy = reflect_index(y + a - fr, lum.height);
        for (int b = 0; b < fs; ++b) patch[a * fs + b] = lum.at(reflect_index(x + b - fr, lum.width), sy);
    }
    for (int c = 0; c < kk; ++c) {
        const float* fw = f.data() + static_cast<size_t>(c) * fs * fs;
        float s = 0.0f;
        for (int i = 0; i < fs * fs; ++i) s += fw[i] * patch[i];
        out[c] = s;
    }
}

// y(x, y) with the kernel from `guide` applied to `src`.
float response_at(const Plane& guide, const Plane& src, int x, int y, const DynamicConvParams& p, const std::vector<float>& f) {
    float kern[kMaxDynamicSize * kMaxDynamicSize];
    kernel_into(guide, x, y, p, f, kern);
    const int r = p.k / 2;
    float s = 0.0f;
    for (int v = 0; v < p.k; ++v) {
        const int sy = reflect_index(y + v - r, src.height);
        for (int u = 0; u < p.k; ++u) s += kern[v * p.k + u] * src.at(reflect_index(x + u - r, src.width), sy);
    }
    return s;
}

Plane response(const Plane& guide, const Plane& src, const DynamicConvParams& p, int x0, int y0, int w, int h) {
    check_dynamic_conv(p);
    if (guide.width != src.width || guide.height != src.height)
        throw InputError("The dynamic conv's guide and input differ in size.");
    const int xa = std::clamp(x0, 0, src.width), ya = std::clamp(y0, 0, src.height);
    const int xb = std::clamp(x0 + std::max(w, 0), 0, src.width), yb = std::clamp(y0 + std::max(h, 0), 0, src.height);
    const std::vector<float> f = dynamic_conv_generator(p);
    Plane out;
    out.width = xb - xa;
    out.height = yb - ya;
    out.v.assign(static_cast<size_t>(out.width) * out.height, 0.0f);
    // Rows are independent; a photo of several megapixels takes a few hundred ms.
#pragma omp parallel for schedule(dynamic, 8)
    for (int py = 0; py < out.height; ++py)
        for (int px = 0; px < out.width; ++px) out.at(px, py) = response_at(guide, src, xa + px, ya + py, p, f);
    return out;
}

}  // namespace

void check_dynamic_conv(const DynamicConvParams& p) {
    auto ok = [](int n) { return n >= 1 && n <= kMaxDynamicSize && n % 2 == 1; };
    if (!ok(p.k)) throw InputError("The dynamic conv's kernel size must be odd, 1 to " + std::to_string(kMaxDynamicSize) + " (got " + std::to_string(p.k) + ").");
    if (!ok(p.f_size))
        throw InputError("The dynamic conv's generator size must be odd, 1 to " + std::to_string(kMaxDynamicSize) + " (got " + std::to_string(p.f_size) + ").");
}

std::vector<float> dynamic_conv_generator(const DynamicConvParams& p) {
    check_dynamic_conv(p);
    std::mt19937 rng(p.seed);
    // mt19937's output sequence is fixed by the standard; the uniform mapping is done
    // here (not by std::uniform_real_distribution) so the weights match everywhere.
    const double a = std::sqrt(3.0) / p.f_size;  // variance 1 / f^2: sum of f^2 taps keeps the input's scale
    std::vector<float> f(static_cast<size_t>(p.k) * p.k * p.f_size * p.f_size);
    for (float& w : f) w = static_cast<float>((rng() / 4294967296.0 * 2.0 - 1.0) * a);
    return f;
}

ConvKernel dynamic_kernel_at(const Plane& lum, int x, int y, const DynamicConvParams& p) {
    check_dynamic_conv(p);
    if (x < 0 || y < 0 || x >= lum.width || y >= lum.height) throw InputError("The dynamic conv's pixel lies outside the image.");
    const std::vector<float> f = dynamic_conv_generator(p);
    ConvKernel k;
    k.name = "dynamic";
    k.size = p.k;
    k.w.resize(static_cast<size_t>(p.k) * p.k);
    kernel_into(lum, x, y, p, f, k.w.data());
    return k;
}

Plane dynamic_conv_filter(const Plane& x, const DynamicConvParams& p) { return response(x, x, p, 0, 0, x.width, x.height); }

Plane joint_dynamic_conv_filter(const Plane& guide, const Plane& x, const DynamicConvParams& p) {
    return response(guide, x, p, 0, 0, x.width, x.height);
}

Plane dynamic_conv_window(const Plane& x, const DynamicConvParams& p, int x0, int y0, int w, int h) {
    return response(x, x, p, x0, y0, w, h);
}

}  // namespace ks
