// The conv kernel the panels show. A fixed (bank, user, learned) kernel comes with the
// result; a data-dependent one (bilateral) is read at the query's pixel from the
// result's luminance planes, here on the UI thread: it is (2r+1)^2 weights, cheap
// enough to redo whenever the query moves, and needs no new request to the worker.
#include <cstdio>

#include "app_state.h"
#include "io/file_output.h"
#include "conv/filter_choice.h"
#include "panel_util.h"
#include "attention/view_extras.h"

namespace ks::gui {

void update_conv_kernel(AppState& app) {
    if (!result_ready(app)) return;
    const ComputeResult& res = *app.result;
    const bool dd = res.data_dependent && res.lum_shown && res.lum_reference;
    // A fixed kernel changes only with the result; a data-dependent one with the query too.
    const int row = dd ? app.q_row : -1, col = dd ? app.q_col : -1;
    if (app.kernel_key_result == res.id && app.kernel_key_row == row && app.kernel_key_col == col) return;
    app.kernel_key_result = res.id;
    app.kernel_key_row = row;
    app.kernel_key_col = col;
    app.kernel_data_dependent = dd;
    if (dd) {
        const TokenLayout& L = res.current->layout;
        const Plane& l = *res.lum_shown;
        const auto p = patch_centre_pixel(l.width, l.height, L.grid_h, L.grid_w, app.q_row, app.q_col);
        app.kernel_x = p[0];
        app.kernel_y = p[1];
        try {
            app.kernel_shown = bilateral_kernel_at(l, p[0], p[1], res.bilateral);
            app.kernel_shown_ref = bilateral_kernel_at(*res.lum_reference, p[0], p[1], res.bilateral);
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
    app.kernel_tex.upload_r32f(k.w.data(), k.size, k.size, false);  // channel 0 of an RGB kernel
    const auto krgb = to_rgb8(kernel_rgb(k));
    app.kernel_rgb_tex.upload_rgb8(krgb.data(), k.size, k.size, false);
    app.conv_stats = row_stats(k.w.data(), static_cast<int>(k.w.size()));
    const auto absn = abs_normalised(k);
    app.conv_entropy = entropy(absn.data(), static_cast<int>(absn.size()));
    app.change_conv = kernel_change(abs_normalised(app.kernel_shown_ref), absn);
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
