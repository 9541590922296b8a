#pragma once
// The comparison at the heart of the app (README, "The desktop app"): one query, two
// inputs A and B. What is drawn for each input's attention row, on one colour scale
// shared by both, their difference, and a local window around the query. Pure
// functions of rows, so every picture the app shows has numbers a test can check.
#include <string>
#include <vector>

#include "attention/attention_set.h"

namespace ks {

struct HeatOptions {
    bool patches_only = false;   // renormalise the row over the patches (prefix tokens are not on the image)
    // Leave the query's own patch out of the colour scale (the default): on most photos a
    // token's similarity to itself takes a large share of its row, and a scale that holds
    // it draws everything else in the bottom colour. The patch is drawn at the top colour
    // and labelled with its own value instead.
    bool exclude_query = true;
    bool log_scale = true;      // colour by log10 (values below max * 1e-3 share the lowest colour)
    // The scale's top: this quantile of each map's drawn patches (the largest over the
    // maps), not the maximum. A softmax row is heavy-tailed (exp(score / tau)), so a few
    // near-copies of the query's patch would otherwise leave the rest of the map dark;
    // the patches above it are drawn at the top colour. 1 = the maximum.
    float top_quantile = 0.99f;
};

// One row as drawn over the image.
struct PatchHeat {
    std::vector<float> values;   // gh x gw, the patch part of the row (renormalised if asked)
    double prefix_mass = 0.0;    // share of the row on prefix tokens (CLS, registers): not drawn
    int query_patch = -1;        // index into values of the query's own patch (-1: a prefix or rollout query)
};

// The patch part of an N-long row. `query_token` is the row's own token (-1 if none).
PatchHeat patch_heat(const std::vector<float>& row, const TokenLayout& layout, int query_token, const HeatOptions& o);

// One colour scale for several heatmaps: 0 .. the largest top_quantile of any (attention
// is non-negative), or on log10 from that top * 1e-3. The excluded patch is left out.
struct HeatScale {
    float lo = 0.0f, hi = 1.0f;  // in the values' own units (not logged)
    bool log = false;
    bool clipped = false;        // some drawn value lies above hi (shown at the top colour)
};
HeatScale shared_heat_scale(const std::vector<const PatchHeat*>& heats, const HeatOptions& o);
// The values the shader colours linearly between `lo` and `hi` of shader_range: as they
// are, or log10 of max(v, lo) for a log scale.
std::vector<float> heat_for_display(const std::vector<float>& values, const HeatScale& s);
// The share of a map's patches drawn at or above 10% of the colour scale's range (on
// the log scale, 10% of the log range): how much of the picture is lit rather than
// one dot on black. 0 for an empty map.
double lit_share(const std::vector<float>& values, const HeatScale& s);
void shader_range(const HeatScale& s, float* lo, float* hi);

// The diverging scale of a difference map b - a: the top_quantile of |b - a| over the
// patches (the query's own left out when the options say so), so that the query's
// change, or a few patches', does not leave the rest white. 0 when nothing changed.
float difference_scale(const std::vector<float>& diff, int query_patch, const HeatOptions& o);
// b - a, element-wise (the two inputs' heatmaps on the same grid), and max |b - a|.
std::vector<float> heat_difference(const std::vector<float>& a, const std::vector<float>& b, float* max_abs);

// The (2 radius + 1)^2 cells of a gh x gw map around (row, col), row-major; cells off
// the grid hold `outside`.
std::vector<float> local_window(const std::vector<float>& map, int gh, int gw, int row, int col, int radius,
                                float outside);

// "CLS 0.96" style: the prefix tokens' share of the row, for the note beside the map.
std::string prefix_mass_text(const std::vector<float>& row, const TokenLayout& layout);

}  // namespace ks
