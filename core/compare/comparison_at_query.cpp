#include "compare/comparison_at_query.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "conv/filter_choice.h"
#include "conv/response_window.h"

namespace ks {

ViewSpec resolve_view(const ComparisonResult& r, ViewSpec v) {
    const AttentionSet& a = *r.current;
    v.layer = v.layer < 0 ? a.layers - 1 : std::min(v.layer, a.layers - 1);
    v.head = std::clamp(v.head, 0, a.heads - 1);
    const int np = a.layout.num_prefix();
    if (v.kind == QueryKind::Prefix && np == 0) v.kind = QueryKind::Patch;
    if (v.kind == QueryKind::Prefix) v.prefix = std::clamp(v.prefix, 0, np - 1);
    if (v.kind == QueryKind::Rollout) v.prefix = np == 0 ? -1 : std::clamp(v.prefix, 0, np - 1);
    if (r.cnn) {
        v.kind = QueryKind::Patch;
        v.layer = 0;
        v.head = 0;
        v.reduce = HeadReduce::Single;
    }
    return v;
}

KernelMaps kernel_maps_at_query(const ComparisonResult& r, const ViewSpec& v, const HeatOptions& o) {
    const AttentionSet& B = *r.current;
    const TokenLayout& L = B.layout;
    KernelMaps m;
    m.row_b = r.cnn ? r.cnn_row_b : view_row(B, v);
    m.comparable = r.cnn ? !r.cnn_row_a.empty() : r.reference && r.reference->tokens == B.tokens;
    m.row_a = r.cnn ? r.cnn_row_a : m.comparable ? view_row(*r.reference, v) : m.row_b;
    const int qt = v.kind == QueryKind::Rollout ? -1 : r.cnn ? L.patch_token(r.cnn_row, r.cnn_col) : query_token(B, v);
    m.heat_b = patch_heat(m.row_b, L, qt, o);
    m.heat_a = patch_heat(m.row_a, L, qt, o);
    m.scale = shared_heat_scale({&m.heat_a, &m.heat_b}, o);
    m.lit_share_a = lit_share(m.heat_a.values, m.scale);
    m.lit_share_b = lit_share(m.heat_b.values, m.scale);
    m.display_b = heat_for_display(m.heat_b.values, m.scale);
    m.display_a = heat_for_display(m.heat_a.values, m.scale);
    m.diff = heat_difference(m.heat_a.values, m.heat_b.values, nullptr);
    m.diff_scale = difference_scale(m.diff, m.heat_b.query_patch, o);
    if (m.heat_b.query_patch >= 0) {
        // Cells off the grid are covered when drawn.
        m.local_a = local_window(m.display_a, L.grid_h, L.grid_w, v.row, v.col, kLocalRadius, 0.0f);
        m.local_b = local_window(m.display_b, L.grid_h, L.grid_w, v.row, v.col, kLocalRadius, 0.0f);
        m.local_diff = local_window(m.diff, L.grid_h, L.grid_w, v.row, v.col, kLocalRadius, 0.0f);
    }
    m.stats_b = row_stats(m.heat_b.values.data(), static_cast<int>(m.heat_b.values.size()));
    m.stats_a = row_stats(m.heat_a.values.data(), static_cast<int>(m.heat_a.values.size()));
    // The definition's: the whole rows (prefix tokens included); a ResNet's: the TV of the
    // normalised |g| at every input pixel (not pooled), computed with the result.
    if (m.comparable) m.change = r.cnn ? r.cnn_change : kernel_change(m.row_a, m.row_b);
    return m;
}

namespace {

// `clipped` (a window cut at the image's border) placed into a w x h window at (-x0, -y0)'s offset.
Plane place_window(const Plane& clipped, int x0, int y0, int w, int h) {
    Plane out;
    out.width = w;
    out.height = h;
    out.v.assign(static_cast<size_t>(w) * h, 0.0f);
    const int ox = std::max(0, -x0), oy = std::max(0, -y0);
    for (int y = 0; y < clipped.height; ++y)
        for (int x = 0; x < clipped.width; ++x)
            if (x + ox < w && y + oy < h) out.at(x + ox, y + oy) = clipped.at(x, y);
    return out;
}

Plane crop_window(const Plane& full, int x0, int y0, int w, int h) {
    Plane out;
    out.width = w;
    out.height = h;
    out.v.assign(static_cast<size_t>(w) * h, 0.0f);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const int sx = x0 + x, sy = y0 + y;
            if (sx >= 0 && sy >= 0 && sx < full.width && sy < full.height) out.at(x, y) = full.at(sx, sy);
        }
    return out;
}

void response_windows(const ComparisonResult& r, int row, int col, ConvAtQuery& c) {
    const TokenLayout& L = r.current->layout;
    // A learned filter acts on the model input: its window is in that input's pixels.
    const bool learned = c.kernel_b.channels == 3 && !r.response.v.empty() && !r.response_a.v.empty();
    const int W = learned ? r.response.width : r.lum_shown->width;
    const int H = learned ? r.response.height : r.lum_shown->height;
    auto edge = [](int cell, int n, int grid) { return static_cast<int>(std::floor(static_cast<double>(cell) * n / grid)); };
    c.win_x0 = edge(col - kLocalRadius, W, L.grid_w);
    c.win_y0 = edge(row - kLocalRadius, H, L.grid_h);
    c.win_w = edge(col + kLocalRadius + 1, W, L.grid_w) - c.win_x0;
    c.win_h = edge(row + kLocalRadius + 1, H, L.grid_h) - c.win_y0;
    if (learned) {
        c.window_a = crop_window(r.response_a, c.win_x0, c.win_y0, c.win_w, c.win_h);
        c.window_b = crop_window(r.response, c.win_x0, c.win_y0, c.win_w, c.win_h);
    } else if (c.data_dependent) {
        c.window_a = place_window(data_dependent_window(r.filter, *r.lum_reference, r.bilateral, r.dynamic, c.win_x0,
                                                        c.win_y0, c.win_w, c.win_h), c.win_x0, c.win_y0, c.win_w, c.win_h);
        c.window_b = place_window(data_dependent_window(r.filter, *r.lum_shown, r.bilateral, r.dynamic, c.win_x0, c.win_y0,
                                                        c.win_w, c.win_h), c.win_x0, c.win_y0, c.win_w, c.win_h);
    } else {
        c.window_a = place_window(correlate_window(*r.lum_reference, c.kernel_b, c.win_x0, c.win_y0, c.win_w, c.win_h),
                                  c.win_x0, c.win_y0, c.win_w, c.win_h);
        c.window_b = place_window(correlate_window(*r.lum_shown, c.kernel_b, c.win_x0, c.win_y0, c.win_w, c.win_h),
                                  c.win_x0, c.win_y0, c.win_w, c.win_h);
    }
    float m = 0.0f, lo = 0.0f;
    for (const Plane* p : {&c.window_a, &c.window_b})
        for (float v : p->v) {
            m = std::max(m, std::fabs(v));
            lo = std::min(lo, v);
        }
    c.window_max = m > 0 ? m : 1.0f;
    c.window_signed = lo < 0.0f;
}

// The query patch's centre in pixels of the shown input.
std::array<int, 2> query_pixel(const ComparisonResult& r, int row, int col) {
    const TokenLayout& L = r.current->layout;
    return patch_centre_pixel(r.lum_shown->width, r.lum_shown->height, L.grid_h, L.grid_w, row, col);
}

}  // namespace

ConvAtQuery conv_at_query(const ComparisonResult& r, int row, int col) {
    ConvAtQuery c;
    c.data_dependent = r.data_dependent;
    c.kernel_b = r.kernel;
    c.kernel_a = r.kernel_reference;
    if (c.data_dependent) {
        const auto p = query_pixel(r, row, col);
        c.x = p[0];
        c.y = p[1];
        try {
            c.kernel_b = data_dependent_kernel_at(r.filter, *r.lum_shown, c.x, c.y, r.bilateral, r.dynamic);
            c.kernel_a = data_dependent_kernel_at(r.filter, *r.lum_reference, c.x, c.y, r.bilateral, r.dynamic);
        } catch (const std::exception& e) {
            c.error = e.what();
            c.kernel_b = r.kernel;
            c.kernel_a = r.kernel_reference;
        }
    }
    c.kernel_diff = c.kernel_b;
    c.kernel_diff.channels = 1;
    for (size_t i = 0; i < c.kernel_diff.w.size(); ++i) {
        c.kernel_diff.w[i] = i < c.kernel_a.w.size() ? c.kernel_b.w[i] - c.kernel_a.w[i] : c.kernel_b.w[i];
        c.kernel_unchanged = c.kernel_unchanged && c.kernel_diff.w[i] == 0.0f;
    }
    c.stats = row_stats(c.kernel_b.w.data(), static_cast<int>(c.kernel_b.w.size()));
    c.character = describe_kernel(c.kernel_b);
    const auto absn = abs_normalised(c.kernel_b);
    c.entropy = entropy(absn.data(), static_cast<int>(absn.size()));
    c.change = kernel_change(abs_normalised(c.kernel_a), absn);
    try {
        response_windows(r, row, col, c);
    } catch (const std::exception& e) {
        if (c.error.empty()) c.error = e.what();
    }
    return c;
}

KernelChanges kernel_changes(const ComparisonResult& r, const KernelMaps& maps, const ConvAtQuery& conv,
                             const ConvChoice& choice, bool have_b, int row, int col) {
    KernelChanges k;
    if (have_b && maps.comparable && !r.cnn) k.attention = maps.change;
    if (r.cnn || r.cnn2) k.effective_kernel = r.cnn_change;
    // The fixed conv: the chosen filter, or the last bank filter while a data-dependent
    // one is chosen (each side built independently: exactly 0 by construction).
    if (!conv.data_dependent) {
        k.fixed_conv_filter = r.filter;
        k.fixed_conv = conv.change;
    } else {
        k.fixed_conv_filter = choice.last_bank_filter;
        const ConvKernel f1 = fixed_filter(choice.last_bank_filter, choice.gaussian_sigma, {});
        const ConvKernel f2 = fixed_filter(choice.last_bank_filter, choice.gaussian_sigma, {});
        k.fixed_conv = kernel_change(abs_normalised(f1), abs_normalised(f2));
    }
    // The data-dependent conv: the chosen one, else the bilateral, at the query's pixel;
    // compared as |w| / sum |w| like every conv kernel (the dynamic kernel is signed).
    k.data_dependent_filter = conv.data_dependent ? r.filter : kBilateralFilter;
    if (conv.data_dependent) {
        k.data_dependent_conv = conv.change;
    } else {
        try {
            const BilateralParams& bp = choice.bilateral;
            const auto p = query_pixel(r, row, col);
            const ConvKernel now = data_dependent_kernel_at(kBilateralFilter, *r.lum_shown, p[0], p[1], bp, choice.dynamic);
            const ConvKernel ref = data_dependent_kernel_at(kBilateralFilter, *r.lum_reference, p[0], p[1], bp, choice.dynamic);
            k.data_dependent_conv = kernel_change(abs_normalised(ref), abs_normalised(now));
        } catch (const std::exception&) {
            k.data_dependent_conv = 0.0;
        }
    }
    return k;
}

}  // namespace ks

namespace ks {

nlohmann::json kernel_changes_json(const KernelChanges& k) {
    auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
    return {{"attention", opt(k.attention)},
            {"effective_kernel", opt(k.effective_kernel)},
            {"fixed_conv", k.fixed_conv},
            {"fixed_conv_filter", k.fixed_conv_filter},
            {"data_dependent_conv", k.data_dependent_conv},
            {"data_dependent_filter", k.data_dependent_filter}};
}

QueryComparison compare_at_query(const ComparisonResult& r, const ViewSpec& asked, const HeatOptions& heat,
                                 const ConvChoice& choice, bool have_b) {
    QueryComparison q;
    q.view = resolve_view(r, asked);
    q.maps = kernel_maps_at_query(r, q.view, heat);
    q.conv = conv_at_query(r, q.view.row, q.view.col);
    q.changes = kernel_changes(r, q.maps, q.conv, choice, have_b, q.view.row, q.view.col);
    return q;
}

}  // namespace ks
