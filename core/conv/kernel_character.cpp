#include "conv/kernel_character.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <vector>

#include "draw/number_format.h"

namespace ks {

namespace {

constexpr double kPi = 3.14159265358979323846;

// |H| at frequency (wx, wy) of a k x k kernel centred on its middle weight.
double response_at(const std::vector<double>& w, int k, double wx, double wy) {
    std::complex<double> h = 0.0;
    const int r = k / 2;
    for (int v = 0; v < k; ++v)
        for (int u = 0; u < k; ++u) {
            const double a = wx * (u - r) + wy * (v - r);
            h += w[static_cast<size_t>(v) * k + u] * std::complex<double>(std::cos(a), -std::sin(a));
        }
    return std::abs(h);
}

// The largest |H| on the ring of radius rho (0 = DC only).
double ring_max(const std::vector<double>& w, int k, double rho) {
    if (rho == 0.0) return response_at(w, k, 0.0, 0.0);
    double m = 0.0;
    for (int i = 0; i < 64; ++i) {
        const double t = kPi * i / 64.0;  // half a circle: |H(-w)| = |H(w)| for a real kernel
        m = std::max(m, response_at(w, k, rho * std::cos(t), rho * std::sin(t)));
    }
    return m;
}

}  // namespace

const char* pass_band_name(PassBand b) {
    switch (b) {
        case PassBand::Zero: return "no response";
        case PassBand::LowPass: return "low-pass";
        case PassBand::BandPass: return "band-pass";
        case PassBand::HighPass: return "high-pass";
        case PassBand::AllPass: return "all-pass";
        case PassBand::Mixed: return "mixed";
    }
    return "";
}

KernelCharacter describe_kernel(const ConvKernel& k) {
    KernelCharacter c;
    const int n = k.size * k.size;
    std::vector<double> w(static_cast<size_t>(n), 0.0);
    for (int ch = 0; ch < k.channels; ++ch)
        for (int i = 0; i < n; ++i) w[i] += k.w[static_cast<size_t>(ch) * n + i];
    for (float v : k.w) {
        c.max_abs = std::max(c.max_abs, static_cast<double>(std::fabs(v)));
        c.negative |= v < 0.0f;
        c.positive |= v > 0.0f;
    }
    for (double v : w) c.sum += v;
    c.dc = ring_max(w, k.size, 0.0);
    c.mid = ring_max(w, k.size, kPi / 2.0);
    c.nyquist = ring_max(w, k.size, kPi);
    const double peak = std::max({c.dc, c.mid, c.nyquist});
    // Relative to the peak: a value under 1e-6 of it is a zero of the response.
    const double tiny = peak * 1e-6;
    const double dc = c.dc <= tiny ? 0.0 : c.dc, mid = c.mid <= tiny ? 0.0 : c.mid, nyq = c.nyquist <= tiny ? 0.0 : c.nyquist;
    if (!(peak > 1e-12) || (!c.negative && !c.positive)) c.band = PassBand::Zero;
    else if (std::min({dc, mid, nyq}) >= 0.7 * peak) c.band = PassBand::AllPass;
    else if (dc == peak && nyq < 0.5 * dc) c.band = PassBand::LowPass;
    else if (nyq == peak && dc < 0.5 * nyq) c.band = PassBand::HighPass;
    else if (mid == peak && dc < 0.7 * mid && nyq < 0.7 * mid) c.band = PassBand::BandPass;
    else c.band = PassBand::Mixed;

    const double range = std::max(c.max_abs, 1e-30);
    const std::string sum = format_for_people(c.sum, range);
    const char* signs = c.negative && c.positive ? "Signed" : c.negative ? "Non-positive" : c.positive ? "Non-negative" : "All zero";
    if (c.band == PassBand::Zero) {
        c.sentence = "All zero: it responds to nothing.";
        return c;
    }
    const std::string h = "(|H| " + format_for_people(c.dc, peak) + " at DC, " + format_for_people(c.mid, peak) +
                          " at mid, " + format_for_people(c.nyquist, peak) + " at Nyquist)";
    std::string what;
    switch (c.band) {
        case PassBand::LowPass: what = sum == "1" ? "a weighted average, low-pass" : "low-pass"; break;
        case PassBand::HighPass: what = sum == "0" ? "differences, high-pass" : "high-pass, keeps the mean x " + sum; break;
        case PassBand::BandPass: what = "band-pass: edges and textures of one scale"; break;
        case PassBand::AllPass: what = "all-pass: every frequency kept"; break;
        default: what = "mixed frequency response"; break;
    }
    c.sentence = std::string(signs) + ", sum " + sum + ": " + what + " " + h + ".";
    return c;
}

}  // namespace ks
