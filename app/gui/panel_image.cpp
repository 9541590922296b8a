// The image with the attention heatmap over it: hover moves the query, a click pins
// it, Shift+drag draws the occlusion; the conv footprint and a colorbar.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app_state.h"
#include "panel_util.h"
#include "panel_widgets.h"
#include "attention/views.h"

namespace ks::gui {

void draw_image_panel(AppState& app, const Rect& r) {
    begin_panel("Image and attention###image", r, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    record_window(app, "image_panel");
    update_derived(app);
    if (!result_ready(app)) {
        const ImVec2 c0 = ImGui::GetCursorScreenPos(), ca = ImGui::GetContentRegionAvail();
        if (app.result && !app.result->error.empty()) panel_message(app.result->error.c_str(), true);
        else panel_message("Computing attention...");
        draw_progress_overlay(app, c0, ImVec2(c0.x + ca.x, c0.y + ca.y));
        ImGui::End();
        return;
    }
    const ComputeResult& res = *app.result;
    const Image& img = *res.shown;
    const TokenLayout& L = res.current->layout;
    ImGuiIO& io = ImGui::GetIO();
    const bool patch_query = query_token_now(app) >= L.num_prefix();

    ImGui::Text("Query %s", query_label(app).c_str());
    ImGui::SameLine();
    if (!patch_query) ImGui::TextDisabled("(click for a patch)");
    else if (app.pinned) ImGui::TextColored(ImVec4(0.2f, 1.0f, 1.0f, 1.0f), "pinned");
    else ImGui::TextDisabled("follows the mouse");
    ImGui::SameLine();
    if (res.vit)
        ImGui::TextDisabled("| layer %d, %s | grid %dx%d, N = %d%s", app.view.layer,
                            head_label(app.view).c_str(), L.grid_h, L.grid_w,
                            res.current->tokens, app.ab_mode && app.image_b ? " | showing B" : "");
    else
        ImGui::TextDisabled("| grid %d x %d, patch %d px, N = %d%s", L.grid_h, L.grid_w, L.patch, res.current->tokens,
                            app.ab_mode && app.image_b ? " | showing B" : "");

    const float cb_h = ImGui::GetTextLineHeight() * 2.4f;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 size = fit(static_cast<float>(img.width), static_cast<float>(img.height), avail.x, avail.y - cb_h);
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    p0.x = std::floor(p0.x + (avail.x - size.x) * 0.5f);
    p0.y = std::floor(p0.y);
    const ImVec2 p1(p0.x + size.x, p0.y + size.y);
    ImGui::SetCursorScreenPos(p0);
    ImGui::InvisibleButton("##image", ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)),
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    const bool hovered = ImGui::IsItemHovered() && !app.screenshot_mode;

    QuadDraw q;
    q.p0 = p0;
    q.p1 = p1;
    q.image = app.image_tex.id();
    q.heat = app.heat_tex.id();
    q.heat_w = L.grid_w;
    q.heat_h = L.grid_h;
    q.lut = app.renderer.lut(app.opts.colormap);
    q.vmin = app.heat_min;
    q.vmax = app.heat_max;
    q.opacity = app.opts.opacity;
    q.smooth = app.smooth;
    q.mode = QuadMode::Overlay;
    app.renderer.draw(q);
    record_rect(app, "attention", p0, size);

    // Image pixels <-> screen. For a ViT in crop mode the picture is the centred crop
    // of image A, whose pixel coordinates (the occlusion's) start at (crop_x, crop_y).
    const float sx = size.x / img.width, sy = size.y / img.height;
    const float ox = static_cast<float>(res.crop_x), oy = static_cast<float>(res.crop_y);
    auto to_img = [&](ImVec2 m) {
        return ImVec2(ox + std::clamp((m.x - p0.x) / sx, 0.0f, static_cast<float>(img.width)),
                      oy + std::clamp((m.y - p0.y) / sy, 0.0f, static_cast<float>(img.height)));
    };

    // ---- interaction ----
    if (hovered) {
        const ImVec2 m = io.MousePos;
        const int hr = std::clamp(static_cast<int>((m.y - p0.y) / size.y * L.grid_h), 0, L.grid_h - 1);
        const int hc = std::clamp(static_cast<int>((m.x - p0.x) / size.x * L.grid_w), 0, L.grid_w - 1);
        if (io.KeyShift && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            app.occluding = true;
            app.occ_start = to_img(m);
        } else if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            if (!patch_query) {
                // Querying CLS or rollout: a click on the image switches to that patch.
                set_query_kind(app, QueryKind::Patch);
                set_query(app, hr, hc);
            } else if (app.pinned && hr == app.q_row && hc == app.q_col) {
                app.pinned = false;
            } else {
                app.pinned = true;
                set_query(app, hr, hc);
            }
        } else if (ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
            app.pinned = false;
        }
        if (patch_query && !app.pinned && !app.occluding) set_query(app, hr, hc);
        if ((app.pinned || !patch_query) && !app.occluding && !app.heat.empty()) {
            const float v = app.heat[static_cast<size_t>(hr) * L.grid_w + hc];
            ImGui::SetTooltip("patch (%d, %d)\na(query -> patch) = %s", hr, hc, fmt(v).c_str());
        }
    }
    if (app.occluding) {
        const ImVec2 a = app.occ_start, b = to_img(io.MousePos);
        PixelRect pr;
        pr.x = static_cast<int>(std::floor(std::min(a.x, b.x)));
        pr.y = static_cast<int>(std::floor(std::min(a.y, b.y)));
        pr.w = static_cast<int>(std::ceil(std::max(a.x, b.x))) - pr.x;
        pr.h = static_cast<int>(std::ceil(std::max(a.y, b.y))) - pr.y;
        // The rectangle is drawn in the coordinates of what is shown (= the input A size).
        if (pr.x != app.perturb.occlusion.x || pr.y != app.perturb.occlusion.y || pr.w != app.perturb.occlusion.w ||
            pr.h != app.perturb.occlusion.h) {
            app.perturb.occlusion = pr;
            request_compute(app);
        }
        if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) app.occluding = false;
    }
    update_derived(app);

    // ---- overlays ----
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(p0, p1, true);
    const float cw = size.x / L.grid_w, ch = size.y / L.grid_h;
    if (app.mask_on && app.mask.size() == app.heat.size()) {
        // DINO mask: dropped patches dimmed, the kept region outlined along cell edges.
        const auto kept = [&](int rr, int cc) {
            return rr >= 0 && cc >= 0 && rr < L.grid_h && cc < L.grid_w && app.mask[static_cast<size_t>(rr) * L.grid_w + cc];
        };
        for (int rr = 0; rr < L.grid_h; ++rr)
            for (int cc = 0; cc < L.grid_w; ++cc)
                if (!kept(rr, cc))
                    dl->AddRectFilled(ImVec2(p0.x + cc * cw, p0.y + rr * ch), ImVec2(p0.x + (cc + 1) * cw, p0.y + (rr + 1) * ch),
                                      IM_COL32(0, 0, 0, 150));
        const ImU32 edge = IM_COL32(255, 255, 255, 230);
        for (int rr = 0; rr < L.grid_h; ++rr)
            for (int cc = 0; cc < L.grid_w; ++cc) {
                if (!kept(rr, cc)) continue;
                const float xa = p0.x + cc * cw, ya = p0.y + rr * ch, xb = xa + cw, yb = ya + ch;
                if (!kept(rr - 1, cc)) dl->AddLine(ImVec2(xa, ya), ImVec2(xb, ya), edge, 1.5f);
                if (!kept(rr + 1, cc)) dl->AddLine(ImVec2(xa, yb), ImVec2(xb, yb), edge, 1.5f);
                if (!kept(rr, cc - 1)) dl->AddLine(ImVec2(xa, ya), ImVec2(xa, yb), edge, 1.5f);
                if (!kept(rr, cc + 1)) dl->AddLine(ImVec2(xb, ya), ImVec2(xb, yb), edge, 1.5f);
            }
    }
    if (!app.perturb.occlusion.empty()) {
        const PixelRect& o = app.perturb.occlusion;
        dl->AddRect(ImVec2(p0.x + (o.x - ox) * sx, p0.y + (o.y - oy) * sy),
                    ImVec2(p0.x + (o.x + o.w - ox) * sx, p0.y + (o.y + o.h - oy) * sy), kOcclusionColor, 0.0f, 0, 1.5f);
    }
    if (app.show_footprint && patch_query) {
        // The conv kernel's k x k footprint, centred on the query patch, to scale (a
        // learned filter's pixels are the model input's: its footprint is the patch).
        const int k = app.kernel_shown.size;
        const float cx = p0.x + (app.q_col + 0.5f) * cw, cy = p0.y + (app.q_row + 0.5f) * ch;
        const float hw = 0.5f * k * res.kernel_px * sx, hh = 0.5f * k * res.kernel_px * sy;
        dl->AddRect(ImVec2(cx - hw, cy - hh), ImVec2(cx + hw, cy + hh), kFootprintColor, 0.0f, 0, 1.5f);
        if (hw < 4.0f) dl->AddCircle(ImVec2(cx, cy), 7.0f, kFootprintColor, 20, 1.5f);
    }
    if (app.show_outline && patch_query) {
        const ImVec2 a(p0.x + app.q_col * cw, p0.y + app.q_row * ch);
        dl->AddRect(a, ImVec2(a.x + cw, a.y + ch), IM_COL32(0, 0, 0, 160), 0.0f, 0, 3.5f);
        dl->AddRect(a, ImVec2(a.x + cw, a.y + ch), kQueryColor, 0.0f, 0, 2.0f);
    }
    if (!patch_query) {
        const std::string t = "query: " + query_label(app);
        const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
        dl->AddRectFilled(ImVec2(p0.x + 8, p0.y + 8), ImVec2(p0.x + 18 + ts.x, p0.y + 14 + ts.y), IM_COL32(0, 0, 0, 170), 4.0f);
        dl->AddText(ImVec2(p0.x + 13, p0.y + 11), kQueryColor, t.c_str());
    }
    dl->PopClipRect();
    draw_progress_overlay(app, p0, p1);

    // ---- colorbar ----
    const float bar_h = std::floor(ImGui::GetTextLineHeight() * 0.8f);
    const ImVec2 b0(p0.x, p1.y + 6.0f), b1(p1.x, p1.y + 6.0f + bar_h);
    QuadDraw bar;
    bar.p0 = b0;
    bar.p1 = b1;
    bar.lut = app.renderer.lut(app.opts.colormap);
    bar.heat = app.heat_tex.id();
    bar.mode = QuadMode::Ramp;
    app.renderer.draw(bar);
    dl->AddRect(ImVec2(b0.x - 1, b0.y - 1), ImVec2(b1.x + 1, b1.y + 1), IM_COL32(90, 90, 100, 255));
    const std::string lo = fmt(app.heat_min), hi = fmt(app.heat_max);
    const char* mid = "attention weight a(query, patch)";
    const float ty = b1.y + 3.0f;
    const ImU32 tc = ImGui::GetColorU32(ImGuiCol_Text);
    dl->AddText(ImVec2(b0.x, ty), tc, lo.c_str());
    dl->AddText(ImVec2(b1.x - ImGui::CalcTextSize(hi.c_str()).x, ty), tc, hi.c_str());
    dl->AddText(ImVec2((b0.x + b1.x - ImGui::CalcTextSize(mid).x) * 0.5f, ty), ImGui::GetColorU32(ImGuiCol_TextDisabled), mid);
    record_rect(app, "colorbar", b0, ImVec2(b1.x - b0.x, b1.y - b0.y));
    ImGui::End();
}

}  // namespace ks::gui
