#pragma once
// What a kernel does, read from its weights and never from its name: its sum and
// signs, and its frequency response |H(w)| = |sum_u w(u) e^{-i w.u}| at DC, at half
// the Nyquist frequency and at Nyquist (the largest |H| on each ring of radius
// 0, pi/2 and pi). From those three: low-, band-, high- or all-pass.
#include <string>

#include "conv/conv_filters.h"

namespace ks {

enum class PassBand { Zero, LowPass, BandPass, HighPass, AllPass, Mixed };

struct KernelCharacter {
    double sum = 0, max_abs = 0;
    bool negative = false, positive = false;
    double dc = 0, mid = 0, nyquist = 0;   // |H| at radius 0, pi/2, pi (max over the ring)
    PassBand band = PassBand::Zero;
    std::string sentence;                  // e.g. "Signed, sum 0: band-pass (|H| 0 at DC, 4 at mid, 1.3 at Nyquist)."
};

const char* pass_band_name(PassBand b);    // "low-pass", ...
// An RGB (learned) kernel is judged by the sum of its channels (its response to a gray input).
KernelCharacter describe_kernel(const ConvKernel& k);

}  // namespace ks
