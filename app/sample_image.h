#pragma once
#include <string>
#include <utility>

namespace ks {

// The photo the app and `render` use when no --image is given (assets/images, with
// its licence in SOURCES.md): the coffee cup.
std::string bundled_sample_image();
// The app's first query on that photo (row, col on the 16 px patch grid): a patch of
// the cup's white rim, whose attention spreads along the whole rim, so the first frame
// shows a kernel that visibly moves under noise.
std::pair<int, int> bundled_sample_query();

}  // namespace ks
