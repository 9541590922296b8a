#include "session.h"

#include <algorithm>
#include <filesystem>

#include "app_state.h"
#include "family_ui.h"
#include "io/input_error.h"

namespace fs = std::filesystem;

namespace ks::gui {

namespace {

SessionInputB input_b_of(BMode m) {
    return m == BMode::Second ? SessionInputB::Second : m == BMode::Off ? SessionInputB::Off : SessionInputB::Perturbed;
}

BMode b_mode_of(SessionInputB b) {
    return b == SessionInputB::Second ? BMode::Second : b == SessionInputB::Off ? BMode::Off : BMode::Perturbed;
}

// A file the session names must be there before anything is changed.
void require_file(const std::string& path, const char* what) {
    std::error_code ec;
    if (!path.empty() && !fs::is_regular_file(path, ec))
        throw InputError("The session's " + std::string(what) + " " + path + " is not there, so the session was not opened.");
}

// The images decoded before anything changes: a bad one leaves the state as it was.
struct SessionImages {
    std::shared_ptr<const Image> a, b;
};

SessionImages read_session_inputs(const SessionSettings& s) {
    require_file(s.model.checkpoint, "checkpoint");
    require_file(s.model.config, "model configuration");
    require_file(s.model.second_checkpoint, "second checkpoint");
    SessionImages im;
    im.a = std::make_shared<const Image>(load_image(s.inputs.image_a));
    if (!s.inputs.image_b.empty()) im.b = std::make_shared<const Image>(load_image(s.inputs.image_b));
    return im;
}

void apply_model(AppState& app, const SessionSettings::Model& m) {
    if (m.checkpoint.empty()) use_builtin_model(app);
    else if (absolute_path(m.checkpoint) != app.model.weights_path) use_checkpoint(app, m.checkpoint);
    app.model.config_path = m.config;
    app.model.overrides = m.overrides;
    app.overrides_edit = m.overrides;
    app.model.resize = m.resize;
    app.model.second_weights_path = m.second_checkpoint;
    app.cnn_stage = m.stage;
}

// What does not depend on the model: the filter's parameters, B's perturbation, the
// built-in model's parameters, the display and the layout.
void apply_settings(AppState& app, const SessionSettings& s) {
    app.opts.gaussian_sigma = s.filter.gaussian_sigma;
    app.opts.user_weights = s.filter.user_weights;
    app.opts.bilateral = s.filter.bilateral;
    app.opts.dynamic = s.filter.dynamic;
    app.perturb = s.perturbation;
    app.opts.sim = s.similarity;
    const SessionSettings::Display& d = s.display;
    app.opts.colormap = d.colormap;
    app.opts.opacity = d.opacity;
    app.smooth = d.smooth;
    app.show_outline = d.outline;
    app.show_footprint = d.footprint;
    app.mask_on = d.mask;
    app.mask_t = d.mask_threshold;
    app.heat_opts = d.heat;
    app.zoom.zoom = d.zoom;
    app.zoom.center = ImVec2(d.zoom_x, d.zoom_y);
    app.show_analyses = d.analyses;
    app.layout = Layout{s.layout.sidebar, s.layout.right, s.layout.conv, s.layout.heads};
}

std::string folder_of(const std::string& path) { return path.empty() ? std::string() : fs::path(path).parent_path().string(); }

}  // namespace

SessionSettings capture_session(const AppState& app) {
    SessionSettings s;
    s.inputs.image_a = app.path_a;
    s.inputs.image_b = app.image_b ? app.path_b : std::string();
    s.inputs.b = input_b_of(app.b_mode);
    s.model.checkpoint = app.model.weights_path;
    s.model.config = app.model.config_path;
    s.model.second_checkpoint = app.model.second_weights_path;
    s.model.overrides = app.model.overrides;
    s.model.resize = app.model.resize;
    s.model.stage = app.cnn_stage;
    s.query = {app.q_row, app.q_col, app.pinned};
    s.view = app.opts.view;
    s.filter = {app.opts.filter, app.opts.gaussian_sigma, app.opts.user_weights, app.opts.bilateral, app.opts.dynamic};
    s.perturbation = app.perturb;
    s.similarity = app.opts.sim;
    SessionSettings::Display& d = s.display;
    d.colormap = app.opts.colormap;
    d.opacity = app.opts.opacity;
    d.smooth = app.smooth;
    d.outline = app.show_outline;
    d.footprint = app.show_footprint;
    d.mask = app.mask_on;
    d.mask_threshold = app.mask_t;
    d.heat = app.heat_opts;
    d.heads_in_centre = app.center_view == CenterView::Heads;
    d.zoom = app.zoom.zoom;
    d.zoom_x = app.zoom.center.x;
    d.zoom_y = app.zoom.center.y;
    d.analyses = app.show_analyses;
    s.layout = {app.layout.sidebar_w, app.layout.right_frac, app.layout.conv_frac, app.layout.heads_frac};
    return s;
}

void save_session(AppState& app, const std::string& path) {
    try {
        save_session_file(path, capture_session(app));
        app.session_path = path;
        app.set_status("Saved the session to " + path);
    } catch (const std::exception& e) {
        app.set_status(e.what(), true);
    }
}

bool open_session(AppState& app, const std::string& path) {
    SessionSettings s;
    SessionImages images;
    try {
        s = load_session_file(path);
        images = read_session_inputs(s);
    } catch (const std::exception& e) {
        app.set_status(e.what(), true);
        return false;
    }
    // Installing image A drops the occlusion and the pin (they belong to the old picture):
    // the session's own come after.
    install_image(app, s.inputs.image_a, images.a, false);
    if (images.b) install_image(app, s.inputs.image_b, images.b, true);
    else {
        app.image_b.reset();
        app.path_b.clear();
    }
    app.b_mode = b_mode_of(s.inputs.b);
    apply_model(app, s.model);
    apply_settings(app, s);
    app.session_to_finish = std::make_shared<const SessionSettings>(s);
    app.session_path = absolute_path(path);
    app.set_status("Opening the session " + app.session_path + " ...");
    request_compute(app);
    return true;
}

void finish_opening_session(AppState& app) {
    // The result that answers the session's request is in, and nothing newer is asked for.
    if (!app.session_to_finish || app.request_dirty || app.worker.busy() || app.loader.busy()) return;
    if (!app.result || app.result->id != app.last_posted) return;
    const std::shared_ptr<const SessionSettings> s = std::move(app.session_to_finish);   // leaves it empty
    app.opts.view = s->view;
    app.opts.filter = s->filter.name;
    int row = s->query.row, col = s->query.col;
    if (const TokenLayout* g = app.grid()) {
        row = std::clamp(row, 0, g->grid_h - 1);
        col = std::clamp(col, 0, g->grid_w - 1);
    }
    app.q_row = row;
    app.q_col = col;
    app.have_query = true;
    app.pinned = s->query.pinned;
    app.center_view = s->display.heads_in_centre && family_ui(app).has_heads ? CenterView::Heads : CenterView::Comparison;
    if (!app.status_error) app.set_status("Opened the session " + app.session_path);
    request_compute(app);
}

// The last session's folder, else where the app writes screenshots (the image's own
// folder may be read-only, as the bundled photo's is when installed).
std::string session_folder(const AppState& app) {
    return !app.session_path.empty() ? folder_of(app.session_path) : app.screenshot_dir;
}

void save_session_dialog(AppState& app) {
    const std::string start = session_folder(app);
    app.browser.open("Save session (.json)", FileBrowser::Mode::SaveFile, start,
                     [&app](const std::string& p) {
                         // A name typed without an extension gets the one the dialog lists.
                         save_session(app, fs::path(p).has_extension() ? p : p + ".json");
                     },
                     FileBrowser::Filter::Sessions);
}

void open_session_dialog(AppState& app) {
    const std::string start = session_folder(app);
    app.browser.open("Open session (.json)", FileBrowser::Mode::OpenFile, start,
                     [&app](const std::string& p) { open_session(app, p); }, FileBrowser::Filter::Sessions);
}

}  // namespace ks::gui
