// The conv side of the comparison at the query on screen: core's conv_at_query (a few
// thousand multiply-adds, redone when the result or the query moves, no new request)
// and its textures.
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

void upload_conv_textures(AppState& app) {
    const ConvAtQuery& c = app.conv;
    const ConvKernel& k = c.kernel_b;
    const ConvKernel& ka = c.kernel_a;
    app.kernel_tex.upload_r32f(k.w.data(), k.size, k.size, false);  // channel 0 of an RGB kernel
    app.kernel_a_tex.upload_r32f(ka.w.data(), ka.size, ka.size, false);
    app.kernel_diff_tex.upload_r32f(c.kernel_diff.w.data(), k.size, k.size, false);
    const auto krgb = to_rgb8(kernel_rgb(k));
    app.kernel_rgb_tex.upload_rgb8(krgb.data(), k.size, k.size, false);
    if (ka.channels == 3) {  // A's own RGB picture (a learned filter: the same weights, built again)
        const auto argb = to_rgb8(kernel_rgb(ka));
        app.kernel_a_rgb_tex.upload_rgb8(argb.data(), ka.size, ka.size, false);
    }
    if (c.win_w <= 0 || c.win_h <= 0) return;
    std::vector<float> d(c.window_a.v.size());
    for (size_t i = 0; i < d.size(); ++i) d[i] = c.window_b.v[i] - c.window_a.v[i];
    app.resp_a_tex.upload_r32f(c.window_a.v.data(), c.win_w, c.win_h, false);
    app.resp_b_tex.upload_r32f(c.window_b.v.data(), c.win_w, c.win_h, false);
    app.resp_diff_tex.upload_r32f(d.data(), c.win_w, c.win_h, false);
}

}  // namespace

bool update_conv_kernel(AppState& app) {
    if (!result_ready(app) || !app.result->lum_shown || !app.result->lum_reference) return false;
    const ComparisonResult& res = *app.result;
    const int row = app.q_row, col = app.q_col;
    if (app.kernel_key_result == res.id && app.kernel_key_row == row && app.kernel_key_col == col) return false;
    app.kernel_key_result = res.id;
    app.kernel_key_row = row;
    app.kernel_key_col = col;
    app.conv = conv_at_query(res, row, col);
    if (!app.conv.error.empty()) app.set_status(app.conv.error, true);
    upload_conv_textures(app);
    return true;
}

std::string conv_change_text(const AppState& app) {
    // "Exactly 0" is a property of data-agnostic kernels; a data-dependent kernel that
    // happens not to move at this pixel is shown as the number it is.
    if (!app.conv.data_dependent && app.conv.change == 0.0) return "0 (exactly)";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", app.conv.change);
    return buf;
}

}  // namespace ks::gui
