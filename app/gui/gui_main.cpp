// What the frame loop (run_gui.cpp) hands the model worker and takes back from it:
// post_if_dirty sends the current settings as a request, pick_up_result takes a
// finished result and applies what follows from it. Declared in worker_exchange.h.
#include "gui_main.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <imgui_internal.h>

#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <csignal>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "app_state.h"
#include "family_ui.h"
#include "capture.h"
#include "export_numbers.h"
#include "frame_damage.h"
#include "frame_report.h"
#include "io/file_output.h"
#include "layout.h"
#include "image/patch_grid.h"
#include "io/safetensors.h"
#include "sample_image.h"
#include "script.h"
#include "settings_ini.h"
#include "theme.h"
#include "window_title.h"

namespace fs = std::filesystem;

namespace ks::gui {

void post_if_dirty(AppState& app) {
    if (!app.request_dirty || !app.image_a) return;
    ComparisonRequest req;
    req.id = app.next_request++;
    req.image_a = app.image_a;
    req.image_a_version = app.image_version;
    if (app.second_image_shown()) req.image_b = app.image_b;
    if (app.b_mode == BMode::Perturbed) req.perturb = app.perturb;
    req.sim = app.opts.sim;
    req.model = app.model;
    req.filter = app.opts.filter;
    req.gaussian_sigma = app.opts.gaussian_sigma;
    req.user_weights = app.opts.user_weights;
    req.bilateral = app.opts.bilateral;
    req.dynamic = app.opts.dynamic;
    // A ResNet's effective kernel is computed for one query at a time: the current one
    // once a ResNet result gives the grid, else the one asked for at launch (else the centre).
    req.cnn_stage = app.cnn_stage;
    req.analyses = app.show_analyses;
    if (app.checkpoint_shown()) {
        req.query_row = app.q_row;
        req.query_col = app.q_col;
    } else if (app.launch_query) {
        req.query_row = app.launch_query->first;
        req.query_col = app.launch_query->second;
    }
    app.cnn_query_asked = {req.query_row, req.query_col};
    app.posted_perturb.emplace_back(req.id, req.perturb);
    while (app.posted_perturb.size() > 8) app.posted_perturb.pop_front();
    if (!app.wait_started) app.wait_started = std::chrono::steady_clock::now();
    app.last_posted = req.id;
    app.worker.post(std::move(req));
    app.request_dirty = false;
}

namespace {

// A result that failed: the last good result stays on screen; a checkpoint that does
// not load leaves the model that was there.
void take_failed_result(AppState& app, const ComparisonResult& r, std::string* error) {
    *error = r.error;
    app.set_status(r.error, true);
    if (!r.model_failed || r.id != app.last_posted) return;
    app.model.weights_path = app.model_fallback;
    if (is_learned_filter(app.opts.filter) && app.model_fallback.empty()) app.opts.filter = "sobel_x";
    request_compute(app);
}

// What a good result changes in the settings: B off when it could not be computed, the
// second slot emptied when its checkpoint failed, a family's own default filter, the
// checkpoint remembered in File > Open recent.
void apply_result_policy(AppState& app, const ComparisonResult& r) {
    if (!r.warning.empty()) {
        app.set_status(r.warning, true);
        app.b_mode = BMode::Off;   // what is drawn says what was computed: A alone
        request_compute(app);
    }
    if (!r.second_error.empty() && r.id == app.last_posted) {
        app.set_status(r.second_error, true);
        app.model.second_weights_path.clear();
    }
    if (const char* f = r.family.empty() ? nullptr : family_by_id(r.family).default_filter;
        f && r.weights_path != app.model_fallback && app.opts.filter == "sobel_x") {
        // A checkpoint just loaded whose family compares with its own first learned filter.
        app.opts.filter = f;
        request_compute(app);
    }
    if (!r.weights_path.empty()) {   // a checkpoint's result (any family)
        if (r.weights_path != app.model_fallback && !app.screenshot_mode) app.recent.add(r.weights_path);
        app.model_fallback = r.weights_path;
        if (app.result && app.result->weights_path != r.weights_path) app.set_status("Loaded " + r.weights_path);
    }
}

// --query / --layer / --head checked against the model's real grid and size, once.
// False (with the message) when they do not fit and a screenshot was asked for.
bool check_launch_view(AppState& app, const ComparisonResult& r, std::string* error) {
    if (!app.launch_checks_pending) return true;
    app.launch_checks_pending = false;
    const TokenLayout& L = r.current->layout;
    ViewSpec v = app.opts.view;
    v.row = app.launch_query ? app.launch_query->first : L.grid_h / 2;
    v.col = app.launch_query ? app.launch_query->second : L.grid_w / 2;
    try {
        if (const auto check = family_ui_by_id(r.family).check_launch_view) {
            check(app, r, v);   // a ResNet's stage grid
        } else {
            if (!app.launch_prefix.empty()) app.opts.view.prefix = v.prefix = prefix_index(L, app.launch_prefix);
            (void)view_row(*r.current, v);
        }
    } catch (const std::exception& e) {
        *error = e.what();
        app.set_status(e.what(), true);
        if (app.screenshot_mode) return false;
    }
    if (app.launch_query) {
        app.q_row = app.launch_query->first;
        app.q_col = app.launch_query->second;
        app.have_query = true;
        app.pinned = true;
    }
    return true;
}

// The query on the new result's grid: at the same place in the picture when the grid changed.
void place_query(AppState& app, const TokenLayout& now) {
    const TokenLayout* old = app.grid();
    if (old && (old->grid_h != now.grid_h || old->grid_w != now.grid_w)) {
        app.q_row = static_cast<int>((app.q_row + 0.5f) * now.grid_h / old->grid_h);
        app.q_col = static_cast<int>((app.q_col + 0.5f) * now.grid_w / old->grid_w);
    } else if (!app.have_query) {
        app.q_row = now.grid_h / 2;
        app.q_col = now.grid_w / 2;
    }
    app.have_query = true;
    app.q_row = std::clamp(app.q_row, 0, now.grid_h - 1);
    app.q_col = std::clamp(app.q_col, 0, now.grid_w - 1);
}

}  // namespace

// Takes a finished result. Returns false (with the message) when the model failed.
bool pick_up_result(AppState& app, std::string* error) {
    auto r = app.worker.take();
    if (!r) return true;
    app.forward_passes = r->forward_passes;
    if (!r->error.empty()) {
        take_failed_result(app, *r, error);
        return false;
    }
    apply_result_policy(app, *r);
    if (!check_launch_view(app, *r, error)) return false;
    place_query(app, r->current->layout);
    for (const auto& [id, p] : app.posted_perturb)
        if (id == r->id) app.shown_perturb = p;
    if (r->id == app.last_posted && app.wait_started) {
        app.last_wait_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - *app.wait_started).count();
        app.wait_started.reset();
    }
    app.result = std::move(r);
    app.settle_frames = 3;
    return true;
}

}  // namespace ks::gui
