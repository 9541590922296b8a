#include "launch_state.h"

#include <filesystem>

#include "app_state.h"
#include "app_window.h"
#include "image/patch_grid.h"
#include "sample_image.h"
#include "session.h"

namespace fs = std::filesystem;

namespace ks::gui {

namespace {

void model_from_flags(AppState& app, const GuiLaunch& launch) {
    if (launch.beside_path) app.model.second_weights_path = absolute_path(*launch.beside_path);
    if (launch.weights_path) {
        app.model.weights_path = absolute_path(*launch.weights_path);
        app.model.config_path = launch.config_path.value_or("");
        app.model.overrides = launch.vit_overrides;
        app.overrides_edit = launch.vit_overrides;
    }
    app.model.resize = launch.vit_resize;
    app.cnn_stage = launch.stage;
}

// Input B: A perturbed unless a second image was given or --b says otherwise.
void input_b_from_flags(AppState& app, const GuiLaunch& launch) {
    app.perturb = launch.b_perturb;
    app.b_mode = launch.b_mode == "off"      ? BMode::Off
                 : launch.b_mode == "second" ? BMode::Second
                 : launch.b_mode.empty() && launch.second_image_path ? BMode::Second
                                                                     : BMode::Perturbed;
}

// A bad --image in an interactive run opens the bundled photo instead, the problem in the status line.
void open_launch_image_a(AppState& app, const GuiLaunch& launch) {
    if (load_image_a(app, launch.image_path.value_or(bundled_sample_image()))) return;
    if (app.screenshot_mode || launch.script_path || !launch.image_path) throw LaunchFailure(app.status, 2);
    const std::string err = app.status;
    if (!load_image_a(app, bundled_sample_image())) throw LaunchFailure(app.status, 2);
    app.set_status(err, true);
}

void open_launch_image_b(AppState& app, const GuiLaunch& launch) {
    if (launch.second_image_path && !load_image_b(app, *launch.second_image_path) && app.screenshot_mode)
        throw LaunchFailure(app.status, 2);
    // Loading B chose B = the second image: --b has the last word.
    if (launch.b_mode == "perturbed" || launch.b_mode == "off") app.b_mode = launch.b_mode == "off" ? BMode::Off : BMode::Perturbed;
    app.perturb.occlusion = launch.b_perturb.occlusion;   // a new image A clears the rectangle: --occlude is for this one
    if (app.b_mode == BMode::Second && !app.image_b) throw LaunchFailure("--b second needs a second image (--image-b PATH).", 2);
}

// The built-in model's grid follows from the image and patch size, so its query is
// checked now. Returns the problem as a sentence ("" = fine).
std::string apply_builtin_launch_query(AppState& app, const std::optional<std::pair<int, int>>& query) {
    try {
        const PatchGrid g = fit_patch_grid(app.image_a->width, app.image_a->height, app.opts.sim.patch);
        if (!query) return "";
        const auto [qr, qc] = *query;
        if (qr < 0 || qc < 0 || qr >= g.grid_h || qc >= g.grid_w)
            return "The query (" + std::to_string(qr) + ", " + std::to_string(qc) + ") lies outside the " +
                   std::to_string(g.grid_h) + " x " + std::to_string(g.grid_w) + " patch grid; rows run 0.." +
                   std::to_string(g.grid_h - 1) + " and columns 0.." + std::to_string(g.grid_w - 1) + ".";
        app.q_row = qr;
        app.q_col = qc;
        app.have_query = true;
        app.pinned = true;
        return "";
    } catch (const std::exception& e) {
        app.opts.sim.patch = 16;
        return e.what();
    }
}

void check_launch_query(AppState& app, const GuiLaunch& launch) {
    if (app.model.has_checkpoint()) {
        // The grid, layers and heads are the checkpoint's: checked when it has loaded.
        app.launch_query = launch.query;
        app.launch_prefix = launch.prefix_query;
        app.launch_checks_pending = true;
        return;
    }
    if (!launch.prefix_query.empty())
        throw LaunchFailure("The built-in model has no prefix tokens; --query " + launch.prefix_query + " needs --weights.", 2);
    // The bundled photo opens on its demo query (the cup's rim) unless --query says otherwise.
    auto query = launch.query;
    if (!launch.image_path && !launch.query) query = bundled_sample_query();
    const std::string err = apply_builtin_launch_query(app, query);
    // Only a --query the user typed is pinned: the demo query follows the pointer
    // from the first hover, as the README says.
    if (!launch.query) app.pinned = false;
    if (err.empty()) return;
    if (app.screenshot_mode) throw LaunchFailure(err, 2);
    app.set_status(err, true);
}

}  // namespace

std::unique_ptr<AppState> app_from_flags(const GuiLaunch& launch) {
    auto app = std::make_unique<AppState>();
    app->screenshot_mode = launch.screenshot_path.has_value();
    app->opts = launch.options;
    app->mask_on = launch.options.mass_threshold > 0;
    if (app->mask_on) app->mask_t = launch.options.mass_threshold;
    if (static_cast<int>(app->opts.colormap) >= static_cast<int>(display_colormap_names().size()))
        app->opts.colormap = Colormap::Inferno;
    model_from_flags(*app, launch);
    app->window_w = launch.width;
    app->window_h = launch.height;
    input_b_from_flags(*app, launch);
    app->screenshot_dir = default_screenshot_dir();
    if (launch.script_path) {
        // A scripted run never writes into the user's Pictures; a temp config may say otherwise.
        std::error_code ec;
        app->screenshot_dir = fs::temp_directory_path(ec).string();
        if (ec) app->screenshot_dir = ".";
    }
    return app;
}

std::vector<ScriptCommand> read_launch_script(const GuiLaunch& launch) {
    if (!launch.script_path) return {};
    try {
        return parse_script(*launch.script_path);
    } catch (const std::exception& e) {
        throw LaunchFailure(e.what(), 2);
    }
}

void open_launch_inputs(AppState& app, const GuiLaunch& launch) {
    if (launch.session_path) {
        app.request_dirty = false;   // nothing to compute until the session opens (open_launch_session)
        return;
    }
    open_launch_image_a(app, launch);
    open_launch_image_b(app, launch);
    check_launch_query(app, launch);
}

void open_launch_session(AppState& app, const GuiLaunch& launch) {
    if (!launch.session_path) return;
    // As File > Open session: the whole file checked and its images decoded first; the
    // query, view and filter follow once its model's first result is in.
    if (!open_session(app, *launch.session_path)) throw LaunchFailure(app.status, 2);
}

}  // namespace ks::gui
