#pragma once
// What the frame loop hands the model worker and takes back from it (gui_main.cpp).
#include <string>

namespace ks::gui {

struct AppState;

// Sends the settings as a request when they changed since the last one.
void post_if_dirty(AppState& app);
// Takes a finished result, if any. Returns false (with the message) when the model failed.
bool pick_up_result(AppState& app, std::string* error);

}  // namespace ks::gui
