#include "settings_ini.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace ks::gui {

namespace {

// ---- imgui.ini section for the app's own state ----
void* ini_open(ImGuiContext*, ImGuiSettingsHandler*, const char* name) {
    return std::strcmp(name, "State") == 0 ? reinterpret_cast<void*>(1) : nullptr;
}

void ini_read_line(ImGuiContext*, ImGuiSettingsHandler* h, void*, const char* line) {
    auto* app = static_cast<AppState*>(h->UserData);
    int w = 0, hh = 0;
    float f = 0;
    if (std::sscanf(line, "Window=%d,%d", &w, &hh) == 2) {
        if (w >= 400 && hh >= 300 && w <= 16384 && hh <= 16384) { app->window_w = w; app->window_h = hh; }
    } else if (std::sscanf(line, "Sidebar=%f", &f) == 1) {
        app->layout.sidebar_w = f <= 0.0f ? 0.0f : std::clamp(f, 200.0f, 2000.0f);  // 0: adapts to the window
    } else if (std::sscanf(line, "RightFrac=%f", &f) == 1) {
        app->layout.right_frac = std::clamp(f, 0.15f, 0.45f);
    } else if (std::sscanf(line, "ConvFrac=%f", &f) == 1) {
        app->layout.conv_frac = std::clamp(f, 0.2f, 0.8f);
    } else if (std::sscanf(line, "HeadsFrac=%f", &f) == 1) {
        app->layout.heads_frac = std::clamp(f, 0.2f, 0.8f);
    } else if (std::strncmp(line, "ScreenshotDir=", 14) == 0 && line[14]) {
        app->screenshot_dir = line + 14;
    } else if (std::sscanf(line, "Smooth=%d", &w) == 1) {
        app->smooth = w != 0;
    }
}

void ini_write_all(ImGuiContext*, ImGuiSettingsHandler* h, ImGuiTextBuffer* buf) {
    const auto* app = static_cast<const AppState*>(h->UserData);
    buf->appendf("[%s][State]\n", h->TypeName);
    buf->appendf("Window=%d,%d\n", app->window_w, app->window_h);
    buf->appendf("Sidebar=%.1f\n", app->layout.sidebar_w);
    buf->appendf("RightFrac=%.4f\n", app->layout.right_frac);
    buf->appendf("ConvFrac=%.4f\n", app->layout.conv_frac);
    buf->appendf("HeadsFrac=%.4f\n", app->layout.heads_frac);
    buf->appendf("ScreenshotDir=%s\n", app->screenshot_dir.c_str());
    buf->appendf("Smooth=%d\n", app->smooth ? 1 : 0);
    buf->append("\n");
}

}  // namespace

void register_settings(AppState& app) {
    ImGuiSettingsHandler h;
    h.TypeName = "KernelScope";
    h.TypeHash = ImHashStr("KernelScope");
    h.ReadOpenFn = ini_open;
    h.ReadLineFn = ini_read_line;
    h.WriteAllFn = ini_write_all;
    h.UserData = &app;
    ImGui::GetCurrentContext()->SettingsHandlers.push_back(h);
}

}  // namespace ks::gui
