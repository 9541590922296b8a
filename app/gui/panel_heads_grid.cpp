// The layers x heads grid (as bertviz's model view): one thumbnail per head of the
// current query token's attention, each scaled to its own maximum, with the head's
// mean attention distance. Click a thumbnail to view that layer and head.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app_state.h"
#include "panel_util.h"

namespace ks::gui {

namespace {

struct GridFit {
    bool layers_as_rows = true;
    float cell_w = 0, cell_h = 0;   // thumbnail size
    float label_w = 0, header_h = 0, below = 0;
};

// Thumbnails keep the patch grid's aspect ratio; the orientation (layers as rows,
// as bertviz, or as columns) is the one that gives the larger thumbnails. The mean
// distance goes under each thumbnail when they stay readable with it; it is always
// in the tooltip.
GridFit fit_grid(int layers, int heads, int gh, int gw, ImVec2 avail) {
    const float line = ImGui::GetTextLineHeight();
    const float pad = 4.0f;
    const float label_need = ImGui::CalcTextSize("000 px").x;
    GridFit best;
    // Layers are always the rows (as bertviz's model view): one orientation for every
    // model, so a user never has to re-read the axes; only the labels may drop.
    for (int o = 0; o < 4; o += 2) {
        GridFit f;
        f.layers_as_rows = true;
        f.below = (o & 2) == 0 ? line + 2.0f : 0.0f;
        const int rows = f.layers_as_rows ? layers : heads, cols = f.layers_as_rows ? heads : layers;
        f.label_w = ImGui::CalcTextSize("L00").x + 8.0f;
        f.header_h = line + 4.0f;
        const float w = (avail.x - f.label_w) / cols - pad, h = (avail.y - f.header_h) / rows - pad - f.below;
        const float s = std::min(w / gw, h / gh);
        f.cell_w = std::floor(std::max(s, 0.0f) * gw);
        f.cell_h = std::floor(std::max(s, 0.0f) * gh);
        if (f.below > 0 && f.cell_w + pad < label_need) continue;
        // Labelled thumbnails win whenever they are big enough to read (40 px).
        const auto score = [](const GridFit& g) {
            return g.cell_w * g.cell_h * (g.below > 0 && g.cell_w >= 40.0f ? 100.0f : 1.0f);
        };
        const float area = score(f), best_area = score(best);
        if (area > best_area) best = f;
    }
    return best;
}

}  // namespace

void draw_heads_grid_panel(AppState& app, const Rect& r) {
    update_derived(app);
    const std::string title = "Heads: every layer and head for " + query_label(app) + "###heads";
    begin_panel(title.c_str(), r, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    record_window(app, "heads_grid");
    if (!result_ready(app)) {
        panel_message("Computing...");
        ImGui::End();
        return;
    }
    update_heads_grid(app);
    const AttentionSet& A = *app.result->current;
    const TokenLayout& L = A.layout;
    const int nl = A.layers, nh = A.heads;
    if (static_cast<int>(app.grid_tex.size()) < nl * nh) {
        panel_message("(no query)");
        ImGui::End();
        return;
    }
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("rows: layers, columns: heads");
    help_marker("Each thumbnail is the query's attention in one layer and head, scaled to its own max; the number "
                "under it is that head's mean attention distance in model-input pixels (also on hover). Click one "
                "to view it.");
    ImGui::PopTextWrapPos();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const GridFit f = fit_grid(nl, nh, L.grid_h, L.grid_w, avail);
    const float pad = 4.0f;
    const float step_x = f.cell_w + pad, step_y = f.cell_h + pad + f.below;
    const int rows = f.layers_as_rows ? nl : nh, cols = f.layers_as_rows ? nh : nl;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled), text = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32 accent = ImGui::GetColorU32(ImGuiCol_CheckMark);
    // Centre the block horizontally in the panel.
    const float block_w = f.label_w + cols * step_x;
    const float x0 = origin.x + std::max(0.0f, std::floor((avail.x - block_w) * 0.5f));
    const ImVec2 g0(x0 + f.label_w, origin.y + f.header_h);
    const ViewSpec& v = app.view;
    char buf[32];
    for (int c = 0; c < cols; ++c) {
        std::snprintf(buf, sizeof buf, f.layers_as_rows ? "H%d" : "L%d", c);
        if (ImGui::CalcTextSize(buf).x > step_x) std::snprintf(buf, sizeof buf, "%d", c);  // narrow: number only
        const float tw = ImGui::CalcTextSize(buf).x;
        dl->AddText(ImVec2(g0.x + c * step_x + (f.cell_w - tw) * 0.5f, origin.y), dim, buf);
    }
    for (int rr = 0; rr < rows; ++rr) {
        std::snprintf(buf, sizeof buf, f.layers_as_rows ? "L%d" : "H%d", rr);
        const bool cur_row = f.layers_as_rows ? rr == v.layer : (v.reduce == HeadReduce::Single && rr == v.head);
        dl->AddText(ImVec2(x0, g0.y + rr * step_y + (f.cell_h - ImGui::GetTextLineHeight()) * 0.5f), cur_row ? text : dim, buf);
    }
    int hovered = -1;
    for (int l = 0; l < nl; ++l)
        for (int h = 0; h < nh; ++h) {
            const int i = l * nh + h;
            const int rr = f.layers_as_rows ? l : h, cc = f.layers_as_rows ? h : l;
            const ImVec2 p0(g0.x + cc * step_x, g0.y + rr * step_y);
            const ImVec2 p1(p0.x + f.cell_w, p0.y + f.cell_h);
            QuadDraw q;
            q.p0 = p0;
            q.p1 = p1;
            q.heat = app.grid_tex[i].id();
            q.heat_w = L.grid_w;
            q.heat_h = L.grid_h;
            q.lut = app.renderer.lut(app.opts.colormap);
            q.vmin = 0.0f;
            q.vmax = app.grid_max[i] > 0 ? app.grid_max[i] : 1.0f;
            q.mode = QuadMode::HeatOnly;
            app.renderer.draw(q);
            const bool selected = l == v.layer && (v.reduce != HeadReduce::Single || h == v.head);
            if (selected) {
                // Mean / max over heads: every head of the layer takes part, so all are outlined.
                const float t = v.reduce == HeadReduce::Single ? 2.5f : 1.5f;
                dl->AddRect(ImVec2(p0.x - 2, p0.y - 2), ImVec2(p1.x + 2, p1.y + 2), accent, 2.0f, 0, t);
            }
            const size_t di = static_cast<size_t>(i);
            if (di < app.result->mean_distance.size() && f.below > 0) {
                std::snprintf(buf, sizeof buf, "%.0f px", app.result->mean_distance[di]);
                const float tw = ImGui::CalcTextSize(buf).x;
                if (tw <= step_x) dl->AddText(ImVec2(p0.x + (f.cell_w - tw) * 0.5f, p1.y + 1.0f), selected ? text : dim, buf);
            }
            ImGui::SetCursorScreenPos(p0);
            ImGui::PushID(i);
            ImGui::InvisibleButton("##thumb", ImVec2(std::max(f.cell_w, 1.0f), std::max(f.cell_h, 1.0f)));
            if (ImGui::IsItemHovered() && !app.screenshot_mode) hovered = i;
            if (ImGui::IsItemClicked()) select_layer_head(app, l, h);
            ImGui::PopID();
        }
    if (hovered >= 0) {
        const int l = hovered / nh, h = hovered % nh;
        const size_t di = static_cast<size_t>(hovered);
        ImGui::BeginTooltip();
        ImGui::Text("layer %d, head %d", l, h);
        if (di < app.result->mean_distance.size())
            ImGui::Text("mean attention distance %.1f px (model input)", app.result->mean_distance[di]);
        ImGui::Text("max weight %s (the thumbnail's top colour)", fmt(app.grid_max[di]).c_str());
        ImGui::TextDisabled("click to view this layer and head");
        ImGui::EndTooltip();
    }
    record_rect(app, "heads_grid_cells", g0, ImVec2(cols * step_x - pad, rows * step_y - pad));
    ImGui::End();
}

}  // namespace ks::gui
