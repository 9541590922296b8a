#pragma once
// Pictures out of the app: the window as PNG (with the panel-rectangle sidecar the GUI
// tests read), timestamped screenshots that never overwrite, and full-resolution panel
// exports. Files are written atomically.
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "app_state.h"

struct GLFWwindow;

namespace ks::gui {

// PNG of the back buffer; with `sidecar` also path + ".json" (panels, query, model, view, timing).
void save_window_png(AppState& app, GLFWwindow* win, const std::string& path, bool sidecar);
void save_script_screenshot(AppState& app, GLFWwindow* win, const std::string& path);
// What the two attention maps are drawn with: the shared colour scale and each map's
// lit share (patches at >= 10% of the scale's range), for the sidecar and the script state.
void add_maps_json(const AppState& app, nlohmann::json& j);
// Ctrl+S: a timestamped name in the screenshot folder; the outcome goes to the status line.
void save_screenshot_interactive(AppState& app, GLFWwindow* win);

}  // namespace ks::gui
