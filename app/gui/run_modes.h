#pragma once
// The four ways the app runs, as the hooks where they differ inside the one frame loop
// of run_gui.cpp: interactive (a user at the window), --screenshot (draw until the
// result has settled, save the PNG, exit), --script (play input events, tests) and
// --frames N --report-fps (sweep the pointer, print frame times).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gui_main.h"
#include "script.h"

struct GLFWwindow;

namespace ks::gui {

struct AppState;

// How the loop waits for events when nothing is settling: Wait sleeps until input or a
// timeout, PollUnlessBusy draws flat out unless the worker computes, Poll always.
enum class EventPace { Wait, PollUnlessBusy, Poll };

class RunMode {
public:
    virtual ~RunMode() = default;
    virtual EventPace pace() const = 0;
    // After this frame's events were taken: a script delivers its own.
    virtual void before_frame(AppState&) {}
    // After the backends' NewFrame, before ImGui's: where the pointer is this frame.
    virtual void place_pointer(AppState&) {}
    // The model failed (the status line says how): an exit code ends the run.
    virtual std::optional<int> on_model_error(const std::string&) { return std::nullopt; }
    // The frame is drawn, not yet shown.
    virtual std::optional<int> after_draw(AppState& app, GLFWwindow* win) = 0;
    // The frame is shown and took frame_ms from its events to the swap.
    virtual std::optional<int> after_swap(AppState&, double /*frame_ms*/) { return std::nullopt; }
    // Ctrl+C or SIGTERM ended the loop: a run that was to produce something failed.
    virtual int stopped_by_signal() const { return 0; }
};

// --frames goes alone: with --script or --screenshot it is refused (LaunchFailure 2).
void check_run_mode_flags(const GuiLaunch& launch);

using DropFn = void (*)(GLFWwindow*, int, const char**);
std::unique_ptr<RunMode> make_run_mode(const GuiLaunch& launch, std::vector<ScriptCommand> script, GLFWwindow* win,
                                       DropFn drop);

}  // namespace ks::gui
