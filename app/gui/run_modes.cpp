#include "run_modes.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cfloat>
#include <chrono>
#include <iostream>

#include "app_state.h"
#include "app_window.h"
#include "capture.h"
#include "export_numbers.h"
#include "frame_report.h"

namespace ks::gui {

namespace {

// A user at the window: Ctrl+S and Ctrl+E once their frame is drawn, the window size kept for imgui.ini.
class InteractiveMode : public RunMode {
public:
    EventPace pace() const override { return EventPace::Wait; }
    std::optional<int> after_draw(AppState& app, GLFWwindow* win) override {
        if (app.screenshot_countdown > 0 && --app.screenshot_countdown == 0) save_screenshot_interactive(app, win);
        if (app.export_requested) {
            app.export_requested = false;
            start_export(app);
        }
        int w = 0, h = 0;
        glfwGetWindowSize(win, &w, &h);
        if (w > 0 && h > 0 && (w != app.window_w || h != app.window_h)) {
            app.window_w = w;
            app.window_h = h;
            ImGui::MarkIniSettingsDirty();
        }
        return std::nullopt;
    }
};

class ScriptMode : public InteractiveMode {
public:
    ScriptMode(std::vector<ScriptCommand> cmds, GLFWwindow* win, DropFn drop)
        : player_(std::move(cmds), win, drop, save_script_screenshot) {}
    EventPace pace() const override { return EventPace::PollUnlessBusy; }
    void before_frame(AppState& app) override { player_.before_frame(app); }
    void place_pointer(AppState&) override { player_.apply_pointer(); }
    std::optional<int> after_draw(AppState& app, GLFWwindow* win) override {
        InteractiveMode::after_draw(app, win);
        player_.after_frame(app);
        if (!player_.failed()) return std::nullopt;
        std::cerr << "kernelscope: " << player_.error() << "\n";
        return player_.exit_code();
    }
    int stopped_by_signal() const override { return 1; }

private:
    ScriptPlayer player_;
};

class FramesMode : public InteractiveMode {
public:
    explicit FramesMode(int frames) : report_(frames) {}
    EventPace pace() const override { return EventPace::Poll; }
    void place_pointer(AppState& app) override { report_.apply_pointer(app, frame_++); }
    std::optional<int> after_swap(AppState& app, double frame_ms) override {
        if (!report_.after_frame(app, frame_ms)) return std::nullopt;
        std::cout << report_.summary() << std::endl;
        return 0;
    }

private:
    FrameReport report_;
    int frame_ = 0;
};

// Draws until the result on screen answers the last request and has settled, saves the
// window (and its sidecar) and exits; a model that fails or takes over 300 s is an error.
class ScreenshotMode : public RunMode {
public:
    explicit ScreenshotMode(std::string path) : path_(std::move(path)) {}
    EventPace pace() const override { return EventPace::Poll; }
    void place_pointer(AppState&) override {
        // Scripts and tests get the same picture whatever the pointer does.
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        for (bool& d : io.MouseDown) d = false;
    }
    std::optional<int> on_model_error(const std::string& error) override {
        std::cerr << "kernelscope: " << error << "\n";
        return 2;
    }
    std::optional<int> after_draw(AppState& app, GLFWwindow* win) override {
        const bool done = app.result && app.result->id == app.last_posted && !app.worker.busy() && !app.loader.busy() &&
                          !app.request_dirty;
        settled_frames_ = done ? settled_frames_ + 1 : 0;
        if (settled_frames_ >= 3) return save(app, win);   // a few frames so every auto-sized item has settled
        if (std::chrono::steady_clock::now() - start_ > std::chrono::seconds(300)) {
            std::cerr << "kernelscope: The model did not finish within 300 s; try a larger patch size.\n";
            return 1;
        }
        return std::nullopt;
    }
    int stopped_by_signal() const override { return 1; }

private:
    int save(AppState& app, GLFWwindow* win) const {
        try {
            save_window_png(app, win, path_, true);
            return 0;
        } catch (const std::exception& e) {
            std::cerr << "kernelscope: " << e.what() << "\n";
            return 2;
        }
    }
    std::string path_;
    int settled_frames_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace

void check_run_mode_flags(const GuiLaunch& launch) {
    if (launch.frames > 0 && (launch.script_path || launch.screenshot_path))
        throw LaunchFailure("--frames N --report-fps measures the app alone: it cannot be combined with --script or --screenshot.", 2);
}

std::unique_ptr<RunMode> make_run_mode(const GuiLaunch& launch, std::vector<ScriptCommand> script, GLFWwindow* win,
                                       DropFn drop) {
    if (launch.screenshot_path) return std::make_unique<ScreenshotMode>(*launch.screenshot_path);
    if (launch.script_path) return std::make_unique<ScriptMode>(std::move(script), win, drop);
    if (launch.frames > 0) return std::make_unique<FramesMode>(launch.frames);
    return std::make_unique<InteractiveMode>();
}

}  // namespace ks::gui
