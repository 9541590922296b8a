#pragma once
// Where the panels go: the controls sidebar, the comparison (the picture) in the
// middle, and on the right the conv filter, the heads grid (ViT) and the readouts,
// with draggable gaps between. Widths adapt to the window: the comparison keeps most.
#include "app_state.h"

namespace ks::gui {

struct PanelRects {
    Rect controls, comparison, conv, readouts, status;
    Rect heads;                                    // ViT: the layers x heads grid; ResNet: its effective kernel
    Rect beside;                                   // a ResNet beside a ViT: its effective kernel (under the heads)
    Rect split_sidebar, split_right, split_conv, split_heads;  // draggable gaps
};

PanelRects compute_layout(AppState& app);
// Invisible buttons in the gaps between panels: drag to resize (saved in imgui.ini).
void draw_splitters(AppState& app, const PanelRects& p);

}  // namespace ks::gui
