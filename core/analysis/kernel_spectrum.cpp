#include "analysis/kernel_spectrum.h"

#include <cmath>
#include <complex>

#include "io/input_error.h"

namespace ks {

KernelSpectrum kernel_spectrum(const std::vector<float>& grid, int height, int width) {
    if (height <= 0 || width <= 0 || grid.size() != static_cast<size_t>(height) * width)
        throw InputError("The kernel grid does not match its size.");
    using cd = std::complex<double>;
    const int h = height, w = width;
    // Grids are patch grids (at most a few dozen a side): a separable direct DFT in
    // double precision is exact enough and fast enough for a per-query readout.
    auto twiddles = [](int n) {
        std::vector<cd> t(static_cast<size_t>(n) * n);
        for (int k = 0; k < n; ++k)
            for (int j = 0; j < n; ++j) t[static_cast<size_t>(k) * n + j] = std::polar(1.0, -2.0 * M_PI * ((static_cast<long>(k) * j) % n) / n);
        return t;
    };
    const std::vector<cd> th = twiddles(h), tw = twiddles(w);
    std::vector<cd> rows(static_cast<size_t>(h) * w);
    for (int y = 0; y < h; ++y)
        for (int u = 0; u < w; ++u) {
            cd s = 0;
            for (int x = 0; x < w; ++x) s += tw[static_cast<size_t>(u) * w + x] * static_cast<double>(grid[static_cast<size_t>(y) * w + x]);
            rows[static_cast<size_t>(y) * w + u] = s;
        }
    KernelSpectrum out;
    out.height = h;
    out.width = w;
    out.amplitude.assign(static_cast<size_t>(h) * w, 0.0f);
    double total = 0, high = 0;
    for (int v = 0; v < h; ++v)
        for (int u = 0; u < w; ++u) {
            cd s = 0;
            for (int y = 0; y < h; ++y) s += th[static_cast<size_t>(v) * h + y] * rows[static_cast<size_t>(y) * w + u];
            const int sv = (v + h / 2) % h, su = (u + w / 2) % w;  // fftshift
            out.amplitude[static_cast<size_t>(sv) * w + su] = static_cast<float>(std::abs(s));
            // Centred frequencies in cycles per sample: bin v is v/h, or v/h - 1 past the middle.
            const double fv = static_cast<double>(sv - h / 2) / h, fu = static_cast<double>(su - w / 2) / w;
            const double e = std::norm(s);
            total += e;
            if (std::sqrt(fv * fv + fu * fu) > 0.25) high += e;
        }
    out.high_frequency_share = total > 0 ? high / total : 0.0;
    return out;
}

std::vector<float> kernel_on_grid(const ConvKernel& k, int height, int width) {
    if (height <= 0 || width <= 0) throw InputError("The grid for the kernel spectrum is empty.");
    std::vector<float> g(static_cast<size_t>(height) * width, 0.0f);
    const int r = k.size / 2;
    for (int c = 0; c < k.channels; ++c)
        for (int v = 0; v < k.size; ++v)
            for (int u = 0; u < k.size; ++u) {
                // ((a % n) + n) % n: a non-negative remainder for taps left of / above the grid.
                const int y = ((height / 2 + v - r) % height + height) % height;
                const int x = ((width / 2 + u - r) % width + width) % width;
                g[static_cast<size_t>(y) * width + x] += k.at(v, u, c);
            }
    return g;
}

double high_frequency_share(const std::vector<float>& grid, int height, int width) {
    return kernel_spectrum(grid, height, width).high_frequency_share;
}

}  // namespace ks
