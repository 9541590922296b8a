#include "layout.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>

#include "family_ui.h"

namespace ks::gui {

PanelRects compute_layout(AppState& app) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float W = vp->Size.x, H = vp->Size.y;
    const float s = app.ui_scale;
    const float gap = std::round(6.0f * s);
    const float menu_h = ImGui::GetFrameHeight();
    const float status_h = ImGui::GetTextLineHeight() + 8.0f * s;
    const float top = vp->Pos.y + menu_h + gap, bottom = vp->Pos.y + H - status_h - gap;
    const float x0 = vp->Pos.x + gap, x1 = vp->Pos.x + W - gap;
    Layout& L = app.layout;
    // The sidebar: a fifth of the window unless dragged, never narrower than its labels need.
    const float sw_min = 230.0f * s;
    const float sw_auto = std::clamp(W * 0.19f * std::sqrt(s), sw_min, 340.0f * s);
    float sw = L.sidebar_w > 0 ? std::clamp(L.sidebar_w * s, sw_min, std::max(sw_min, W * 0.35f)) : sw_auto;
    float rw = std::clamp(L.right_frac, 0.15f, 0.45f) * W;
    // On a wide screen the right column's panels are full at about 520 px: the rest goes
    // to the comparison's pictures (a dragged splitter still wins).
    if (L.right_frac == Layout{}.right_frac) rw = std::min(rw, 520.0f * s);
    rw = std::max(rw, 230.0f * s);
    // The comparison keeps more than half of a small window: at 1024 px its A and B
    // columns are then wide enough for pictures over 120 px tall (3:2 photos).
    const float min_mid = W * (W < 1400.0f * s ? 0.55f : 0.5f);
    if (W - sw - rw - 4 * gap < min_mid) {
        const float over = min_mid - (W - sw - rw - 4 * gap);
        const float take_r = std::min(over * 0.6f, std::max(0.0f, rw - 200.0f * s));
        rw -= take_r;
        sw = std::max(200.0f * s, sw - (over - take_r));
    }
    PanelRects p;
    p.controls = {x0, top, sw, bottom - top};
    p.split_sidebar = {x0 + sw, top, gap, bottom - top};
    const float ix = x0 + sw + gap, iw = x1 - rw - gap - ix;
    p.comparison = {ix, top, iw, bottom - top};
    p.split_right = {ix + iw, top, gap, bottom - top};
    const float rx = x1 - rw, col_h = bottom - top;
    const float ch = std::round((col_h - gap) * std::clamp(L.conv_frac, 0.2f, 0.8f));
    p.conv = {rx, top, rw, ch};
    p.split_conv = {rx, top + ch, rw, gap};
    const float rest_y = top + ch + gap, rest_h = bottom - rest_y;
    const FamilyUi& family = family_ui(app);
    if (family.draw_side_panel) {  // the family's own panel: the heads grid (ViT), the effective kernel (ResNet)
        float hh = std::round((rest_h - gap) * std::clamp(L.heads_frac, 0.2f, 0.8f));
        // A panel may need more than the user's split: a ResNet's two pictures and their readouts.
        const float line = ImGui::GetTextLineHeightWithSpacing();
        if (family.side_panel_lines > 0)
            hh = std::max(hh, std::round(std::min((rest_h - gap) * 0.7f, family.side_panel_lines * line)));
        if (app.resnet_beside()) hh = std::max(hh, std::round(std::min((rest_h - gap) * 0.78f, 28.0f * line)));
        p.heads = {rx, rest_y, rw, hh};
        p.split_heads = {rx, rest_y + hh, rw, gap};
        p.readouts = {rx, rest_y + hh + gap, rw, rest_h - hh - gap};
        if (app.resnet_beside()) {
            // The second model's effective kernel takes the lower part of the heads' space.
            const float bh = std::round((hh - gap) * 0.55f);
            p.heads.h = hh - bh - gap;
            p.beside = {rx, rest_y + p.heads.h + gap, rw, bh};
        }
    } else {
        p.readouts = {rx, rest_y, rw, rest_h};
    }
    p.status = {vp->Pos.x, vp->Pos.y + H - status_h, W, status_h};
    return p;
}

void draw_splitters(AppState& app, const PanelRects& p) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::Begin("##splitters", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav |
                     ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoScrollWithMouse);
    const ImGuiIO& io = ImGui::GetIO();
    const float W = vp->Size.x;
    auto splitter = [&](const char* id, const Rect& r, bool vertical) -> float {
        ImGui::SetCursorScreenPos(ImVec2(r.x, r.y));
        ImGui::InvisibleButton(id, ImVec2(std::max(r.w, 1.0f), std::max(r.h, 1.0f)));
        if (ImGui::IsItemHovered() || ImGui::IsItemActive())
            ImGui::SetMouseCursor(vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
        if (ImGui::IsItemActive()) {
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(r.x, r.y), ImVec2(r.x + r.w, r.y + r.h),
                                                      ImGui::GetColorU32(ImGuiCol_SeparatorActive), 2.0f);
            return vertical ? io.MouseDelta.x : io.MouseDelta.y;
        }
        return 0.0f;
    };
    const float d1 = splitter("##split_sidebar", p.split_sidebar, true);
    const float d2 = splitter("##split_right", p.split_right, true);
    const float d3 = splitter("##split_conv", p.split_conv, false);
    const float d4 = p.heads.h > 0 ? splitter("##split_heads", p.split_heads, false) : 0.0f;
    if (d4 != 0.0f) {
        const float col_h = p.heads.h + p.readouts.h;
        app.layout.heads_frac = std::clamp(app.layout.heads_frac + d4 / std::max(col_h, 1.0f), 0.2f, 0.8f);
    }
    if (d1 != 0.0f) app.layout.sidebar_w = std::max(200.0f, p.controls.w / app.ui_scale + d1 / app.ui_scale);
    if (d2 != 0.0f) app.layout.right_frac = std::clamp(app.layout.right_frac - d2 / W, 0.15f, 0.45f);
    if (d3 != 0.0f) {
        const float col_h = p.conv.h + p.readouts.h + p.heads.h;
        app.layout.conv_frac = std::clamp(app.layout.conv_frac + d3 / std::max(col_h, 1.0f), 0.2f, 0.8f);
    }
    if (d1 != 0.0f || d2 != 0.0f || d3 != 0.0f || d4 != 0.0f) ImGui::MarkIniSettingsDirty();
    ImGui::End();
}

}  // namespace ks::gui
