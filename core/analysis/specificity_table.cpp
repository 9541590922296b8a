#include "analysis/specificity_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "analysis/data_specificity.h"
#include "draw/plot_palette.h"
#include "io/csv.h"
#include "io/input_error.h"

namespace ks {

namespace {

double specificity_number_cell(const std::string& cell, double lo, double hi, const std::string& where) {
    char* end = nullptr;
    const double v = std::strtod(cell.c_str(), &end);
    if (cell.empty() || end != cell.c_str() + cell.size() || !std::isfinite(v) || v < lo || v > hi)
    {
        char range[64];
        std::snprintf(range, sizeof range, "%g to %g", lo, hi);
        throw InputError(where + ": '" + cell + "' is not a number from " + range + ".");
    }
    return v;
}

bool is_model_free_kind(const std::string& kind) { return kind == "bilateral" || kind == "dynamic" || kind == "fixed_conv"; }

}  // namespace

std::vector<SpecificityRow> parse_specificity_csv(const std::string& text, const std::string& what) {
    const std::vector<CsvRecord> recs = csv_records(text, what);
    if (recs.empty() || recs[0].raw != "kind,layer,head,specificity,std,images,queries")
        throw InputError(what + " does not start with the header kind,layer,head,specificity,std,images,queries.");
    std::vector<SpecificityRow> out;
    for (size_t i = 1; i < recs.size(); ++i) {
        const auto& f = recs[i].fields;
        if (f.size() == 1 && f[0].empty()) continue;   // a blank last line
        const std::string where = what + " line " + std::to_string(i + 1);
        if (f.size() != 7) throw InputError(where + " has " + std::to_string(f.size()) + " fields, not 7.");
        if (std::find(std::begin(kSpecificityKinds), std::end(kSpecificityKinds), f[0]) == std::end(kSpecificityKinds))
            throw InputError(where + ": '" + f[0] + "' is not a kind of kernel.");
        SpecificityRow r;
        r.kind = f[0];
        r.layer = static_cast<int>(specificity_number_cell(f[1], 0, 100000, where));
        r.head = static_cast<int>(specificity_number_cell(f[2], 0, 100000, where));
        r.specificity = specificity_number_cell(f[3], 0, 1, where);
        r.std = specificity_number_cell(f[4], 0, 1, where);
        r.images = static_cast<long long>(specificity_number_cell(f[5], 0, 1e18, where));
        r.queries = static_cast<long long>(specificity_number_cell(f[6], 0, 1e18, where));
        out.push_back(r);
    }
    if (out.empty()) throw InputError(what + " has no rows.");
    return out;
}

Figure specificity_csv_figure(const std::vector<SpecificityRow>& rows, const std::string& title) {
    Figure f;
    f.spec.title = title;
    f.spec.y_label = "data specificity (mean TV to the mean kernel, 0..1)";
    f.spec.x_label = "depth (layer; a ResNet's stage)";
    f.spec.integer_x_ticks = true;
    double x1 = 0;
    for (const auto& r : rows) x1 = std::max<double>(x1, r.layer);
    f.spec.fixed_range = true;
    f.spec.x0 = -0.5;
    f.spec.x1 = x1 + 0.5;
    f.spec.y0 = 0;
    f.spec.y1 = 0.05;
    for (const auto& r : rows) f.spec.y1 = std::max(f.spec.y1, r.specificity * 1.08);
    f.spec.y1 = std::min(1.0, f.spec.y1);
    int colour = 0;
    for (const char* kind : kSpecificityKinds) {
        PlotSeries s;
        for (const auto& r : rows)
            if (r.kind == kind) {
                s.x.push_back(r.layer);
                s.y.push_back(r.specificity);
            }
        if (s.x.empty()) continue;
        const bool line = is_model_free_kind(kind);
        s.color = head_color(colour++);
        if (line) {   // the same kernel rule at every depth: a reference line across the plot
            const double v = s.y.front();
            s.x = {f.spec.x0, f.spec.x1};
            s.y = {v, v};
            s.dots = false;
            s.line = true;
        }
        f.spec.legend.push_back({std::string(kind) + (line ? "" : " (a dot per head)"), s.color, line ? LegendMark::Line : LegendMark::Dot});
        f.series.push_back(std::move(s));
    }
    return f;
}

}  // namespace ks
