// What menu items, shortcuts, dialogs and drops do: open images and checkpoints,
// switch models, reset perturbations. Declared in app_state.h.
#include <imgui.h>

#include <algorithm>
#include <filesystem>

#include "app_state.h"

namespace ks::gui {

namespace fs = std::filesystem;

void request_compute(AppState& app) { app.request_dirty = true; }

void reset_perturbations(AppState& app) {
    app.perturb = Perturbation{};
    app.occluding = false;
    request_compute(app);
}

namespace {

// Swapping a loaded image in is the same for a load on the UI thread (launch, a session)
// and one finished by the loader thread.
void install_image_a(AppState& app, const std::string& path, std::shared_ptr<const Image> img) {
    app.image_a = std::move(img);
    app.path_a = absolute_path(path);
    ++app.image_version;
    // Geometry that no longer fits the new image is dropped.
    app.perturb.occlusion = PixelRect{};
    app.pinned = false;  // a pin belongs to the old picture: the query follows the pointer again
    app.perturb.dx = std::clamp(app.perturb.dx, -app.image_a->width / 2, app.image_a->width / 2);
    app.perturb.dy = std::clamp(app.perturb.dy, -app.image_a->height / 2, app.image_a->height / 2);
    if (!app.screenshot_mode) app.recent.add(app.path_a);
    app.set_status("Opened " + app.path_a + " (" + std::to_string(app.image_a->width) + " x " +
                   std::to_string(app.image_a->height) + ")");
    request_compute(app);
}

void install_image_b(AppState& app, const std::string& path, std::shared_ptr<const Image> img) {
    app.image_b = std::move(img);
    app.path_b = absolute_path(path);
    app.b_mode = BMode::Second;
    if (!app.screenshot_mode) app.recent.add(app.path_b);
    app.set_status("Opened image B " + app.path_b + "; B is now this image (B key: A perturbed, off)");
    request_compute(app);
}

}  // namespace

void install_image(AppState& app, const std::string& path, std::shared_ptr<const Image> img, bool second) {
    if (second) install_image_b(app, path, std::move(img));
    else install_image_a(app, path, std::move(img));
}

void set_b_mode(AppState& app, BMode m) {
    if (m == BMode::Second && !app.image_b) {
        app.set_status("There is no second image yet: open one with Ctrl+Shift+O or drop two files.", true);
        return;
    }
    app.b_mode = m;
    const char* what = m == BMode::Perturbed ? "B is image A with the perturbations"
                       : m == BMode::Second  ? "B is the second image"
                                             : "B is off: only image A is shown";
    app.set_status(what);
    request_compute(app);
}

bool load_image_a(AppState& app, const std::string& path) {
    try {
        install_image_a(app, path, std::make_shared<const Image>(load_image(path)));
        return true;
    } catch (const std::exception& e) {
        app.set_status(e.what(), true);
        return false;
    }
}

bool load_image_b(AppState& app, const std::string& path) {
    try {
        install_image_b(app, path, std::make_shared<const Image>(load_image(path)));
        return true;
    } catch (const std::exception& e) {
        app.set_status(e.what(), true);
        return false;
    }
}

void open_image(AppState& app, const std::string& path, bool second) {
    app.loader.start(path, second);
    app.set_status("Loading " + fs::path(path).filename().string() + " ...");
}

void pick_up_loaded_images(AppState& app) {
    while (auto l = app.loader.take()) {
        if (!l->image) {
            app.set_status(l->error, true);  // the current image stays
            continue;
        }
        try {
            install_image(app, l->path, std::move(l->image), l->second);
        } catch (const std::exception& e) {
            app.set_status(e.what(), true);
        }
    }
}

void open_image_dialog(AppState& app, bool second) {
    const std::string& cur = second && !app.path_b.empty() ? app.path_b : app.path_a;
    const std::string start = cur.empty() ? std::string() : fs::path(cur).parent_path().string();
    app.browser.open(second ? "Open image B" : "Open image", FileBrowser::Mode::OpenFile, start,
                     [&app, second](const std::string& p) {
                         open_image(app, p, second);
                     });
}

void use_checkpoint(AppState& app, const std::string& path) {
    app.model.weights_path = absolute_path(path);
    // Learned filters are per checkpoint: another checkpoint may not have channel c.
    if (is_learned_filter(app.opts.filter) && app.model.weights_path != app.model_fallback)
        app.opts.filter = "sobel_x";
    app.set_status("Loading " + app.model.weights_path + " ...");
    request_compute(app);
}

void use_builtin_model(AppState& app) {
    if (!app.model.has_checkpoint()) return;
    app.model.weights_path.clear();
    // The learned filters belong to the checkpoint.
    if (is_learned_filter(app.opts.filter)) app.opts.filter = "sobel_x";
    app.set_status("Built-in similarity model");
    request_compute(app);
}

void use_second_checkpoint(AppState& app, const std::string& path) {
    app.model.second_weights_path = path;
    app.set_status(path.empty() ? "The second model slot is empty." : "Loading " + path + " beside the ViT ...");
    request_compute(app);
}

void open_second_checkpoint_dialog(AppState& app) {
    const std::string& cur = !app.model.second_weights_path.empty() ? app.model.second_weights_path : app.model.weights_path;
    const std::string start = cur.empty() ? std::string() : fs::path(cur).parent_path().string();
    app.browser.open("Open a ResNet beside the ViT (.safetensors)", FileBrowser::Mode::OpenFile, start,
                     [&app](const std::string& p) { use_second_checkpoint(app, p); }, FileBrowser::Filter::Checkpoints);
}

void open_checkpoint_dialog(AppState& app) {
    const std::string& cur = !app.model.weights_path.empty() ? app.model.weights_path : app.model_fallback;
    const std::string start = cur.empty() ? std::string() : fs::path(cur).parent_path().string();
    app.browser.open("Open checkpoint (.safetensors)", FileBrowser::Mode::OpenFile, start,
                     [&app](const std::string& p) { use_checkpoint(app, p); }, FileBrowser::Filter::Checkpoints);
}

}  // namespace ks::gui
