#pragma once
// Park & Kim (2022)'s Fourier view of a token map: how much high-frequency signal a
// block passes. Multi-head attention tends to lower it (a low-pass filter), convs raise it.
#include <vector>

#include "attention/attention_set.h"

namespace ks {

struct FourierProfile {
    int size = 0;                 // number of diagonal steps, k = 0..size-1
    std::vector<float> delta;     // dL(k) = L(c+k, c+k) - L(c, c)
    float high_frequency() const { return delta.empty() ? 0.0f : delta.back(); }
};

// `tokens` is [N][C] row-major (prefix tokens first, as the layout says). The prefix is
// dropped, the patches form C maps of gh x gw, F = fftshift(fft2) per channel and
// L(u,v) = mean_c log(|F(u,v)| + 1e-6), the centre c = (gh/2, gw/2).
FourierProfile fourier_profile(const std::vector<float>& tokens, int channels, const TokenLayout& layout);

// fourier_profile of each map (all of one layout), the same floats, sharing the work
// that depends on the layout only.
std::vector<FourierProfile> fourier_profiles(const std::vector<const std::vector<float>*>& maps, int channels, const TokenLayout& layout);

// The log-amplitude map L itself, gh x gw row-major (after fftshift).
std::vector<float> log_amplitude(const std::vector<float>& tokens, int channels, const TokenLayout& layout);

}  // namespace ks
