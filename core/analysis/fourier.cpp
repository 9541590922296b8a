#include "analysis/fourier.h"

#include <algorithm>
#include <cmath>
#include <complex>

#include "io/input_error.h"

namespace ks {

namespace {

using cd = std::complex<double>;

// Twiddles e^{-2 pi i k n / N}; grids are at most 64 a side, so a direct DFT per axis
// (O(N^2) each) is fast enough and exact to double precision.
std::vector<cd> twiddles(int n) {
    std::vector<cd> t(static_cast<size_t>(n) * n);
    for (int k = 0; k < n; ++k)
        for (int j = 0; j < n; ++j) t[static_cast<size_t>(k) * n + j] = std::polar(1.0, -2.0 * M_PI * ((static_cast<long>(k) * j) % n) / n);
    return t;
}

}  // namespace

std::vector<float> log_amplitude(const std::vector<float>& tokens, int channels, const TokenLayout& layout) {
    const int gh = layout.grid_h, gw = layout.grid_w, pre = layout.num_prefix();
    if (channels <= 0 || tokens.size() != static_cast<size_t>(layout.num_tokens()) * channels)
        throw InputError("The token map does not match its layout.");
    const std::vector<cd> th = twiddles(gh), tw = twiddles(gw);
    std::vector<double> acc(static_cast<size_t>(gh) * gw, 0.0);
    std::vector<cd> rows(static_cast<size_t>(gh) * gw), full(static_cast<size_t>(gh) * gw);
    for (int c = 0; c < channels; ++c) {
        // DFT along x, then along y.
        for (int y = 0; y < gh; ++y)
            for (int u = 0; u < gw; ++u) {
                cd s = 0;
                for (int x = 0; x < gw; ++x)
                    s += tw[static_cast<size_t>(u) * gw + x] * static_cast<double>(tokens[static_cast<size_t>(pre + y * gw + x) * channels + c]);
                rows[static_cast<size_t>(y) * gw + u] = s;
            }
        for (int v = 0; v < gh; ++v)
            for (int u = 0; u < gw; ++u) {
                cd s = 0;
                for (int y = 0; y < gh; ++y) s += th[static_cast<size_t>(v) * gh + y] * rows[static_cast<size_t>(y) * gw + u];
                full[static_cast<size_t>(v) * gw + u] = s;
            }
        // fftshift: frequency 0 moves to (gh/2, gw/2).
        for (int v = 0; v < gh; ++v)
            for (int u = 0; u < gw; ++u) {
                const int sv = (v + gh / 2) % gh, su = (u + gw / 2) % gw;
                acc[static_cast<size_t>(sv) * gw + su] += std::log(std::abs(full[static_cast<size_t>(v) * gw + u]) + 1e-6);
            }
    }
    std::vector<float> out(acc.size());
    for (size_t i = 0; i < acc.size(); ++i) out[i] = static_cast<float>(acc[i] / channels);
    return out;
}

FourierProfile fourier_profile(const std::vector<float>& tokens, int channels, const TokenLayout& layout) {
    const std::vector<float> l = log_amplitude(tokens, channels, layout);
    const int gh = layout.grid_h, gw = layout.grid_w, ch = gh / 2, cw = gw / 2;
    FourierProfile p;
    p.size = std::min(gh - ch, gw - cw);
    const float centre = l[static_cast<size_t>(ch) * gw + cw];
    for (int k = 0; k < p.size; ++k) p.delta.push_back(l[static_cast<size_t>(ch + k) * gw + cw + k] - centre);
    return p;
}

}  // namespace ks
