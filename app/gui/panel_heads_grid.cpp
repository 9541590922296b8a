// The layers x heads grid (as bertviz's model view): one thumbnail per head of the
// current query token's attention, each scaled to its own maximum, with the head's
// mean attention distance. Click a thumbnail to view that layer and head. It draws in
// the right column when its thumbnails read there (>= 16 px), and always in the centre
// as the comparison's "All heads" tab (V), where a ViT-B's 144 heads have room.
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
    float cell_w = 0, cell_h = 0;   // thumbnail size
    float label_w = 0, header_h = 0;
    bool numbers = false;           // the mean distance fits on each thumbnail
};

// Layers are the rows and heads the columns (as bertviz's model view) for every model,
// so a user never has to re-read the axes. Thumbnails keep the patch grid's aspect
// ratio and take the room there is; the mean distance is written on each one when it
// fits there with a margin, and is always in the tooltip.
GridFit fit_grid(int layers, int heads, int gh, int gw, ImVec2 avail) {
    const float line = ImGui::GetTextLineHeight();
    const float pad = 4.0f;
    GridFit f;
    f.label_w = ImGui::CalcTextSize("L00").x + 8.0f;
    f.header_h = line + 4.0f;
    const float w = (avail.x - f.label_w) / heads - pad, h = (avail.y - f.header_h) / layers - pad;
    const float s = std::max(std::min(w / gw, h / gh), 0.0f);
    f.cell_w = std::floor(s * gw);
    f.cell_h = std::floor(s * gh);
    f.numbers = f.cell_w >= ImGui::CalcTextSize("000").x + 8.0f && f.cell_h >= 2.0f * line;
    return f;
}

// Every k-th label, so that labels `need` apart never touch at a spacing of `step`.
int label_stride(float need, float step) {
    int k = 1;
    while (k < 64 && step * static_cast<float>(k) < need) ++k;
    return k;
}

// Where the grid's parts go in the region (origin, avail): the block centred horizontally,
// thumbnails from g0 at steps of (step_x, step_y), every k-th label where they would touch.
struct GridGeometry {
    GridFit f;
    float x0 = 0;
    ImVec2 origin, g0;
    float step_x = 0, step_y = 0;
    int col_every = 1, row_every = 1;
};

constexpr float kCellPad = 4.0f;

GridGeometry grid_geometry(const TokenLayout& L, int layers, int heads, ImVec2 origin, ImVec2 avail) {
    GridGeometry g;
    g.f = fit_grid(layers, heads, L.grid_h, L.grid_w, avail);
    g.step_x = g.f.cell_w + kCellPad;
    g.step_y = g.f.cell_h + kCellPad;
    const float block_w = g.f.label_w + heads * g.step_x;
    g.x0 = origin.x + std::max(0.0f, std::floor((avail.x - block_w) * 0.5f));
    g.origin = origin;
    g.g0 = ImVec2(g.x0 + g.f.label_w, origin.y + g.f.header_h);
    // Labels never overlap: on a narrow grid only every k-th column or row is named.
    g.col_every = label_stride(ImGui::CalcTextSize("H00").x + 4.0f, g.step_x);
    g.row_every = label_stride(ImGui::GetTextLineHeight(), g.step_y);
    return g;
}

void draw_grid_labels(const AppState& app, const GridGeometry& g, int rows, int cols) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled), text = ImGui::GetColorU32(ImGuiCol_Text);
    const float line = ImGui::GetTextLineHeight();
    char buf[32];
    for (int c = 0; c < cols; c += g.col_every) {
        std::snprintf(buf, sizeof buf, "H%d", c);
        if (ImGui::CalcTextSize(buf).x > g.step_x * g.col_every) std::snprintf(buf, sizeof buf, "%d", c);
        const float tw = ImGui::CalcTextSize(buf).x;
        dl->AddText(ImVec2(g.g0.x + c * g.step_x + (g.f.cell_w - tw) * 0.5f, g.origin.y), c == app.view.head ? text : dim, buf);
    }
    for (int rr = 0; rr < rows; rr += g.row_every) {
        std::snprintf(buf, sizeof buf, "L%d", rr);
        dl->AddText(ImVec2(g.x0, g.g0.y + rr * g.step_y + (g.f.cell_h - line) * 0.5f), rr == app.view.layer ? text : dim, buf);
    }
}

// Layer l, head h's thumbnail, its outline when selected, its mean distance when it
// reads; a click selects it. Returns whether the pointer is over it.
bool draw_thumbnail(AppState& app, const GridGeometry& g, int l, int h) {
    const TokenLayout& L = app.result->current->layout;
    const ViewSpec& v = app.view;
    const int i = l * app.result->current->heads + h;
    const ImVec2 p0(g.g0.x + h * g.step_x, g.g0.y + l * g.step_y);
    const ImVec2 p1(p0.x + g.f.cell_w, p0.y + g.f.cell_h);
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
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool selected = l == v.layer && (v.reduce != HeadReduce::Single || h == v.head);
    if (selected) {
        // Mean / max over heads: every head of the layer takes part, so all are outlined.
        const float t = v.reduce == HeadReduce::Single ? 2.5f : 1.5f;
        dl->AddRect(ImVec2(p0.x - 2, p0.y - 2), ImVec2(p1.x + 2, p1.y + 2), ImGui::GetColorU32(ImGuiCol_CheckMark), 2.0f, 0, t);
    }
    const size_t di = static_cast<size_t>(i);
    if (di < app.result->mean_distance.size() && g.f.numbers) {
        // On the thumbnail's lower edge, over a dark band, so it reads on any colour.
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.0f", app.result->mean_distance[di]);  // px: the caption says so
        const ImVec2 ts = ImGui::CalcTextSize(buf);
        const ImVec2 t0(p1.x - ts.x - 3.0f, p1.y - ts.y - 1.0f);
        dl->AddRectFilled(ImVec2(t0.x - 2.0f, t0.y), p1, IM_COL32(0, 0, 0, 160), 2.0f);
        dl->AddText(t0, selected ? ImGui::GetColorU32(ImGuiCol_Text) : IM_COL32(220, 220, 220, 255), buf);
    }
    ImGui::SetCursorScreenPos(p0);
    ImGui::PushID(i);
    ImGui::InvisibleButton("##thumb", ImVec2(std::max(g.f.cell_w, 1.0f), std::max(g.f.cell_h, 1.0f)));
    const bool hovered = ImGui::IsItemHovered() && !app.screenshot_mode;
    if (ImGui::IsItemClicked()) select_layer_head(app, l, h);
    ImGui::PopID();
    return hovered;
}

void draw_thumbnail_tooltip(const AppState& app, int i) {
    const int nh = app.result->current->heads;
    const size_t di = static_cast<size_t>(i);
    ImGui::BeginTooltip();
    ImGui::Text("layer %d, head %d", i / nh, i % nh);
    if (di < app.result->mean_distance.size())
        ImGui::Text("mean attention distance %.1f px (model input)", app.result->mean_distance[di]);
    ImGui::Text("max weight %s (the thumbnail's top colour)", fmt(app.grid_max[di]).c_str());
    ImGui::TextDisabled("click to view this layer and head");
    ImGui::EndTooltip();
}

// The grid itself in the region (origin, avail): thumbnails, the layer and head labels
// (every k-th when they would touch), the mean distance under each when it reads, the
// tooltip, and a click selecting the head. Records its cells as "heads_grid_cells".
HeadsGridFit draw_heads_grid(AppState& app, ImVec2 origin, ImVec2 avail) {
    const AttentionSet& A = *app.result->current;
    const int rows = A.layers, cols = A.heads;
    const GridGeometry g = grid_geometry(A.layout, rows, cols, origin, avail);
    draw_grid_labels(app, g, rows, cols);
    int hovered = -1;
    for (int l = 0; l < rows; ++l)
        for (int h = 0; h < cols; ++h)
            if (draw_thumbnail(app, g, l, h)) hovered = l * cols + h;
    if (hovered >= 0) draw_thumbnail_tooltip(app, hovered);
    record_rect(app, "heads_grid_cells", g.g0, ImVec2(cols * g.step_x - kCellPad, rows * g.step_y - kCellPad));
    HeadsGridFit out;
    out.cell_w = g.f.cell_w;
    out.cell_h = g.f.cell_h;
    out.rows = rows;
    out.cols = cols;
    out.distances_shown = g.f.numbers;
    out.row_label_every = g.row_every;
    out.col_label_every = g.col_every;
    return out;
}

// Thumbnails this small cannot be read: the grid asks for the centre instead.
constexpr float kMinReadableCell = 16.0f;

// What the grid's region says while no query or result is there; false = nothing to draw.
bool heads_grid_ready(AppState& app) {
    if (!result_ready(app)) {
        panel_message("Computing...");
        return false;
    }
    update_heads_grid(app);
    const AttentionSet& A = *app.result->current;
    if (static_cast<int>(app.grid_tex.size()) < A.layers * A.heads) {
        panel_message("(no query)");
        return false;
    }
    return true;
}

}  // namespace

void draw_heads_grid_view(AppState& app) {
    if (!heads_grid_ready(app)) return;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("Every layer (rows) and head (columns) for %s; each thumbnail on its own scale, the mean "
                        "attention distance (model-input px) on it when it fits, else on hover. Click one to view "
                        "it; V returns to the comparison.",
                        query_label(app).c_str());
    ImGui::PopTextWrapPos();
    app.heads_fit = draw_heads_grid(app, ImGui::GetCursorScreenPos(), ImGui::GetContentRegionAvail());
}

void draw_heads_grid_panel(AppState& app, const Rect& r) {
    update_derived(app);
    const std::string title = "Heads: every layer and head for " + query_label(app) + "###heads";
    begin_panel(title.c_str(), r, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    record_window(app, "heads_grid");
    if (app.center_view == CenterView::Heads) {
        // The grid is in the centre: here, what is selected in it.
        const std::string t = "Layer " + std::to_string(app.view.layer) + ", " + head_label(app.view) + "; every head is in the centre (V: back)";
        ImGui::TextDisabled("%s", elided(t, ImGui::GetContentRegionAvail().x).c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.c_str());
        ImGui::End();
        return;
    }
    if (!heads_grid_ready(app)) {
        ImGui::End();
        return;
    }
    const AttentionSet& A = *app.result->current;
    // The header takes a line or two (the help text wraps in a narrow panel): the grid
    // must read in what is left, else the panel holds only the way to the centre.
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float header = 2.0f * ImGui::GetFrameHeightWithSpacing();
    const GridFit f = fit_grid(A.layers, A.heads, A.layout.grid_h, A.layout.grid_w, ImVec2(avail.x, avail.y - header));
    if (f.cell_w < kMinReadableCell || f.cell_h < kMinReadableCell) {
        char label[64];
        std::snprintf(label, sizeof label, "%d x %d heads: show (V)", A.layers, A.heads);
        if (ImGui::Button(label)) app.center_view = CenterView::Heads;
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Every layer and head, too many to read in this panel, in the centre of the window.");
        ImGui::End();
        return;
    }
    if (ImGui::SmallButton("Enlarge (V)")) app.center_view = CenterView::Heads;
    same_line_if_fits(ImGui::CalcTextSize("rows: layers, columns: heads (?)").x + ImGui::GetStyle().ItemSpacing.x);
    ImGui::TextDisabled("rows: layers, columns: heads");
    help_marker("Each thumbnail is the query's attention in one layer and head, scaled to its own max; the number "
                "on it is that head's mean attention distance in model-input pixels (also on hover). Click one "
                "to view it.");
    app.heads_fit = draw_heads_grid(app, ImGui::GetCursorScreenPos(), ImGui::GetContentRegionAvail());
    ImGui::End();
}

}  // namespace ks::gui
