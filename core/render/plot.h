#pragma once
// Plain raster plots for the files `kernelscope analyze` writes: axes, ticks with
// numeric labels, dots and lines. Drawn with core's own pixels (no plotting library),
// so the CLI can write a figure without a window; the app draws its own with ImGui.
#include <array>
#include <utility>
#include <vector>

#include "image/image.h"

namespace ks {

struct PlotSeries {
    std::vector<double> x, y;
    std::array<float, 3> color{0.1f, 0.3f, 0.8f};
    bool dots = true;        // a filled dot at every point
    bool line = false;       // the points joined in order
    int dot_radius = 3;
};

struct PlotSpec {
    int width = 640, height = 400;
    // x intervals shaded light gray behind the data (the MSA sub-blocks in Park & Kim's Fig. 8).
    std::vector<std::pair<double, double>> shade_x;
    bool integer_x_ticks = false;   // ticks only at whole numbers (layers, blocks)
    bool zero_line = false;         // a thin line at y = 0 when it is in range
};

// The data range (padded by 5%) maps onto the plot area; ticks at 1, 2 or 5 x 10^n.
// Labels use a built-in 3x5 digit font (digits, '.', '-'), so axes carry numbers only;
// what the axes mean is in the file name and the README.
Image plot_image(const PlotSpec& spec, const std::vector<PlotSeries>& series);

}  // namespace ks
