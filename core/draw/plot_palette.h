#pragma once
// Colours that read on the plots' dark background (plot.h's PlotTheme, the app's window):
// one per attention head, and one per depth for curves ordered input -> last block.
// A sequential colormap from 0 gave head 0 a dark purple on near-black; heads have no
// order, so they get distinct colours, each at least 4.5:1 (WCAG AA) against the
// background and well apart from the other 15 (tests/test_plot_figures.cpp).
#include "draw/plot.h"

namespace ks {

inline constexpr int kHeadPaletteSize = 16;
// Head h's colour; past 16 heads the colours repeat (the legend and tooltips name the head).
Rgb head_color(int head);

// Depth t in [0, 1] (input .. last block): viridis over its bright part only, [0.4, 1].
Rgb depth_color(float t);

// WCAG 2 contrast ratio of two sRGB colours (1 .. 21).
double contrast_ratio(const Rgb& a, const Rgb& b);

}  // namespace ks
