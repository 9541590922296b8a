#pragma once
// The comparison at the heart of the app (DESIGN.md, "The picture"): one query, two
// inputs A and B. What is drawn for each input's attention row, on one colour scale
// shared by both, their difference, and a local window around the query. Pure
// functions of rows, so every picture the app shows has numbers a test can check.
#include <string>
#include <vector>

#include "attention/attention_set.h"

namespace ks {

struct HeatOptions {
    bool patches_only = false;   // renormalise the row over the patches (prefix tokens are not on the image)
    bool exclude_query = false;  // leave the query's own patch out of the colour scale
    bool log_scale = false;      // colour by log10 (values below max * 1e-3 share the lowest colour)
};

// One row as drawn over the image.
struct PatchHeat {
    std::vector<float> values;   // gh x gw, the patch part of the row (renormalised if asked)
    double prefix_mass = 0.0;    // share of the row on prefix tokens (CLS, registers): not drawn
    int query_patch = -1;        // index into values of the query's own patch (-1: a prefix or rollout query)
};

// The patch part of an N-long row. `query_token` is the row's own token (-1 if none).
PatchHeat patch_heat(const std::vector<float>& row, const TokenLayout& layout, int query_token, const HeatOptions& o);

// One colour scale for several heatmaps: 0 .. the largest value of any (attention is
// non-negative), or on log10 from max * 1e-3. The excluded patch is left out of the max.
struct HeatScale {
    float lo = 0.0f, hi = 1.0f;  // in the values' own units (not logged)
    bool log = false;
};
HeatScale shared_heat_scale(const std::vector<const PatchHeat*>& heats, const HeatOptions& o);
// The values the shader colours linearly between `lo` and `hi` of shader_range: as they
// are, or log10 of max(v, lo) for a log scale.
std::vector<float> heat_for_display(const std::vector<float>& values, const HeatScale& s);
void shader_range(const HeatScale& s, float* lo, float* hi);

// b - a, element-wise (the two inputs' heatmaps on the same grid), and max |b - a|.
std::vector<float> heat_difference(const std::vector<float>& a, const std::vector<float>& b, float* max_abs);

// The (2 radius + 1)^2 cells of a gh x gw map around (row, col), row-major; cells off
// the grid hold `outside`.
std::vector<float> local_window(const std::vector<float>& map, int gh, int gw, int row, int col, int radius,
                                float outside);

// "CLS 0.96" style: the prefix tokens' share of the row, for the note beside the map.
std::string prefix_mass_text(const std::vector<float>& row, const TokenLayout& layout);

}  // namespace ks
