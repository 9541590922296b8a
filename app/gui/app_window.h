#pragma once
// The desktop window and what is tied to it, each an owner that undoes its own setup:
// GLFW itself, the ImGui context, the window with its OpenGL 3.3 core context, the two
// ImGui backends, and the Ctrl+C / SIGTERM handlers. run_gui.cpp declares them in the
// order they are needed, so leaving run_gui by any path (a failure, an exception, the
// end of the loop) tears them down in reverse order.
#include <stdexcept>
#include <string>

struct GLFWwindow;

namespace ks::gui {

// Thrown by a setup step that cannot go on: `what()` is the sentence for stderr, `code`
// the exit status (2 bad input, 1 no display or OpenGL).
struct LaunchFailure : std::runtime_error {
    LaunchFailure(const std::string& sentence, int exit_code) : std::runtime_error(sentence), code(exit_code) {}
    int code;
};

class GlfwLibrary {
public:
    GlfwLibrary();   // throws LaunchFailure(1) when there is no display
    ~GlfwLibrary();
    GlfwLibrary(const GlfwLibrary&) = delete;
    GlfwLibrary& operator=(const GlfwLibrary&) = delete;
};

// Created before the window: imgui.ini gives the window its saved size.
class ImGuiContextOwner {
public:
    ImGuiContextOwner();
    ~ImGuiContextOwner();   // never saves imgui.ini itself: the app saves it while its state is alive
    ImGuiContextOwner(const ImGuiContextOwner&) = delete;
    ImGuiContextOwner& operator=(const ImGuiContextOwner&) = delete;
};

struct WindowSpec {
    int width = 1600, height = 1000;
    bool fixed_size = false;   // screenshots, scripts and --frames: the asked size, no resizing, no vsync
};

// The window with its OpenGL 3.3 core context, current from construction to destruction.
class GlWindow {
public:
    explicit GlWindow(const WindowSpec& spec);   // throws LaunchFailure(1)
    ~GlWindow();
    GlWindow(const GlWindow&) = delete;
    GlWindow& operator=(const GlWindow&) = delete;
    GLFWwindow* get() const { return win_; }

private:
    GLFWwindow* win_ = nullptr;
};

class ImGuiBackends {
public:
    explicit ImGuiBackends(GLFWwindow* win);   // installs ImGui's GLFW callbacks on `win`
    ~ImGuiBackends();
    ImGuiBackends(const ImGuiBackends&) = delete;
    ImGuiBackends& operator=(const ImGuiBackends&) = delete;
};

// Ctrl+C and SIGTERM end the loop (so settings are saved) instead of the process.
class StopSignals {
public:
    StopSignals();
    ~StopSignals();   // the previous handlers come back
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;
    static bool raised();

private:
    void (*old_int_)(int);
    void (*old_term_)(int);
    void (*old_hup_)(int);
};

}  // namespace ks::gui
