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
    if (kind == "fixed_conv") return "fixed conv";
    if (kind == "effective_kernel") return "effective kernel";
    return kind;
}

std::string value_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

// The model's own kind: the one with a number per layer (a ResNet's: per stage) and
// head. A ViT's attention comes first in the file, a ResNet's effective kernel after the
// built-in model; a file of model-free kinds alone plots its first kind as dots.
std::string model_kind_of(const std::vector<SpecificityRow>& rows) {
    for (const SpecificityRow& r : rows)
        if (is_model_kind(r.kind)) return r.kind;
    return rows.front().kind;
}

// The model kind's dots, one series per head; returns the number of layers.
int add_head_series(const std::vector<SpecificityRow>& rows, const std::string& kind, Figure& f, double& hi) {
    const bool stages = kind == "effective_kernel";
    int layers = 1, heads = 1;
    long long images = 0;
    for (const SpecificityRow& r : rows)
        if (r.kind == kind) {
            layers = std::max(layers, r.layer + 1);
            heads = std::max(heads, r.head + 1);
            images = r.images;
        }
    f.spec.x_label = stages ? "stage (depth; 0 = layer1, 3 = layer4)" : "layer (depth; 0 = the first block)";
    f.spec.title = "Data specificity of " + words(kind) + (stages ? " per stage" : " per head") + " over " + std::to_string(images) + " images";
    if (!stages) f.spec.legend.push_back({words(kind) + ", head", {}, LegendMark::None});
    for (int h = 0; h < heads; ++h) {
        f.spec.legend.push_back({stages ? words(kind) : std::to_string(h), head_color(h), LegendMark::Dot});
        PlotSeries ser;
        ser.color = head_color(h);
        for (const SpecificityRow& r : rows)
            if (r.kind == kind && r.head == h) {
                ser.x.push_back(head_x(r.layer, h, heads));
                ser.y.push_back(r.specificity);
                if (std::isfinite(r.specificity)) hi = std::max(hi, r.specificity);
            }
        f.series.push_back(std::move(ser));
    }
    return layers;
}

}  // namespace

Figure data_specificity_figure(const std::vector<SpecificityRow>& rows) {
    Figure f;
    PlotSpec& s = f.spec;
    s.y_label = kSpecificityAxisTitle;
    s.x_label = "layer (depth; 0 = the first block)";
    s.integer_x_ticks = true;
    s.zero_line = true;
    double hi = 0;
    const std::string model = rows.empty() ? std::string() : model_kind_of(rows);
    const int layers = rows.empty() ? 1 : add_head_series(rows, model, f, hi);
    s.fixed_range = true;
    s.x0 = -0.5;
    s.x1 = layers - 0.5;
    for (const SpecificityRow& r : rows) {
        // A model-free kind has one kernel per query: one number, a line across every layer.
        if (r.kind == model) continue;
        PlotSeries line;
        line.color = line_color(r.kind);
        line.dots = false;
        line.line = true;
        line.x = {s.x0, s.x1};
        line.y = {r.specificity, r.specificity};
        f.series.push_back(std::move(line));
        s.legend.push_back({words(r.kind) + " " + value_text(r.specificity), line_color(r.kind), LegendMark::Line});
        if (std::isfinite(r.specificity)) hi = std::max(hi, r.specificity);
    }
    s.y1 = std::min(1.0, hi * 1.1) + 1e-3;
    s.y0 = -0.03 * s.y1;   // the fixed conv's line at 0 clear of the frame
    return f;
}

}  // namespace ks
