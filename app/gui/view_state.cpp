// What the panels show is derived here from the cached result and the view (query,
// layer, head, query kind): one row, its heatmap, stats, mask and the heads-grid
// thumbnails. Everything is a read of the result (no forward pass) and is redone only
// when its inputs change, so moving the query costs one row and one small upload.
#include <algorithm>
#include <cmath>

#include "app_state.h"
#include "family_ui.h"
#include "io/file_output.h"
#include "attention/query_comparison.h"
#include "attention/view_extras.h"

namespace ks::gui {

namespace {

bool result_ok(const AppState& app) {
    return app.result && app.result->error.empty() && app.result->current && app.result->shown;
}

// opts.view at the query on screen, made valid for the result (core's resolve_view).
ViewSpec resolve_view(const AppState& app, const AttentionSet&) {
    ViewSpec v = app.opts.view;
    v.row = app.q_row;
    v.col = app.q_col;
    return ks::resolve_view(*app.result, v);
}

ConvChoice conv_choice(const AppState& app) {
    ConvChoice c;
    c.last_bank_filter = app.last_bank_filter;
    c.gaussian_sigma = app.opts.gaussian_sigma;
    c.bilateral = app.opts.bilateral;
    c.dynamic = app.opts.dynamic;
    return c;
}

void upload_maps(AppState& app, const TokenLayout& L) {
    const KernelMaps& m = app.maps;
    app.heat_tex.upload_r32f(m.display_b.data(), L.grid_w, L.grid_h, false);
    app.heat_a_tex.upload_r32f(m.display_a.data(), L.grid_w, L.grid_h, false);
    app.diff_tex.upload_r32f(m.diff.data(), L.grid_w, L.grid_h, false);
    if (m.local_a.empty()) return;
    const int side = 2 * kLocalRadius + 1;
    app.local_a_tex.upload_r32f(m.local_a.data(), side, side, false);
    app.local_b_tex.upload_r32f(m.local_b.data(), side, side, false);
    app.local_diff_tex.upload_r32f(m.local_diff.data(), side, side, false);
}

}  // namespace

std::string head_label(const ViewSpec& v) {
    if (v.reduce == HeadReduce::Mean) return "mean of heads";
    if (v.reduce == HeadReduce::Max) return "max of heads";
    return "head " + std::to_string(v.head);
}

int query_token_now(const AppState& app) {
    if (!result_ok(app)) return -1;
    try {
        return query_token(*app.result->current, resolve_view(app, *app.result->current));
    } catch (const std::exception&) {
        return -1;
    }
}

std::string query_label(const AppState& app) {
    const TokenLayout* g = app.grid();
    const ViewSpec& v = app.view;
    // Row and column named, as the bilateral kernel's pixel names x and y.
    const auto patch = "patch (row " + std::to_string(app.q_row) + ", col " + std::to_string(app.q_col) + ")";
    if (!g) return patch;
    if (v.kind == QueryKind::Prefix && v.prefix >= 0 && v.prefix < g->num_prefix()) return g->prefix_names[v.prefix];
    if (v.kind == QueryKind::Rollout) {
        const std::string who = v.prefix >= 0 && v.prefix < g->num_prefix() ? g->prefix_names[v.prefix] : patch;
        return "rollout of " + who + ", layers 0.." + std::to_string(v.layer);
    }
    return patch;
}

void step_layer(AppState& app, int d) {
    if (!result_ok(app)) return;
    if (const auto step = family_ui(app).step_layer) {  // a ResNet's stages: a new request
        step(app, d);
        return;
    }
    const int n = app.result->current->layers;
    app.opts.view.layer = std::clamp(app.view.layer + d, 0, n - 1);
}

void step_head(AppState& app, int d) {
    if (!result_ok(app)) return;
    const int h = app.result->current->heads;
    // One cycle: head 0 .. H-1, then the mean and the max over heads.
    const ViewSpec& v = app.view;
    int i = v.reduce == HeadReduce::Mean ? h : v.reduce == HeadReduce::Max ? h + 1 : v.head;
    i = ((i + d) % (h + 2) + h + 2) % (h + 2);
    ViewSpec& o = app.opts.view;
    if (i < h) {
        o.reduce = HeadReduce::Single;
        o.head = i;
    } else {
        o.reduce = i == h ? HeadReduce::Mean : HeadReduce::Max;
    }
}

void select_layer_head(AppState& app, int layer, int head) {
    app.opts.view.layer = layer;
    app.opts.view.head = head;
    app.opts.view.reduce = HeadReduce::Single;
}

void set_query_kind(AppState& app, QueryKind kind, int prefix) {
    app.opts.view.kind = kind;
    app.opts.view.prefix = prefix;
    if (kind == QueryKind::Patch) app.pinned = true;
}

void update_derived(AppState& app) {
    if (!result_ok(app)) return;
    const ComparisonResult& res = *app.result;
    const AttentionSet& A = *res.current;
    const TokenLayout& L = A.layout;
    app.q_row = std::clamp(app.q_row, 0, L.grid_h - 1);
    app.q_col = std::clamp(app.q_col, 0, L.grid_w - 1);
    // The worker prepared both pictures at display size; here they are only uploaded.
    // Panels place them by the full-resolution sizes, so hover maps to full-res pixels.
    // A texture of a new size costs a fresh allocation (~100 ms each for 2048 px under
    // llvmpipe), so the response waits for the frame after the image: no frame pays twice.
    const int frame = ImGui::GetFrameCount();
    if (app.tex_result_id != res.id) {
        if (const DisplayPicture* p = res.shown_picture.get())
            app.image_tex.upload_rgb8(p->rgb.data(), p->width, p->height, true);
        app.tex_result_id = res.id;
        app.tex_upload_frame = frame;
    }
    if (app.response_tex_result_id != res.id && frame != app.tex_upload_frame) {
        if (const DisplayPicture* p = res.response_picture.get())
            app.response_tex.upload_rgb8(p->rgb.data(), p->width, p->height, true);
        app.response_signed = res.response_signed;
        app.response_tex_result_id = res.id;
    }
    if (app.tex_a_result_id != res.id && res.shown_a_picture && res.shown_a_picture != res.shown_picture &&
        frame != app.tex_upload_frame) {
        const DisplayPicture* p = res.shown_a_picture.get();
        app.image_a_tex.upload_rgb8(p->rgb.data(), p->width, p->height, true);
        app.tex_a_result_id = res.id;
    }
    const bool conv_changed = update_conv_kernel(app);
    const ViewSpec v = resolve_view(app, A);
    app.view = v;
    DerivedKey key;
    key.result = res.id;
    key.layer = v.layer;
    key.head = v.reduce == HeadReduce::Single ? v.head : -1;
    key.reduce = static_cast<int>(v.reduce);
    key.kind = static_cast<int>(v.kind);
    key.prefix = v.prefix;
    key.opts = (app.heat_opts.patches_only ? 1 : 0) | (app.heat_opts.exclude_query ? 2 : 0) | (app.heat_opts.log_scale ? 4 : 0);
    if ((res.cnn || res.cnn2) && std::pair(app.q_row, app.q_col) != std::pair(res.cnn_src_row, res.cnn_src_col) &&
        app.cnn_query_asked != std::pair(app.q_row, app.q_col)) {
        // The result holds the effective kernel of its own query only: ask the worker
        // for this one (one backward pass, or its cache); the old one shows meanwhile.
        request_compute(app);
    }
    if (query_token(A, v) >= L.num_prefix()) {  // only a patch query moves with the mouse
        key.row = v.row;
        key.col = v.col;
    }
    const float t = app.mask_on ? app.mask_t : 0.0f;
    const bool maps_changed = !(key == app.derived_key);
    if (maps_changed) {
        try {
            app.maps = kernel_maps_at_query(res, v, app.heat_opts);
            upload_maps(app, L);
        } catch (const std::exception& e) {
            app.set_status(e.what(), true);
        }
        app.derived_key = key;
    }
    if (maps_changed || conv_changed)
        app.changes = kernel_changes(res, app.maps, app.conv, conv_choice(app), app.b_shown(), app.q_row, app.q_col);
    if (!maps_changed && t == app.mask_t_used) return;
    app.mask = heatmap_mass_mask(app.maps.heat_b.values, t);
    app.mask_t_used = t;
}

void update_heads_grid(AppState& app) {
    if (!result_ok(app)) return;
    const ComparisonResult& res = *app.result;
    const AttentionSet& A = *res.current;
    const int token = query_token_now(app);
    if (token < 0 || (app.grid_result_id == res.id && app.grid_token == token)) return;
    const TokenLayout& L = A.layout;
    const int np = L.num_patches(), n = A.layers * A.heads;
    app.grid_rows = head_grid_rows(A, token);
    app.grid_max.assign(n, 0.0f);
    while (static_cast<int>(app.grid_tex.size()) < n) app.grid_tex.emplace_back();
    for (int i = 0; i < n; ++i) {
        const float* r = app.grid_rows.data() + static_cast<size_t>(i) * np;
        app.grid_max[i] = *std::max_element(r, r + np);
        app.grid_tex[i].upload_r32f(r, L.grid_w, L.grid_h, false);
    }
    app.grid_result_id = res.id;
    app.grid_token = token;
}

}  // namespace ks::gui
