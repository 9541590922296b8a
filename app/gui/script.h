#pragma once
// --script FILE: plays a small text script of user input into the running app, so
// the GUI test can drive the real interaction paths (hover, click, keys, typing,
// drag-and-drop) and read back what the app made of them. One command a line:
//   wait N | wait idle          render N frames / until image loads and the worker are done and
//                               the result is shown
//   move X Y                    pointer at window pixel (X, Y)
//   move panel:NAME FX FY       ...at a fraction of a panel rectangle (the sidecar's names;
//                               "image" is the picture itself)
//   click [left|right|middle] [MODS]     press and release (one frame down)
//   mousedown / mouseup [BUTTON] [MODS]  hold / release a button (drags)
//   press KEY [MODS]            key down for one frame, e.g. "press O ctrl", "press RIGHT"
//   keydown KEY / keyup KEY     hold / release a key
//   wheel N                     N mouse-wheel steps at the pointer (positive: zoom in)
//   type TEXT                   the rest of the line as typed characters
//   drop PATH [PATH...]         drag-and-drop files onto the window
//   set noise|brightness|contrast V   a perturbation slider dragged to V
//   resize W H                  the window resized (its corner dragged)
//   state OUT.json              what the app shows now (query, model, view, status, the longest
//                               frame since the last state, ...)
//   screenshot OUT.png          the window as --screenshot saves it, with its sidecar
//   quit                        (also implied at the end of the script)
// MODS: ctrl, shift, alt, super, joined by '+' or given as separate words.
// '#' starts a comment; paths may be double-quoted; relative paths are taken from the
// working directory. A bad script is one sentence on stderr and exit status 2, before
// any window opens.
//
// Events go in the way real input does: keys, characters and button presses through
// the callbacks the ImGui GLFW backend installed, files through the app's own drop
// callback. ImGui 1.86's backend has no cursor callback: it polls glfwGetCursorPos and
// glfwGetMouseButton in ImGui_ImplGlfw_NewFrame, and X cannot be told a button is
// down, so apply_pointer() sets io.MousePos / io.MouseDown right after that poll,
// exactly where the backend writes them. The app's logic only reads ImGui's io.
#include <string>
#include <vector>

struct GLFWwindow;

namespace ks::gui {

struct AppState;

struct ScriptCommand {
    int line = 0;
    std::string verb;
    std::vector<std::string> args;
};

// Throws InputError with one sentence naming the file and line on anything it cannot play.
std::vector<ScriptCommand> parse_script(const std::string& path);

// Under --script the config folder (imgui.ini, recent.txt) is used only when
// XDG_CONFIG_HOME is set and lies inside the temp directory: a test run must never
// touch the user's own settings.
bool script_may_use_config();

// Everything a test checks about the app, as JSON text.
std::string app_state_json(const AppState& app, GLFWwindow* win);

class ScriptPlayer {
public:
    using DropFn = void (*)(GLFWwindow*, int, const char**);
    using ShotFn = void (*)(AppState&, GLFWwindow*, const std::string&);
    ScriptPlayer(std::vector<ScriptCommand> cmds, GLFWwindow* win, DropFn drop, ShotFn shot);

    void before_frame(AppState& app);  // after glfwPollEvents: delivers this frame's events
    void apply_pointer();              // after ImGui_ImplGlfw_NewFrame, before ImGui::NewFrame
    void after_frame(AppState& app);   // after rendering: releases, waits, outputs, quit
    bool failed() const { return !error_.empty(); }
    int exit_code() const { return exit_code_; }
    const std::string& error() const { return error_; }

private:
    void fail(const ScriptCommand& c, const std::string& why, int code);
    void mods(const std::vector<int>& keys, bool down);
    void key(int k, bool down);
    void button(int b, bool down, const std::vector<int>& mod_keys);

    std::vector<ScriptCommand> cmds_;
    size_t next_ = 0;
    GLFWwindow* win_;
    DropFn drop_;
    ShotFn shot_;
    int frames_left_ = 0;
    bool idle_wait_ = false;
    int idle_frames_ = 0;
    double idle_since_ = 0;
    bool entered_ = false;
    double cx_ = -1, cy_ = -1;         // the script's pointer; < 0: outside the window
    bool down_[3] = {false, false, false};
    int mod_bits_ = 0;
    // Released after the frame that saw them pressed.
    std::vector<int> release_keys_;
    int release_button_ = -1;
    std::string error_;
    int exit_code_ = 0;
};

}  // namespace ks::gui
