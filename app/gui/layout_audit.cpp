#include "layout_audit.h"

#include <imgui.h>
#include <imgui_internal.h>

namespace ks::gui {

std::vector<CutWindow> windows_cut_horizontally() {
    std::vector<CutWindow> out;
    const ImGuiContext& g = *GImGui;
    for (const ImGuiWindow* w : g.Windows) {
        if (!w->WasActive || w->Hidden || w->SkipItems || w->ScrollbarX) continue;
        if (w->Flags & (ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_NoBackground)) continue;
        // CursorMaxPos is the right end of everything laid out this frame (labels included);
        // InnerClipRect is what is drawn. Half a pixel of tolerance for rounding.
        const float over = w->DC.CursorMaxPos.x - w->InnerClipRect.Max.x;
        if (over > 0.5f) out.push_back({w->Name, over});
    }
    return out;
}

}  // namespace ks::gui
