// The bilateral filter (core/conv/bilateral.cpp) at the sizes the app meets: a
// display-resolution picture (2048 px on the long side, what the app filters) and a
// 12 MP photo, at the default radius and a larger one, on every core and on one.
// Prints the median of 5 runs per case.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <omp.h>

#include "conv/bilateral.h"
#include "image/image.h"

using Clock = std::chrono::steady_clock;

namespace {

ks::Plane photo_like(int w, int h) {  // smooth shapes plus noise: the range weights vary
    ks::Plane p;
    p.width = w;
    p.height = h;
    p.v.resize(static_cast<size_t>(w) * h);
    unsigned s = 12345;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            s = s * 1664525u + 1013904223u;
            const float noise = static_cast<float>(s >> 8) / 16777216.0f - 0.5f;
            const float shape = ((x / 97 + y / 61) % 2) ? 0.7f : 0.3f;
            p.v[static_cast<size_t>(y) * w + x] = shape + 0.05f * noise;
        }
    return p;
}

double median_ms(const ks::Plane& x, const ks::BilateralParams& bp) {
    std::vector<double> t;
    for (int i = 0; i < 5; ++i) {
        const auto t0 = Clock::now();
        const ks::Plane y = ks::bilateral_filter(x, bp);
        t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (y.v.empty()) return 0;
    }
    std::sort(t.begin(), t.end());
    return t[2];
}

}  // namespace

int main() {
    const int threads = omp_get_max_threads();
    struct Size {
        int w, h;
        const char* label;
    };
    for (const Size& sz : {Size{2048, 1365, "2048x1365 (display)"}, Size{4000, 3000, "4000x3000 (12 MP)"}}) {
        const int w = sz.w, h = sz.h;
        const char* label = sz.label;
        const ks::Plane x = photo_like(w, h);
        for (int r : {3, 7}) {
            const ks::BilateralParams bp{r, r / 1.5f, 0.1f};
            omp_set_num_threads(threads);
            const double tn = median_ms(x, bp);
            omp_set_num_threads(1);
            const double t1 = median_ms(x, bp);
            std::printf("bilateral %s radius %d: %.1f ms on %d threads, %.1f ms on 1\n", label, r, tn, threads, t1);
        }
    }
    return 0;
}
