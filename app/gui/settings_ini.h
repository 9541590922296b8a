#pragma once
// The app's own section of imgui.ini: window size, panel splits, screenshot folder,
// smooth/patch-exact; read at start (checked), written when ImGui saves its settings.
#include "app_state.h"

namespace ks::gui {

void register_settings(AppState& app);
// Reads imgui.ini and recent.txt from app.ini_path and app.config_dir, checked
// (settings_check.h): what fails is left at its default, the file is set aside as
// FILE.bad and one sentence goes to stderr and the status line.
void load_saved_settings(AppState& app);

}  // namespace ks::gui
