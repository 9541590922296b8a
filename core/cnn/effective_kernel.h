#pragma once
// Readouts of an effective kernel g [3][H][W] (the gradient of one query's output
// with respect to the normalised input): how far it reaches, its sum, and how much
// of its mass is positive. A fixed conv kernel has the same readouts everywhere; an
// effective kernel's change with the input is what the app compares to attention.
#include <vector>

namespace ks {

struct EffectiveKernelReadouts {
    double centre_x = 0, centre_y = 0;  // the query's centre in input pixels
    double radius95 = 0;                // smallest radius around the centre holding 95% of sum |g|
    double sum = 0;                     // sum of g over channels and pixels
    double abs_sum = 0;                 // sum of |g|
    double positive_share = 0;          // sum of max(g, 0) / sum |g| (0 when g = 0)
};

// The centre of query cell (row, col) on a grid of the given stride, in input pixels.
void query_centre(int row, int col, int stride, double* cx, double* cy);

EffectiveKernelReadouts kernel_readouts(const std::vector<float>& g, int h, int w, double cx, double cy);

// Kernel change between two effective kernels of the same size: the total variation
// 0.5 * sum |p1 - p2| of p = |g| / sum |g| summed over channels, 0..1. Each kernel is
// normalised by its own sum, so a kernel and a multiple of it have change 0.
double effective_kernel_change(const std::vector<float>& g1, const std::vector<float>& g2, int h, int w);
// The distribution that change compares: |g| summed over channels, normalised to sum 1
// (all 0 when g = 0), as float32 [h][w] (the gallery's kernel of a ResNet).
std::vector<float> effective_kernel_distribution(const std::vector<float>& g, int h, int w);

// Where the effective kernel puts its weight, on the stage grid (so the app can draw
// it as it draws an attention row): sum |g| over channels and over each stride x stride
// cell, normalised to sum 1 (all 0 when g = 0). Pixels past the last full cell count
// in the last row / column. Returns [grid_h][grid_w].
std::vector<float> kernel_mass_on_grid(const std::vector<float>& g, int h, int w, int grid_h, int grid_w, int stride);

}  // namespace ks
