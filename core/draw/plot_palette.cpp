#include "draw/plot_palette.h"

#include <algorithm>
#include <cmath>

#include "draw/colormap.h"

namespace ks {

namespace {

// Picked greedily in OKLab: from the app's accent blue, each next colour the one farthest
// from all before it among saturated colours with contrast >= 4.5 on the background, so
// the first n are as distinct as n colours can be for any n <= 16.
constexpr Rgb kHeadColors[kHeadPaletteSize] = {
    {0.418f, 0.686f, 0.981f}, {0.995f, 0.866f, 0.301f}, {0.887f, 0.408f, 0.280f}, {0.362f, 0.659f, 0.245f},
    {0.385f, 0.980f, 0.921f}, {0.994f, 0.611f, 0.961f}, {0.701f, 0.446f, 0.847f}, {0.988f, 0.685f, 0.568f},
    {0.557f, 0.863f, 0.448f}, {0.188f, 0.646f, 0.660f}, {0.766f, 0.666f, 0.233f}, {0.978f, 0.483f, 0.653f},
    {0.259f, 0.849f, 0.979f}, {0.065f, 0.788f, 0.546f}, {0.475f, 0.526f, 0.950f}, {0.989f, 0.711f, 0.173f},
};

double relative_luminance(const Rgb& c) {
    double l[3];
    for (int i = 0; i < 3; ++i) l[i] = c[i] <= 0.04045 ? c[i] / 12.92 : std::pow((c[i] + 0.055) / 1.055, 2.4);
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

}  // namespace

Rgb head_color(int head) { return kHeadColors[((head % kHeadPaletteSize) + kHeadPaletteSize) % kHeadPaletteSize]; }

Rgb depth_color(float t) { return colormap_rgb(Colormap::Viridis, 0.4f + 0.6f * std::clamp(t, 0.0f, 1.0f)); }

double contrast_ratio(const Rgb& a, const Rgb& b) {
    const double la = relative_luminance(a), lb = relative_luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

}  // namespace ks
