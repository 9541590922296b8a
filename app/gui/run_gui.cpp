// The desktop app's run: setup steps in order, each either an owner from app_window.h
// or a step that throws LaunchFailure, then one frame loop shared by the four run modes
// (run_modes.h). Nothing is torn down by hand: leaving run() undoes its setup in reverse.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app_state.h"
#include "family_ui.h"
#include "app_window.h"
#include "config.h"
#include "export_numbers.h"
#include "frame_damage.h"
#include "gui_main.h"
#include "launch_state.h"
#include "layout.h"
#include "run_modes.h"
#include "session.h"
#include "settings_ini.h"
#include "theme.h"
#include "window_title.h"
#include "worker_exchange.h"
#include "io/safetensors.h"

namespace ks::gui {

namespace {

// A slider step on a 12 MP photo allocates several 50-150 MB buffers. glibc maps each
// afresh (and the kernel zeroes every page on first touch, ~0.1 s for 144 MB);
// kept on the heap they are reused from one step to the next. One arena: a worker
// thread's own arena could not hold them (its heaps are 64 MB at most) and would map.
void keep_large_buffers_on_heap() {
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_MMAP_THRESHOLD, 512 << 20);
    mallopt(M_TRIM_THRESHOLD, 1024 << 20);
}

void drop_callback(GLFWwindow* win, int count, const char** paths) {
    auto* app = static_cast<AppState*>(glfwGetWindowUserPointer(win));
    if (!app) return;
    for (int i = 0; i < count; ++i) app->dropped.emplace_back(paths[i]);
}

// The app once its window exists: its textures and GL programs, and its worker (whose
// wake-up posts GLFW events), go while the window's context is current.
class AppOnWindow {
public:
    AppOnWindow(std::unique_ptr<AppState> app, GLFWwindow* win) : app_(std::move(app)), win_(win) {
        glfwSetWindowUserPointer(win_, app_.get());
        glfwSetDropCallback(win_, drop_callback);
        // The loop waits for events while the worker runs; a finished result wakes it.
        app_->worker.set_wake([] { glfwPostEmptyEvent(); });
        app_->gallery.worker.set_wake([] { glfwPostEmptyEvent(); });
    }
    ~AppOnWindow() {
        app_->renderer.shutdown();
        glfwSetWindowUserPointer(win_, nullptr);
        app_.reset();   // joins the worker, frees the textures
    }
    AppOnWindow(const AppOnWindow&) = delete;
    AppOnWindow& operator=(const AppOnWindow&) = delete;
    AppState& app() const { return *app_; }

private:
    std::unique_ptr<AppState> app_;
    GLFWwindow* win_;
};

// Screenshots, scripts and --frames run at a fixed size: scripts address window pixels.
bool fixed_size(const GuiLaunch& launch) { return launch.screenshot_path || launch.script_path || launch.frames > 0; }

// imgui.ini (window size, panel splits, the app's settings) and the recent files.
void load_saved_settings(AppState& app, const GuiLaunch& launch) {
    ImGuiIO& io = ImGui::GetIO();
    register_settings(app);
    io.IniFilename = nullptr;
    // A screenshot is reproducible: no saved layout; a script leaves the user's alone.
    if (app.screenshot_mode || (launch.script_path && !script_may_use_config())) return;
    app.config_dir = config_dir();
    if (app.config_dir.empty()) return;
    app.ini_path = app.config_dir + "/imgui.ini";
    io.IniFilename = app.ini_path.c_str();
    load_saved_settings(app);  // imgui.ini and recent.txt, checked
    if (!app.path_b.empty()) app.recent.add(app.path_b);
    if (!app.path_a.empty()) app.recent.add(app.path_a);
}

WindowSpec window_spec(const AppState& app, const GuiLaunch& launch) {
    const bool fixed = fixed_size(launch);
    return {fixed || launch.window_given ? launch.width : app.window_w, fixed || launch.window_given ? launch.height : app.window_h,
            fixed};
}

// --ui-scale wins; else the monitor's content scale (HiDPI); fixed-size runs at 1. A
// window smaller than the layout's 960 x 640 times the scale gets the largest scale (at
// least 1) that fits, rather than cut labels.
void set_ui_scale(AppState& app, const GuiLaunch& launch, GLFWwindow* win) {
    float xs = 1.0f, ys = 1.0f;
    glfwGetWindowContentScale(win, &xs, &ys);
    app.ui_scale = launch.ui_scale > 0 ? std::clamp(launch.ui_scale, 0.75f, 4.0f)
                   : fixed_size(launch) ? 1.0f
                                        : std::clamp(std::max(xs, ys), 1.0f, 4.0f);
    int fw = 0, fh = 0;
    glfwGetWindowSize(win, &fw, &fh);
    const float fit = std::max(1.0f, std::min(fw / 960.0f, fh / 640.0f));
    if (app.ui_scale > fit) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "UI scale %.2g reduced to %.2g: the %d x %d window is too small for it.",
                      app.ui_scale, fit, fw, fh);
        app.ui_scale = fit;
        app.set_status(buf);
    }
    apply_theme(app.ui_scale);
    load_fonts(app.ui_scale);
}

// Frames drawn only where they changed (frame_damage.h); its framebuffer goes while the
// window's context is current.
struct FrameDamageOwner {
    FrameDamage damage;
    FrameDamageOwner() = default;
    FrameDamageOwner(const FrameDamageOwner&) = delete;
    FrameDamageOwner& operator=(const FrameDamageOwner&) = delete;
    ~FrameDamageOwner() { damage.shutdown(); }
};

void start_renderer(AppState& app) {
    std::string err;
    if (!app.renderer.init(&err)) throw LaunchFailure(err, 1);
}

// How long the window loop may sleep waiting for events while the worker (or an image
// load, or an export) is busy, `busy_for` seconds into it. A frame under a software
// renderer (llvmpipe) takes 20-40 ms of CPU over its threads, all of it taken from the
// model: a ViT-B/16 slider step (bench: a 125-140 ms forward pass) ran its forward pass in
// 210-225 ms with the spinner redrawn at 10 fps from the start, and in 135-170 ms without
// (beside other builds on the 2 cores). Most steps are over within half a second, so the
// spinner waits that long; longer work then gets its spinner and progress bar at 10
// frames a second.
double busy_wait_seconds(double busy_for) { return busy_for < 0.5 ? 0.5 - busy_for : 0.1; }

// How long the app has been busy, as the window loop sees it once an iteration.
struct BusyClock {
    std::chrono::steady_clock::time_point since;
    bool was_busy = false;
    double seconds(bool busy) {
        const auto now = std::chrono::steady_clock::now();
        if (busy && !was_busy) since = now;
        was_busy = busy;
        return busy ? std::chrono::duration<double>(now - since).count() : 0.0;
    }
};

void wait_for_events(AppState& app, EventPace pace, BusyClock& clock) {
    // An export job counts: its progress bar is drawn as the worker's is, and its end wakes the loop.
    const bool busy = app.worker.busy() || app.loader.busy() || (app.export_job && !app.export_job->done) ||
                      (app.gallery.open && app.gallery.worker.busy());
    const double busy_seconds = clock.seconds(busy);
    // A few frames after a new result let auto-sized items (tables) settle before
    // the loop goes back to waiting for events; not while a newer request computes
    // (a slider drag): drawn flat out there, they took 35-45 ms of CPU from each ViT-B
    // step, and any frame drawn later (the next result's, the spinner's) settles them.
    const bool settling = app.settle_frames > 0 && !busy;
    if (settling) --app.settle_frames;
    // While the worker computes, nothing is drawn unasked for half a second, then the
    // spinner at about 10 frames a second, never as fast as possible: with a software
    // renderer (llvmpipe) every frame takes CPU from the model (busy_wait_seconds).
    // Input still wakes the loop at once, and so does a finished result. An occlusion
    // drag too: drawing it flat out while the pointer rests took 40% of the CPU from
    // the worker (12 MP drag steps 0.45-0.78 s).
    if (pace == EventPace::Poll || settling || app.screenshot_countdown > 0) glfwPollEvents();
    else if (busy) glfwWaitEventsTimeout(busy_wait_seconds(busy_seconds));
    else if (app.occluding || pace == EventPace::PollUnlessBusy) glfwPollEvents();
    else glfwWaitEventsTimeout(0.25);
}

// A checkpoint (or a pickle, refused by the loader with how to convert it) becomes the
// model; images are A and B, and three or more open the Gallery.
void open_dropped_files(AppState& app) {
    if (app.dropped.empty()) return;
    const auto files = std::move(app.dropped);
    app.dropped.clear();
    std::vector<std::string> images;
    for (const auto& f : files) {
        if (FileBrowser::is_checkpoint_name(f) || looks_like_pickle(f, "")) use_checkpoint(app, f);
        else images.push_back(f);
    }
    if (images.size() > 2) return open_gallery(app, images);
    if (!images.empty()) open_image(app, images[0], false);
    if (images.size() > 1) open_image(app, images[1], true);
}

// What finished since the last frame: dropped files, loaded images, an export, the
// model's result (and what an opened session waited for). The title names image A and
// the model ("kernelscope — coffee.png — built-in similarity").
std::optional<int> take_finished_work(AppState& app, GLFWwindow* win, RunMode& mode, std::string& title) {
    open_dropped_files(app);
    pick_up_loaded_images(app);
    if (std::string t = window_title(app.path_a, app.model.weights_path); t != title) {
        title = t;
        glfwSetWindowTitle(win, t.c_str());
    }
    pick_up_export(app);
    update_gallery(app);
    std::string model_error;
    const bool model_ok = pick_up_result(app, &model_error);
    finish_opening_session(app);
    if (!model_ok) return mode.on_model_error(model_error);
    return std::nullopt;
}

void draw_panels(AppState& app) {
    draw_menu_bar(app);
    const PanelRects pr = compute_layout(app);
    draw_splitters(app, pr);
    draw_controls(app, pr.controls);
    draw_comparison_panel(app, pr.comparison);
    // The family's own panel (the heads grid, the effective kernel): layout gives it room when it has one.
    if (const auto draw_side_panel = family_ui(app).draw_side_panel; draw_side_panel && pr.heads.h > 0)
        draw_side_panel(app, pr.heads);
    if (pr.beside.h > 0) draw_effective_kernel_panel(app, pr.beside);   // a ResNet beside the ViT
    draw_conv_panel(app, pr.conv);
    draw_readouts_panel(app, pr.readouts);
    draw_status_bar(app, pr.status);
    draw_help(app);
    draw_analyses_window(app);
    draw_gallery_window(app);
    app.browser.draw();
    handle_shortcuts(app);
}

void draw_frame(AppState& app, GLFWwindow* win, RunMode& mode, FrameDamage& damage) {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    mode.place_pointer(app);
    ImGui::NewFrame();
    app.renderer.new_frame();
    app.rects.clear();
    app.heads_fit = HeadsGridFit{};  // set again by the heads grid if it is drawn this frame
    draw_panels(app);
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    app.rects["window"] = Rect{0, 0, size.x, size.y};
    ImGui::Render();
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(win, &fw, &fh);
    const float clear_colour[4] = {0.06f, 0.065f, 0.075f, 1.0f};
    damage.render(ImGui::GetDrawData(), fw, fh, clear_colour);   // only what changed is drawn
}

double ms_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

// Start-up timing for the sidecar: launch -> first frame on screen, -> first model result drawn.
void note_first_frames(AppState& app) {
    const double since_launch = ms_since(app.launched);
    if (app.first_frame_ms < 0) app.first_frame_ms = since_launch;
    if (app.first_result_ms < 0 && app.result && app.result->error.empty()) app.first_result_ms = since_launch;
}

// Returns the run's exit status.
int frame_loop(AppState& app, GLFWwindow* win, RunMode& mode, FrameDamage& damage) {
    const StopSignals signals;
    std::string title;
    BusyClock busy_clock;
    while (!glfwWindowShouldClose(win) && !app.quit && !StopSignals::raised()) {
        wait_for_events(app, mode.pace(), busy_clock);
        const auto frame_start = std::chrono::steady_clock::now();
        mode.before_frame(app);
        if (auto code = take_finished_work(app, win, mode, title)) return *code;
        draw_frame(app, win, mode, damage);
        if (auto code = mode.after_draw(app, win)) return *code;
        glfwSwapBuffers(win);
        const double frame_ms = ms_since(frame_start);
        // What this frame asked for (its input, a loaded image, a result's follow-up) goes
        // to the worker now, once the frame is on screen: not after the next wait for
        // events, which could hold a hover's query move or a slider step up to 0.25 s when
        // no further event came, and not before the frame is drawn, which would compete
        // with the model (a ResNet-50 query move, two 35 ms backward passes, lost 20-30 ms
        // to it; a ViT-B step about 35 ms).
        post_if_dirty(app);
        app.max_frame_ms = std::max(app.max_frame_ms, frame_ms);
        if (auto code = mode.after_swap(app, frame_ms)) return *code;
        note_first_frames(app);
    }
    return StopSignals::raised() ? mode.stopped_by_signal() : 0;
}

// The steps in order; each owner below is undone, in reverse, however this returns.
int run(const GuiLaunch& launch) {
    keep_large_buffers_on_heap();
    check_run_mode_flags(launch);
    std::unique_ptr<AppState> app = app_from_flags(launch);
    std::vector<ScriptCommand> script = read_launch_script(launch);
    open_launch_inputs(*app, launch);   // a bad image or query is reported before any window opens
    post_if_dirty(*app);                // the model starts while the window opens
    const GlfwLibrary glfw;
    const ImGuiContextOwner imgui;      // before the window: imgui.ini gives it its saved size
    load_saved_settings(*app, launch);
    open_launch_session(*app, launch);
    post_if_dirty(*app);                // a session's model starts here
    const GlWindow window(window_spec(*app, launch));
    const AppOnWindow on_window(std::move(app), window.get());
    AppState& state = on_window.app();
    set_ui_scale(state, launch, window.get());
    const ImGuiBackends backends(window.get());
    start_renderer(state);
    FrameDamageOwner frames;
    const auto mode = make_run_mode(launch, std::move(script), window.get(), drop_callback);
    const int code = frame_loop(state, window.get(), *mode, frames.damage);
    if (!state.ini_path.empty()) ImGui::SaveIniSettingsToDisk(state.ini_path.c_str());
    return code;
}

}  // namespace

int run_gui(const GuiLaunch& launch) {
    try {
        return run(launch);
    } catch (const LaunchFailure& f) {
        std::cerr << "kernelscope: " << f.what() << "\n";
        return f.code;
    }
}

}  // namespace ks::gui
