#pragma once
// The comparison at one query, read from a ComparisonResult (no model run): each
// input's kernel there and how it is drawn (one colour scale for A and B, their
// difference, the 7 x 7 patches around the query), the conv kernels at the query's
// pixel with their responses around it, and the kernel changes by kind. The app draws
// these; `render` writes them to comparison.json; the tests check them without a window.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analysis/measures.h"
#include "attention/query_comparison.h"
#include "attention/views.h"
#include "compare/comparison.h"
#include "conv/kernel_character.h"

namespace ks {

constexpr int kLocalRadius = 3;   // the local windows: 7 x 7 patches around the query

// The asked view made valid for the result: layer -1 (rollout through every layer) is
// the last layer, indices clamped, a prefix query falls back to the patch when the
// model has none; a ResNet has one "layer" and "head" and no rollout.
ViewSpec resolve_view(const ComparisonResult& r, ViewSpec asked);

// The kernels at the query as drawn: attention rows (a ResNet: its effective kernel's
// |g| pooled on the stage grid, at the result's own query).
struct KernelMaps {
    std::vector<float> row_b, row_a;       // N each: B (the input shown; A when B is off) and clean A
    bool comparable = false;               // A's row exists over the same tokens
    PatchHeat heat_b, heat_a;
    HeatScale scale;                       // one scale for both
    double lit_share_a = 0, lit_share_b = 0;
    std::vector<float> display_b, display_a;   // heat_for_display of each
    std::vector<float> diff;               // heat_b - heat_a on the grid
    float diff_scale = 0;                  // difference_scale of diff
    std::vector<float> local_a, local_b, local_diff;   // 7 x 7 around a patch query (else empty)
    RowStats stats_b, stats_a;             // of the drawn patch values
    double change = 0;                     // kernel change of the whole rows (ResNet: of the effective kernels)
};
KernelMaps kernel_maps_at_query(const ComparisonResult& r, const ViewSpec& v, const HeatOptions& o);

// The conv kernel at the query's pixel on A and on B: the result's fixed kernel for
// both, or a data-dependent filter's own kernel on each input.
struct ConvAtQuery {
    ConvKernel kernel_b, kernel_a;
    ConvKernel kernel_diff;                // w(B) - w(A), one channel (an RGB kernel's channels in sequence)
    bool kernel_unchanged = true;          // every weight of kernel_diff is 0
    bool data_dependent = false;
    int x = -1, y = -1;                    // the pixel a data-dependent kernel belongs to
    RowStats stats;                        // of B's weights
    KernelCharacter character;             // of B's kernel
    double entropy = 0;                    // of |w| / sum |w|
    double change = 0;                     // the chosen filter's kernel change (|w| normalised)
    // The conv response of A and of B over the pixels of the 7 x 7 patches around the
    // query (0 off the image): the shown input's pixels, or a learned filter's model input's.
    Plane window_a, window_b;
    int win_x0 = 0, win_y0 = 0, win_w = 0, win_h = 0;
    float window_max = 1;
    bool window_signed = true;
    std::string error;                     // a data-dependent kernel could not be read (the fixed one is shown)
};
ConvAtQuery conv_at_query(const ComparisonResult& r, int row, int col);

// What the fixed and the data-dependent conv numbers are computed with, whatever filter
// is chosen: the last bank filter stands in for the fixed conv while a data-dependent
// one is chosen; the bilateral stands in for the data-dependent conv while a fixed one is.
struct ConvChoice {
    std::string last_bank_filter = "sobel_x";
    float gaussian_sigma = 1.0f;
    BilateralParams bilateral;
    DynamicConvParams dynamic;
};

// The comparison's numbers, one per kernel kind (each TV distance, 0 = the same kernel).
struct KernelChanges {
    std::optional<double> attention;          // the attention rows' (null: no B, or rows not comparable, or no attention)
    std::optional<double> effective_kernel;   // a ResNet's (the model's or the second slot's)
    double fixed_conv = 0;                    // exactly 0: a data-agnostic kernel
    std::string fixed_conv_filter;
    double data_dependent_conv = 0;           // at the query's pixel
    std::string data_dependent_filter;
};
KernelChanges kernel_changes(const ComparisonResult& r, const KernelMaps& maps, const ConvAtQuery& conv,
                             const ConvChoice& choice, bool have_b, int row, int col);
// The same keys wherever the numbers are written (the screenshot sidecar, Ctrl+E,
// the script state, `render`'s comparison.json).
nlohmann::json kernel_changes_json(const KernelChanges& k);

// Everything above for one query: what `render` writes and the tests read.
struct QueryComparison {
    ViewSpec view;                            // resolved
    KernelMaps maps;
    ConvAtQuery conv;
    KernelChanges changes;
};
QueryComparison compare_at_query(const ComparisonResult& r, const ViewSpec& asked, const HeatOptions& heat,
                                 const ConvChoice& choice, bool have_b);

}  // namespace ks
