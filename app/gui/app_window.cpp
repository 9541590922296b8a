#include "app_window.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <csignal>

namespace ks::gui {

namespace {

volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_stop_signal(int) { g_stop = 1; }

void glfw_error_callback(int, const char*) {
    // Reported once, as a sentence, where window creation fails.
}

}  // namespace

GlfwLibrary::GlfwLibrary() {
    glfwSetErrorCallback(glfw_error_callback);
    if (!glfwInit())
        throw LaunchFailure("Cannot start the desktop app: no display is available (set DISPLAY, or use 'kernelscope render' for files).", 1);
}

GlfwLibrary::~GlfwLibrary() { glfwTerminate(); }

ImGuiContextOwner::ImGuiContextOwner() {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
}

ImGuiContextOwner::~ImGuiContextOwner() {
    ImGui::GetIO().IniFilename = nullptr;   // its path and settings handler belonged to the app, gone by now
    ImGui::DestroyContext();
}

GlWindow::GlWindow(const WindowSpec& spec) {
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_RESIZABLE, spec.fixed_size ? GLFW_FALSE : GLFW_TRUE);
    win_ = glfwCreateWindow(spec.width, spec.height, "kernelscope", nullptr, nullptr);
    if (!win_)
        throw LaunchFailure("Cannot open a window with an OpenGL 3.3 core context (no display, or the driver lacks OpenGL 3.3).", 1);
    glfwMakeContextCurrent(win_);
    glfwSwapInterval(spec.fixed_size ? 0 : 1);
    // Below this the panels have no room for their pictures and labels.
    if (!spec.fixed_size) glfwSetWindowSizeLimits(win_, 800, 560, GLFW_DONT_CARE, GLFW_DONT_CARE);
}

GlWindow::~GlWindow() { glfwDestroyWindow(win_); }

ImGuiBackends::ImGuiBackends(GLFWwindow* win) {
    ImGui_ImplGlfw_InitForOpenGL(win, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
}

ImGuiBackends::~ImGuiBackends() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
}

StopSignals::StopSignals() {
    g_stop = 0;
    old_int_ = std::signal(SIGINT, on_stop_signal);
    old_term_ = std::signal(SIGTERM, on_stop_signal);
    old_hup_ = std::signal(SIGHUP, on_stop_signal);   // a closed terminal: settings saved as for Ctrl+C
}

StopSignals::~StopSignals() {
    std::signal(SIGINT, old_int_);
    std::signal(SIGTERM, old_term_);
    std::signal(SIGHUP, old_hup_);
}

bool StopSignals::raised() { return g_stop != 0; }

}  // namespace ks::gui
