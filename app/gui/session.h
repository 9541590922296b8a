#pragma once
// File > Save session / Open session: the app's settings as a SessionSettings
// (core/session/session_file.h) and back. Opening reads and checks the whole file and
// decodes its images before anything changes, so a bad file is one sentence in the
// status line and the state on screen stays. The query, view and filter belong to the
// model's grid and checkpoint, so they are applied once its first result is in.
#include <string>

#include "session/session_file.h"

namespace ks::gui {

struct AppState;

SessionSettings capture_session(const AppState& app);
void save_session(AppState& app, const std::string& path);   // the outcome goes to the status line
bool open_session(AppState& app, const std::string& path);   // false: nothing changed, the status line says why
// Once a frame after the model's result was taken: the rest of an opened session.
void finish_opening_session(AppState& app);
void save_session_dialog(AppState& app);
void open_session_dialog(AppState& app);

}  // namespace ks::gui
