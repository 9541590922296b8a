#pragma once
// Which windows show content cut at their right edge: a label or widget that ends past
// the visible inner area. Read from Dear ImGui's own per-window extent of what was
// submitted this frame, so it covers every item of every panel without each panel
// measuring its labels. The screenshot sidecar carries it and the GUI test asserts none.
#include <string>
#include <vector>

namespace ks::gui {

struct CutWindow {
    std::string window;  // ImGui window name (a child window's includes its parent's)
    float over_px = 0;   // how far the widest item reaches past the visible area
};

// Call after the frame's windows were submitted (e.g. at screenshot time). Windows that
// scroll sideways on purpose (a horizontal scrollbar is shown) are not cut.
std::vector<CutWindow> windows_cut_horizontally();

}  // namespace ks::gui
