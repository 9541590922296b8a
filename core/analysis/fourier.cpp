#include "analysis/fourier.h"

#include <algorithm>
#include <cmath>
#include <complex>

#include <Eigen/Dense>

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
    const int gh = layout.grid_h, gw = layout.grid_w, pre = layout.num_prefix(), np = gh * gw;
    if (channels <= 0 || tokens.size() != static_cast<size_t>(layout.num_tokens()) * channels)
        throw InputError("The token map does not match its layout.");
    // The profile reads L only on the diagonal from the centre, and after fftshift the
    // bin (c+k, c+k) is frequency (k, k). So only those few bins are computed, for all
    // channels at once as two small matrix products: exactly the values log_amplitude
    // gives there, at a fraction of its cost (analyze runs this on 2L+1 maps per image).
    FourierProfile p;
    p.size = std::min(gh - gh / 2, gw - gw / 2);
    using MatD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    MatD re(p.size, np), im(p.size, np);
    for (int k = 0; k < p.size; ++k)
        for (int y = 0; y < gh; ++y)
            for (int x = 0; x < gw; ++x) {
                // e^{-2 pi i (k y / gh + k x / gw)}, the phase reduced exactly first.
                const double a = 2.0 * M_PI * (static_cast<double>((static_cast<long>(k) * y) % gh) / gh +
                                               static_cast<double>((static_cast<long>(k) * x) % gw) / gw);
                re(k, y * gw + x) = std::cos(a);
                im(k, y * gw + x) = -std::sin(a);
            }
    const MatD x = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
                       tokens.data() + static_cast<size_t>(pre) * channels, np, channels).cast<double>();
    const MatD fr = re * x, fi = im * x;
    std::vector<double> l(static_cast<size_t>(p.size), 0.0);
    for (int k = 0; k < p.size; ++k) {
        double s = 0;
        for (int c = 0; c < channels; ++c) s += std::log(std::sqrt(fr(k, c) * fr(k, c) + fi(k, c) * fi(k, c)) + 1e-6);
        l[static_cast<size_t>(k)] = s / channels;
    }
    for (int k = 0; k < p.size; ++k) p.delta.push_back(static_cast<float>(l[static_cast<size_t>(k)]) - static_cast<float>(l[0]));
    return p;
}

}  // namespace ks
