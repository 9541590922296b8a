#pragma once
// The app's own section of imgui.ini: window size, panel splits, screenshot folder,
// smooth/patch-exact; read at start, written when ImGui saves its settings.
#include "app_state.h"

namespace ks::gui {

void register_settings(AppState& app);

}  // namespace ks::gui
