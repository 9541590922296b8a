#pragma once
// The 2-D amplitude spectrum of one kernel on a grid, and the high-frequency share of
// a kernel: how much of its energy lies above half the Nyquist frequency.
// An attention row (positive, normalised) puts most energy near DC, a signed conv
// kernel such as Sobel or Laplacian puts much of it high: Park & Kim's low-pass vs
// high-pass contrast for the current query, read off one picture.
#include <vector>

#include "conv/conv_filters.h"

namespace ks {

struct KernelSpectrum {
    int height = 0, width = 0;
    std::vector<float> amplitude;        // |DFT|, fftshifted (DC at (height/2, width/2)), row-major
    double high_frequency_share = 0;     // energy |DFT|^2 above half Nyquist / all energy (0 for a zero kernel)
};

// `grid` is height x width row-major (e.g. patch_heatmap of an attention row).
// Radial frequency of bin (v, u) = sqrt((v/height)^2 + (u/width)^2) in cycles per
// sample (v, u centred, so -1/2..1/2); "above half Nyquist" = above 1/4. DC counts in
// the total like every other bin.
KernelSpectrum kernel_spectrum(const std::vector<float>& grid, int height, int width);

// A conv kernel on a height x width grid: its centre tap at (height/2, width/2), zeros
// elsewhere. A kernel larger than the grid wraps around (taps summed modulo the grid),
// which keeps the DFT exactly the kernel's frequency response sampled at the grid's
// frequencies. An RGB kernel is taken as the sum of its channels (its response to gray).
std::vector<float> kernel_on_grid(const ConvKernel& k, int height, int width);

// The share alone, on a grid (convenience for the GUI's labels and the tests).
double high_frequency_share(const std::vector<float>& grid, int height, int width);

}  // namespace ks
