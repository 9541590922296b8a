#include "conv/dynamic_conv.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "conv/convolution.h"
#include "kernels/dispatch.h"

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

// Pixels per strip: a strip's k*k kernel rows (25 x 256 floats at k = 5) stay in cache.
constexpr int kStrip = 256;

// One strip of n output pixels of one row. g and s point at the strip's first pixel in
// the padded guide (fr pixels of padding, row pitch gp) and the padded input (r, sp).
// Each pixel's kernel and response are summed in the same order as kernel_into and
// dynamic_kernel_at (tap by tap), one vector lane per pixel.
KS_DISPATCH
void response_strip(const float* g, int gp, const float* s, int sp, int n, const DynamicConvParams& p, const float* f,
                    float* kern, float* out) {
    const int fs = p.f_size, k = p.k, kk = k * k;
    for (int c = 0; c < kk; ++c) {
        float* kc = kern + static_cast<size_t>(c) * kStrip;
        const float* fw = f + static_cast<size_t>(c) * fs * fs;
#pragma omp simd
        for (int i = 0; i < n; ++i) kc[i] = 0.0f;
        for (int a = 0; a < fs; ++a)
            for (int b = 0; b < fs; ++b) {
                const float w = fw[a * fs + b];
                const float* gr = g + static_cast<size_t>(a) * gp + b;
#pragma omp simd
                for (int i = 0; i < n; ++i) kc[i] += w * gr[i];
            }
    }
#pragma omp simd
    for (int i = 0; i < n; ++i) out[i] = 0.0f;
    for (int v = 0; v < k; ++v)
        for (int u = 0; u < k; ++u) {
            const float* kc = kern + static_cast<size_t>(v * k + u) * kStrip;
            const float* sr = s + static_cast<size_t>(v) * sp + u;
#pragma omp simd
            for (int i = 0; i < n; ++i) out[i] += kc[i] * sr[i];
        }
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
    if (out.v.empty()) return out;
    // Both planes padded once (reflect, as kernel_into reads them), then rows in small
    // blocks over the threads, each row in strips along x.
    const int fr = p.f_size / 2, r = p.k / 2;
    const Plane g = padded_window(guide, fr, xa, ya, out.width, out.height);
    const Plane s = padded_window(src, r, xa, ya, out.width, out.height);
#pragma omp parallel if (out.v.size() > 4096)
    {
        std::vector<float> kern(static_cast<size_t>(p.k) * p.k * kStrip);
#pragma omp for schedule(dynamic, 8)
        for (int py = 0; py < out.height; ++py)
            for (int x = 0; x < out.width; x += kStrip)
                response_strip(g.v.data() + static_cast<size_t>(py) * g.width + x, g.width,
                               s.v.data() + static_cast<size_t>(py) * s.width + x, s.width,
                               std::min(kStrip, out.width - x), p, f.data(), kern.data(),
                               out.v.data() + static_cast<size_t>(py) * out.width + x);
    }
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
