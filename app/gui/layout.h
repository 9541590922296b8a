#pragma once
// Where the panels go: a sidebar, the image column (with the heads grid under it for
// a ViT), the conv and comparison panels on the right, and the draggable gaps between.
#include "app_state.h"

namespace ks::gui {

struct PanelRects {
    Rect controls, image, conv, compare, status;
    Rect heads;                                    // ViT only: the layers x heads grid under the image
    Rect split_sidebar, split_right, split_conv, split_heads;  // draggable gaps
};

PanelRects compute_layout(AppState& app);
// Invisible buttons in the gaps between panels: drag to resize (saved in imgui.ini).
void draw_splitters(AppState& app, const PanelRects& p);

}  // namespace ks::gui
