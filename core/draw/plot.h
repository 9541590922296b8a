#pragma once
// Plain raster plots for the figures kernelscope writes (`analyze`, the Analyses
// window's PNG + CSV buttons): a title, the y axis's title with its unit, a legend,
// ticks with numbers, the x axis's title, bands, dots and lines. Drawn with core's own
// pixels (no plotting library), so the CLI can write a figure without a window. The app
// draws the same Figure with ImGui (app/gui/panel_analyses.cpp) from the same ranges,
// ticks, colours and words, so a file shows what the screen showed.
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "image/image.h"

namespace ks {

using Rgb = std::array<float, 3>;

// The colours of a figure: the app's dark window (theme.cpp paints its windows with
// this background), so an exported picture looks like the plot on screen and the head
// palette is checked against the one background it is drawn on.
struct PlotTheme {
    Rgb background{0.105f, 0.11f, 0.125f};
    Rgb text{0.90f, 0.91f, 0.93f};       // titles and legend
    Rgb muted{0.55f, 0.57f, 0.62f};      // tick numbers and axis titles
    Rgb grid{0.235f, 0.25f, 0.29f};
    Rgb frame{0.43f, 0.45f, 0.49f};
};
const PlotTheme& plot_theme();

struct PlotSeries {
    std::vector<double> x, y;
    Rgb color{0.42f, 0.69f, 0.98f};
    float alpha = 1.0f;
    bool dots = true;        // a filled dot at every point
    bool line = false;       // the points joined in order
    float dot_radius = 3.5f; // in pixels at text_px 16 (scaled with the text)
};

// A translucent rectangle behind the data; y0 = -inf / y1 = +inf reach the plot's edges.
struct PlotBand {
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
    Rgb color{1, 1, 1};
    float alpha = 0.2f;
};

enum class LegendMark { None, Dot, Line, Band };
struct LegendEntry {
    std::string label;
    Rgb color{1, 1, 1};
    LegendMark mark = LegendMark::Dot;
    float alpha = 1.0f;
};

struct PlotSpec {
    int width = 960, height = 560;
    float text_px = 16;              // the app's font size at UI scale 1
    std::string title;               // the file's heading (on screen the window's section header says it)
    std::string y_label;             // over the plot's top-left corner: what is plotted, with its unit
    std::string x_label;             // under the x ticks, with its unit
    std::vector<LegendEntry> legend; // after the y label, wrapping to more rows as needed
    std::vector<PlotBand> bands;
    bool integer_x_ticks = false;    // ticks only at whole numbers (layers, blocks)
    bool zero_line = false;          // a thin line at y = 0 when it is in range
    // The data range; when unset, the series' extent padded by 5%.
    bool fixed_range = false;
    double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
};

struct Figure {
    PlotSpec spec;
    std::vector<PlotSeries> series;
};

// x0, x1, y0, y1: the fixed range, or the series' finite extent padded by 5% (never empty).
std::array<double, 4> plot_range(const Figure& f);
// About `want` ticks at multiples of 1, 2 or 5 x 10^n covering [lo, hi]; whole numbers only
// when `integers` is set.
std::vector<double> plot_ticks(double lo, double hi, int want, bool integers);
// A tick's number with as many decimals as the tick step needs.
std::string plot_tick_label(double v, double step);

// Places items `widths` wide in rows between `left` and `right`, `gap` apart, the first
// row starting at `first_x` (after what precedes the items on that line). Returns each
// item's x and row (0-based); an item wider than a whole row gets a row to itself.
struct FlowSlot {
    float x = 0;
    int row = 0;
};
std::vector<FlowSlot> flow_items(const std::vector<float>& widths, float first_x, float left, float right, float gap);

// The legend's swatch width and the space between swatch and label, in units of text_px.
inline constexpr float kLegendSwatch = 0.9f, kLegendSwatchGap = 0.35f, kLegendGap = 1.0f;

// The figure as a width x height picture, text in PlotFont::standard().
Image plot_image(const Figure& f);

}  // namespace ks
