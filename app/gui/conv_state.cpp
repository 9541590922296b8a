// The conv side of the comparison at the query, on the UI thread (all of it is a few
// thousand multiply-adds, redone when the result or the query moves, no new request):
// - the kernel at the query on A and on B: the result's fixed kernel for both, or for
//   a data-dependent filter each input's own kernel at the query's pixel;
// - the three kernel-change numbers: the fixed conv's (exactly 0), the data-dependent
//   conv's at the query's pixel (the chosen one, else the bilateral), whatever filter is chosen;
// - the conv response of A and of B over the same pixel window around the query.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app_state.h"
#include "conv/filter_choice.h"
#include "conv/kernel_character.h"
#include "conv/response_window.h"
#include "io/file_output.h"
#include "panel_util.h"
#include "attention/view_extras.h"

namespace ks::gui {

namespace {

constexpr int kLocalRadius = 3;  // the local window: 7 x 7 patches around the query

// The query patch's centre in pixels of the shown input.
std::array<int, 2> query_pixel(const AppState& app, const Plane& l) {
    const TokenLayout& L = app.result->current->layout;
    return patch_centre_pixel(l.width, l.height, L.grid_h, L.grid_w, app.q_row, app.q_col);
}

void update_response_windows(AppState& app) {
    const ComputeResult& res = *app.result;
    const TokenLayout& L = res.current->layout;
    const ConvKernel& k = app.kernel_shown;
    // The window covers the 7 x 7 patches around the query, in the pixels the kernel acts on:
    // the shown input's, or for a learned filter the model input's.
    const bool learned = k.channels == 3 && !res.response.v.empty() && !res.response_a.v.empty();
    const int W = learned ? res.response.width : res.lum_shown->width;
    const int H = learned ? res.response.height : res.lum_shown->height;
    auto edge = [](int cell, int n, int grid) { return static_cast<int>(std::floor(static_cast<double>(cell) * n / grid)); };
    app.win_x0 = edge(app.q_col - kLocalRadius, W, L.grid_w);
    app.win_y0 = edge(app.q_row - kLocalRadius, H, L.grid_h);
    app.win_w = edge(app.q_col + kLocalRadius + 1, W, L.grid_w) - app.win_x0;
    app.win_h = edge(app.q_row + kLocalRadius + 1, H, L.grid_h) - app.win_y0;
    auto crop = [&](const Plane& full) {
        Plane out;
        out.width = app.win_w;
        out.height = app.win_h;
        out.v.assign(static_cast<size_t>(app.win_w) * app.win_h, 0.0f);
        for (int y = 0; y < app.win_h; ++y)
            for (int x = 0; x < app.win_w; ++x) {
                const int sx = app.win_x0 + x, sy = app.win_y0 + y;
                if (sx >= 0 && sy >= 0 && sx < full.width && sy < full.height) out.at(x, y) = full.at(sx, sy);
            }
        return out;
    };
    // Off the image (a query at the border) the window shows 0: computed on the clipped
    // window, then placed into the full one.
    auto place = [&](const Plane& clipped) {
        Plane out;
        out.width = app.win_w;
        out.height = app.win_h;
        out.v.assign(static_cast<size_t>(app.win_w) * app.win_h, 0.0f);
        const int ox = std::max(0, -app.win_x0), oy = std::max(0, -app.win_y0);
        for (int y = 0; y < clipped.height; ++y)
            for (int x = 0; x < clipped.width; ++x)
                if (x + ox < out.width && y + oy < out.height) out.at(x + ox, y + oy) = clipped.at(x, y);
        return out;
    };
    if (learned) {
        app.resp_win_a = crop(res.response_a);
        app.resp_win_b = crop(res.response);
    } else if (app.kernel_data_dependent) {
        app.resp_win_a = place(data_dependent_window(res.filter, *res.lum_reference, res.bilateral, res.dynamic, app.win_x0,
                                                     app.win_y0, app.win_w, app.win_h));
        app.resp_win_b = place(data_dependent_window(res.filter, *res.lum_shown, res.bilateral, res.dynamic, app.win_x0,
                                                     app.win_y0, app.win_w, app.win_h));
    } else {
        app.resp_win_a = place(correlate_window(*res.lum_reference, k, app.win_x0, app.win_y0, app.win_w, app.win_h));
        app.resp_win_b = place(correlate_window(*res.lum_shown, k, app.win_x0, app.win_y0, app.win_w, app.win_h));
    }
    float m = 0.0f, lo = 0.0f;
    for (const Plane* p : {&app.resp_win_a, &app.resp_win_b})
        for (float v : p->v) {
            m = std::max(m, std::fabs(v));
            lo = std::min(lo, v);
        }
    app.resp_win_max = m > 0 ? m : 1.0f;
    app.resp_win_signed = lo < 0.0f;
    std::vector<float> d(app.resp_win_a.v.size());
    for (size_t i = 0; i < d.size(); ++i) d[i] = app.resp_win_b.v[i] - app.resp_win_a.v[i];
    app.resp_a_tex.upload_r32f(app.resp_win_a.v.data(), app.win_w, app.win_h, false);
    app.resp_b_tex.upload_r32f(app.resp_win_b.v.data(), app.win_w, app.win_h, false);
    app.resp_diff_tex.upload_r32f(d.data(), app.win_w, app.win_h, false);
}

}  // namespace

void update_conv_kernel(AppState& app) {
    if (!result_ready(app) || !app.result->lum_shown || !app.result->lum_reference) return;
    const ComputeResult& res = *app.result;
    const bool dd = res.data_dependent;
    const int row = app.q_row, col = app.q_col;
    if (app.kernel_key_result == res.id && app.kernel_key_row == row && app.kernel_key_col == col) return;
    app.kernel_key_result = res.id;
    app.kernel_key_row = row;
    app.kernel_key_col = col;
    app.kernel_data_dependent = dd;
    const auto p = query_pixel(app, *res.lum_shown);
    if (dd) {
        app.kernel_x = p[0];
        app.kernel_y = p[1];
        try {
            app.kernel_shown = data_dependent_kernel_at(res.filter, *res.lum_shown, p[0], p[1], res.bilateral, res.dynamic);
            app.kernel_shown_ref = data_dependent_kernel_at(res.filter, *res.lum_reference, p[0], p[1], res.bilateral, res.dynamic);
        } catch (const std::exception& e) {
            app.set_status(e.what(), true);
            app.kernel_shown = app.kernel_shown_ref = res.kernel;
        }
    } else {
        app.kernel_x = app.kernel_y = -1;
        app.kernel_shown = res.kernel;
        app.kernel_shown_ref = res.kernel_reference;
    }
    const ConvKernel& k = app.kernel_shown;
    const ConvKernel& ka = app.kernel_shown_ref;
    app.kernel_tex.upload_r32f(k.w.data(), k.size, k.size, false);  // channel 0 of an RGB kernel
    app.kernel_a_tex.upload_r32f(ka.w.data(), ka.size, ka.size, false);
    std::vector<float> kd(k.w.size(), 0.0f);
    if (ka.w.size() == k.w.size())
        for (size_t i = 0; i < kd.size(); ++i) kd[i] = k.w[i] - ka.w[i];
    app.kernel_diff_tex.upload_r32f(kd.data(), k.size, k.size, false);
    const auto krgb = to_rgb8(kernel_rgb(k));
    app.kernel_rgb_tex.upload_rgb8(krgb.data(), k.size, k.size, false);
    if (ka.channels == 3) {  // A's own RGB picture (a learned filter: the same weights, built again)
        const auto argb = to_rgb8(kernel_rgb(ka));
        app.kernel_a_rgb_tex.upload_rgb8(argb.data(), ka.size, ka.size, false);
    }
    app.conv_stats = row_stats(k.w.data(), static_cast<int>(k.w.size()));
    app.kernel_character = describe_kernel(k);
    const auto absn = abs_normalised(k);
    app.conv_entropy = entropy(absn.data(), static_cast<int>(absn.size()));
    app.change_conv = kernel_change(abs_normalised(ka), absn);

    // The strip's two conv numbers. The fixed conv is the chosen filter, or the last bank
    // filter while a data-dependent one is chosen; each side built independently.
    if (!dd) {
        app.fixed_conv_name = app.opts.filter;
        app.change_fixed_conv = app.change_conv;
    } else {
        app.fixed_conv_name = app.last_bank_filter;
        const ConvKernel f1 = fixed_filter(app.last_bank_filter, app.opts.gaussian_sigma, {});
        const ConvKernel f2 = fixed_filter(app.last_bank_filter, app.opts.gaussian_sigma, {});
        app.change_fixed_conv = kernel_change(abs_normalised(f1), abs_normalised(f2));
    }
    // The data-dependent number: the chosen data-dependent filter, else the bilateral.
    // Compared as |w| / sum |w| like every conv kernel (the dynamic kernel is signed).
    app.dd_conv_name = dd ? res.filter : kBilateralFilter;
    try {
        const BilateralParams& bp = dd ? res.bilateral : app.opts.bilateral;
        const DynamicConvParams& dp = dd ? res.dynamic : app.opts.dynamic;
        const ConvKernel now = data_dependent_kernel_at(app.dd_conv_name, *res.lum_shown, p[0], p[1], bp, dp);
        const ConvKernel ref = data_dependent_kernel_at(app.dd_conv_name, *res.lum_reference, p[0], p[1], bp, dp);
        app.change_dd_conv = kernel_change(abs_normalised(ref), abs_normalised(now));
    } catch (const std::exception&) {
        app.change_dd_conv = 0.0;
    }
    try {
        update_response_windows(app);
    } catch (const std::exception& e) {
        app.set_status(e.what(), true);
    }
}

std::string conv_change_text(const AppState& app) {
    // "Exactly 0" is a property of data-agnostic kernels; a data-dependent kernel that
    // happens not to move at this pixel is shown as the number it is.
    if (!app.kernel_data_dependent && app.change_conv == 0.0) return "0 (exactly)";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", app.change_conv);
    return buf;
}

}  // namespace ks::gui
