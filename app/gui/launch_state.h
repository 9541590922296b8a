#pragma once
// The app's state from the command line, before any window opens: the settings the
// flags give, the script, and the inputs (images A and B, the query) checked so that a
// bad one is one sentence and exit status 2 (a LaunchFailure) rather than a window.
#include <memory>
#include <vector>

#include "gui_main.h"
#include "script.h"

namespace ks::gui {

struct AppState;

std::unique_ptr<AppState> app_from_flags(const GuiLaunch& launch);
// --script FILE, read whole before anything else is opened.
std::vector<ScriptCommand> read_launch_script(const GuiLaunch& launch);
void open_launch_inputs(AppState& app, const GuiLaunch& launch);   // with --session: nothing (see below)
// --session FILE, opened once the saved settings (imgui.ini) are in, so that its layout
// and display win over theirs; a bad file is a LaunchFailure before any window opens.
void open_launch_session(AppState& app, const GuiLaunch& launch);

}  // namespace ks::gui
