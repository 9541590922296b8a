#include "analysis/specificity_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/analysis_plots.h"   // head_x
#include "analysis/data_specificity_files.h"  // is_model_kind
#include "draw/plot_palette.h"

namespace ks {

const char* const kSpecificityAxisTitle = "data specificity: mean TV distance to the folder-mean kernel (unitless, 0 to 1)";

namespace {

// The model-free kinds' lines: apart from the head colours' hues where possible; the fixed
// conv in the text colour, the reference every other kind is read against.
Rgb line_color(const std::string& kind) {
    if (kind == "builtin") return {1.0f, 0.72f, 0.30f};
    if (kind == "bilateral") return {0.45f, 0.92f, 0.62f};
    if (kind == "dynamic") return {0.92f, 0.55f, 0.92f};
    return plot_theme().text;
}

std::string words(const std::string& kind) {
    if (kind == "builtin") return "built-in similarity model";
    if (kind == "bilateral") return "bilateral conv";
    if (kind == "dynamic") return "dynamic conv";
    if (kind == "fixed_conv") return "fixed conv (sobel_x)";
    if (kind == "effective_kernel") return "effective kernel";
    return kind;
}

std::string value_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

}  // namespace

Figure data_specificity_figure(const std::vector<SpecificityTotals>& t) {
    Figure f;
    PlotSpec& s = f.spec;
    s.y_label = kSpecificityAxisTitle;
    s.integer_x_ticks = true;
    s.zero_line = true;
    double hi = 0;
    int layers = 1;
    // The model's own kind has a number per layer (a ResNet's: per stage) and head; a
    // model-free kind one number (a line). A ViT's attention comes first, a ResNet's
    // effective kernel after the built-in model.
    size_t model = 0;
    for (size_t k = 0; k < t.size(); ++k)
        if (is_model_kind(t[k].shape.kind)) model = k;
    const bool stages = model < t.size() && t[model].shape.kind == "effective_kernel";
    s.x_label = stages ? "stage (depth; 0 = layer1, 3 = layer4)" : "layer (depth; 0 = the first block)";
    if (!t.empty()) {
        const SpecificityTotals& m = t[model];
        layers = std::max(1, m.shape.layers);
        const int heads = m.shape.heads;
        s.title = "Data specificity of " + words(m.shape.kind) + (stages ? " per stage" : " per head") + " over " +
                  std::to_string(m.images) + " images";
        if (!stages) s.legend.push_back({words(m.shape.kind) + ", head", {}, LegendMark::None});
        for (int h = 0; h < heads; ++h) {
            s.legend.push_back({stages ? words(m.shape.kind) : std::to_string(h), head_color(h), LegendMark::Dot});
            PlotSeries ser;
            ser.color = head_color(h);
            for (int l = 0; l < m.shape.layers; ++l) {
                const double v = m.tv[static_cast<size_t>(l) * heads + h].mean();
                ser.x.push_back(head_x(l, h, heads));
                ser.y.push_back(v);
                if (std::isfinite(v)) hi = std::max(hi, v);
            }
            f.series.push_back(std::move(ser));
        }
    }
    s.fixed_range = true;
    s.x0 = -0.5;
    s.x1 = layers - 0.5;
    for (size_t k = 0; k < t.size(); ++k) {
        if (k == model) continue;
        // A model-free kind has one kernel per query: one number, a line across every layer.
        const double v = t[k].tv.empty() ? 0.0 : t[k].tv.front().mean();
        PlotSeries line;
        line.color = line_color(t[k].shape.kind);
        line.dots = false;
        line.line = true;
        line.x = {s.x0, s.x1};
        line.y = {v, v};
        f.series.push_back(std::move(line));
        s.legend.push_back({words(t[k].shape.kind) + " " + value_text(v), line_color(t[k].shape.kind), LegendMark::Line});
        if (std::isfinite(v)) hi = std::max(hi, v);
    }
    s.y1 = std::min(1.0, hi * 1.1) + 1e-3;
    s.y0 = -0.03 * s.y1;   // the fixed conv's line at 0 clear of the frame
    return f;
}

}  // namespace ks
