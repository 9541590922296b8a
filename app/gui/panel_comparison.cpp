// The comparison (README, "The desktop app"): one query, two inputs. Columns A, B and
// B - A; rows: the attention row over the whole image (A and B on one colour scale),
// the 7 x 7 patches around the query with the conv response over the same pixels, and
// the conv kernel at the query. Above them, the three kernel-change numbers in large
// type. Hover moves the query, a click pins it, Shift+drag occludes (B = A perturbed).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app_state.h"
#include "family_ui.h"
#include "panel_util.h"
#include "panel_widgets.h"
#include "picture_zoom.h"
#include "draw/number_format.h"
#include "theme.h"

namespace ks::gui {

namespace {

constexpr int kLocal = 7;  // patches a side in the local window (radius 3, as conv_state.cpp)

const char* b_mode_label(BMode m) {
    switch (m) {
        case BMode::Perturbed: return "A perturbed";
        case BMode::Second: return "second image";
        case BMode::Off: return "off";
    }
    return "";
}

// What B is, in a few words: "A + noise 0.15", "chelsea.png (centre crop)".
std::string b_description(const AppState& app) {
    if (app.b_mode == BMode::Off)
        return "B is off: choose \"A perturbed\" or \"second image\" (or press B) to see the attention kernel move "
               "while the conv kernel stays the same.";
    if (app.b_mode == BMode::Second)
        return app.image_b ? file_name_of(app.path_b) + ", centre-cropped to A's shape" : "no second image: open one (Ctrl+Shift+O)";
    // The perturbation of the result on screen: while a new one computes, the caption still
    // describes the pictures shown.
    const Perturbation& p = app.result ? app.shown_perturb : app.perturb;
    std::string s;
    char buf[64];
    auto add = [&](const char* t) { s += (s.empty() ? "" : ", ") + std::string(t); };
    if (p.noise_sigma != 0.0f) { std::snprintf(buf, sizeof buf, "noise %.2f", p.noise_sigma); add(buf); }
    if (p.brightness != 0.0f) { std::snprintf(buf, sizeof buf, "brightness %+.2f", p.brightness); add(buf); }
    if (p.contrast != 1.0f) { std::snprintf(buf, sizeof buf, "contrast %.2f", p.contrast); add(buf); }
    if (p.dx != 0 || p.dy != 0) { std::snprintf(buf, sizeof buf, "shift %+d,%+d px", p.dx, p.dy); add(buf); }
    if (!p.occlusion.empty()) add("occlusion");
    return s.empty() ? "A unchanged: move a slider under \"Perturb the input\"" : "A + " + s;
}

void draw_b_mode_switch(AppState& app) {
    ImGui::TextUnformatted("B =");
    for (BMode m : {BMode::Perturbed, BMode::Second, BMode::Off}) {
        same_line_if_fits(checkbox_width(b_mode_label(m)));
        if (ImGui::RadioButton(b_mode_label(m), app.b_mode == m) && app.b_mode != m) set_b_mode(app, m);
    }
    same_line_if_fits(ImGui::CalcTextSize("(B)").x);
    ImGui::TextDisabled("(B)");
}

// A ViT's centre shows the comparison or every layer and head (V toggles).
void draw_center_switch(AppState& app) {
    ImGui::TextDisabled("View:");
    ImGui::SameLine();
    if (ImGui::RadioButton("comparison", app.center_view == CenterView::Comparison)) app.center_view = CenterView::Comparison;
    same_line_if_fits(checkbox_width("all heads (V)"));
    if (ImGui::RadioButton("all heads (V)", app.center_view == CenterView::Heads)) app.center_view = CenterView::Heads;
}

// One number of the strip: a caption above, the value in large type, a note below.
void change_box(ImDrawList* dl, ImVec2 p0, float w, float h, const char* caption, const std::string& value,
                const char* note, ImU32 accent) {
    dl->AddRectFilled(p0, ImVec2(p0.x + w, p0.y + h), IM_COL32(24, 27, 34, 255), 6.0f);
    dl->AddRectFilled(p0, ImVec2(p0.x + 4.0f, p0.y + h), accent, 6.0f, ImDrawFlags_RoundCornersLeft);
    const float pad = 10.0f;
    const ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    ImGui::PushClipRect(p0, ImVec2(p0.x + w, p0.y + h), true);
    const float room = w - pad - 4.0f;  // captions and notes end in "..." rather than being cut
    dl->AddText(ImVec2(p0.x + pad, p0.y + 4.0f), dim, elided(caption, room).c_str());
    ImFont* big = big_font();
    const float line = ImGui::GetTextLineHeight();
    if (big) dl->AddText(big, big->FontSize, ImVec2(p0.x + pad, p0.y + 4.0f + line), accent, value.c_str());
    else dl->AddText(ImVec2(p0.x + pad, p0.y + 4.0f + line), accent, value.c_str());
    const float vw = big ? big->CalcTextSizeA(big->FontSize, FLT_MAX, 0.0f, value.c_str()).x : ImGui::CalcTextSize(value.c_str()).x;
    const float big_h = big ? big->FontSize : line;
    // The note beside the number when there is room, else under it.
    if (p0.x + pad + vw + 12.0f + ImGui::CalcTextSize(note).x < p0.x + w)
        dl->AddText(ImVec2(p0.x + pad + vw + 12.0f, p0.y + 4.0f + line + big_h - line - 2.0f), dim, note);
    else
        dl->AddText(ImVec2(p0.x + pad, p0.y + 4.0f + line + big_h), dim, elided(note, room).c_str());
    ImGui::PopClipRect();
}

std::string change_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

void draw_change_strip(AppState& app, ImVec2 p0, float w, float h) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // A ResNet beside the ViT adds its effective kernel's change as a second number.
    const bool beside = app.resnet_beside();
    const int boxes = beside ? 4 : 3;
    const float gap = 8.0f, bw = (w - (boxes - 1) * gap) / boxes;
    const bool on = app.b_mode != BMode::Off && app.maps.comparable;
    const bool narrow = bw < ImGui::GetFontSize() * 16.0f;  // short captions rather than cut ones
    const FamilyUi& family = family_ui(app);
    change_box(dl, p0, bw, h, narrow ? family.change_caption_short : family.change_caption,
               on ? change_text(app.maps.change) : "-", "moves with the input", IM_COL32(255, 170, 60, 255));
    float x = p0.x + bw + gap;
    if (beside) {
        change_box(dl, ImVec2(x, p0.y), bw, h, narrow ? "ResNet beside" : "ResNet effective kernel at q",
                   on && app.result->g_b != app.result->g_a ? change_text(app.result->cnn_change) : "-",
                   "moves with the input", IM_COL32(255, 120, 150, 255));
        x += bw + gap;
    }
    const std::string fixed = narrow ? app.changes.fixed_conv_filter + " (fixed)" : "fixed conv (" + app.changes.fixed_conv_filter + ")";
    change_box(dl, ImVec2(x, p0.y), bw, h, fixed.c_str(),
               !on ? "-" : app.changes.fixed_conv == 0.0 ? "0" : change_text(app.changes.fixed_conv),
               app.changes.fixed_conv == 0.0 ? (narrow ? "exactly" : "exactly: the same w for every input") : "",
               IM_COL32(90, 200, 255, 255));
    const std::string dd = narrow ? app.changes.data_dependent_filter + " conv" : "data-dependent conv (" + app.changes.data_dependent_filter + ")";
    change_box(dl, ImVec2(x + bw + gap, p0.y), bw, h, dd.c_str(),
               on ? change_text(app.changes.data_dependent_conv) : "-", narrow ? "from the input" : "local, but from the input",
               IM_COL32(170, 230, 120, 255));
    ImGui::SetCursorScreenPos(p0);
    ImGui::InvisibleButton("##strip", ImVec2(w, h));
    if (ImGui::IsItemHovered() && !app.screenshot_mode)
        ImGui::SetTooltip("Kernel change = total variation 0.5 * sum_j |k_j(A) - k_j(B)| between the kernel at the query "
                          "for input A and for input B (0 = unchanged, 1 = disjoint).\nAttention: the whole row "
                          "a(q, .) over every token. Conv: |w| / sum |w|; a fixed filter's w is a weight, the same "
                          "for every input, so its change is exactly 0. A data-dependent filter's (bilateral, dynamic) kernel at the query's "
                          "pixel is built from the input around it.");
    record_rect(app, "kernel_change", p0, ImVec2(w, h));
}

// How tall the three rows are. The whole pictures come first: the 7 x 7 windows and the
// kernel glyph get what they need to read (floors) and at most a share of the room
// (caps), so a larger window grows the pictures, not the 3 x 3 grids. `pic_w` is the
// pictures' width (one column, or the whole panel when B is off), `cw` a column's.
struct RowHeights {
    ImVec2 whole;
    float local = 0, kernel = 0;
};

RowHeights row_heights(float img_w, float img_h, float pic_w, float cw, float gap, float rest, float scale) {
    RowHeights h;
    const float local_floor = 56.0f * scale, kernel_floor = 60.0f * scale;
    const float local_cap = std::min((cw - gap) * 0.5f, 300.0f * scale);
    const float kernel_cap = std::min(cw * 0.5f, 170.0f * scale);
    const float local = std::clamp(rest * 0.2f, local_floor, std::max(local_floor, local_cap));
    const float kernel = std::clamp(rest * 0.15f, kernel_floor, std::max(kernel_floor, kernel_cap));
    h.whole = fit(img_w, img_h, pic_w, std::max(rest - local - kernel, 20.0f));
    // A picture held by its width leaves height over: the two lower rows take it, to their caps.
    const float spare = std::max(0.0f, rest - h.whole.y - local - kernel);
    h.local = std::floor(std::max(8.0f, std::min(local + spare * 0.6f, std::max(local, local_cap))));
    h.kernel = std::floor(std::max(8.0f, std::min(kernel + spare * 0.4f, std::max(kernel, kernel_cap))));
    return h;
}

// The grid cell (r, c)'s top-left corner on a (possibly zoomed) picture.
ImVec2 cell_min(const PictureMap& m, const TokenLayout& L, int r, int c) {
    return m.to_screen(static_cast<float>(c) / L.grid_w, static_cast<float>(r) / L.grid_h);
}

void outline_query(ImDrawList* dl, ImVec2 a, ImVec2 b) {
    dl->AddRect(a, b, IM_COL32(0, 0, 0, 160), 0.0f, 0, 3.5f);
    dl->AddRect(a, b, kQueryColor, 0.0f, 0, 2.0f);
}

// What sets the heatmaps' colour scale, in words under the colorbar: shared or not, its
// top (the 99th percentile when values lie above it), the query's own patch and its values.
std::string scale_note(const AppState& app, bool b_on, bool patch_query) {
    const HeatScale& s = app.maps.scale;
    std::string n = b_on ? "One scale for A and B" : "The scale";
    n += s.clipped ? ", its top the 99th percentile of the patches (above: the top colour)" : ", up to the largest patch";
    const PatchHeat &ha = app.maps.heat_a, &hb = app.maps.heat_b;
    if (app.heat_opts.exclude_query && patch_query && ha.query_patch >= 0 &&
        static_cast<size_t>(ha.query_patch) < ha.values.size() && hb.values.size() == ha.values.size()) {
        const size_t q = static_cast<size_t>(ha.query_patch);
        n += "; q's own patch left out (A " + format_for_people(ha.values[q]);
        if (b_on) n += ", B " + format_for_people(hb.values[q]);
        n += "; X puts it back)";
    }
    return n + ".";
}

// Hover, click, Shift+drag on a whole-image picture (A's or B's: the same grid and pixels).
void picture_interaction(AppState& app, const char* id, ImVec2 p0, ImVec2 size, bool patch_query) {
    const ComparisonResult& res = *app.result;
    const Image& img = *res.shown;
    const TokenLayout& L = res.current->layout;
    ImGuiIO& io = ImGui::GetIO();
    ImGui::SetCursorScreenPos(p0);
    ImGui::InvisibleButton(id, ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)),
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                               ImGuiButtonFlags_MouseButtonMiddle);
    const bool hovered = ImGui::IsItemHovered() && !app.screenshot_mode;
    const float ox = static_cast<float>(res.crop_x), oy = static_cast<float>(res.crop_y);
    const PictureMap pm = picture_map(app.zoom, p0, size);
    // Right or middle drag pans a zoomed picture (A, B and B - A together); the wheel zooms.
    if (ImGui::IsItemActive() && (ImGui::IsMouseDragging(ImGuiMouseButton_Right, 3.0f) ||
                                  ImGui::IsMouseDragging(ImGuiMouseButton_Middle, 3.0f)))
        pan_by(app.zoom, pm, io.MouseDelta);
    if (hovered) {
        const ImVec2 m = io.MousePos;
        if (io.MouseWheel != 0.0f) zoom_at(app.zoom, pm, m, io.MouseWheel);
        const ImVec2 uv = pm.to_uv(m);
        const int hr = std::clamp(static_cast<int>(uv.y * L.grid_h), 0, L.grid_h - 1);
        const int hc = std::clamp(static_cast<int>(uv.x * L.grid_w), 0, L.grid_w - 1);
        if (io.KeyShift && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            app.occluding = true;
            app.occ_start = ImVec2(ox + std::clamp(uv.x, 0.0f, 1.0f) * img.width, oy + std::clamp(uv.y, 0.0f, 1.0f) * img.height);
            app.occ_origin = p0;
            app.occ_size = size;
        } else if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            if (!patch_query) {
                set_query_kind(app, QueryKind::Patch);
                set_query(app, hr, hc);
            } else if (app.pinned && hr == app.q_row && hc == app.q_col) {
                app.pinned = false;
            } else {
                app.pinned = true;
                set_query(app, hr, hc);
            }
        } else if (ImGui::IsMouseReleased(ImGuiMouseButton_Right) && io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Right] < 9.0f) {
            app.pinned = false;  // a right click, not the end of a pan
        }
        if (patch_query && !app.pinned && !app.occluding) set_query(app, hr, hc);
        if ((app.pinned || !patch_query) && !app.occluding && app.maps.heat_a.values.size() == app.maps.heat_b.values.size()) {
            const size_t i = static_cast<size_t>(hr) * L.grid_w + hc;
            ImGui::SetTooltip("patch (row %d, col %d)\na(q -> patch): A %s, B %s", hr, hc,
                              format_for_people(app.maps.heat_a.values[i]).c_str(), format_for_people(app.maps.heat_b.values[i]).c_str());
        }
    }
}

// Shift+drag in progress: the rectangle follows the mouse over the picture it started on.
void update_occlusion(AppState& app) {
    if (!app.occluding || !result_ready(app)) return;
    const ComparisonResult& res = *app.result;
    const Image& img = *res.shown;
    const ImVec2 uv = picture_map(app.zoom, app.occ_origin, app.occ_size).to_uv(ImGui::GetIO().MousePos);
    const ImVec2 a = app.occ_start;
    const ImVec2 b(res.crop_x + std::clamp(uv.x, 0.0f, 1.0f) * img.width, res.crop_y + std::clamp(uv.y, 0.0f, 1.0f) * img.height);
    PixelRect pr;
    pr.x = static_cast<int>(std::floor(std::min(a.x, b.x)));
    pr.y = static_cast<int>(std::floor(std::min(a.y, b.y)));
    pr.w = static_cast<int>(std::ceil(std::max(a.x, b.x))) - pr.x;
    pr.h = static_cast<int>(std::ceil(std::max(a.y, b.y))) - pr.y;
    const PixelRect& o = app.perturb.occlusion;
    if (pr.x != o.x || pr.y != o.y || pr.w != o.w || pr.h != o.h) {
        app.perturb.occlusion = pr;
        if (app.b_mode != BMode::Perturbed) set_b_mode(app, BMode::Perturbed);
        request_compute(app);
    }
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) app.occluding = false;
}

// The whole-image picture of one input: the attention over it, query, footprint,
// occlusion and the DINO mask.
void draw_whole(AppState& app, const char* name, GLuint_t image, GLuint_t heat, ImVec2 p0, ImVec2 size, bool is_b,
                bool patch_query) {
    const ComparisonResult& res = *app.result;
    const TokenLayout& L = res.current->layout;
    QuadDraw q;
    q.p0 = p0;
    q.p1 = ImVec2(p0.x + size.x, p0.y + size.y);
    q.image = image;
    q.heat = heat;
    q.heat_w = L.grid_w;
    q.heat_h = L.grid_h;
    q.lut = app.renderer.lut(app.opts.colormap);
    shader_range(app.maps.scale, &q.vmin, &q.vmax);
    q.opacity = app.opts.opacity;
    q.smooth = app.smooth;
    q.mode = QuadMode::Overlay;
    const PictureMap pm = picture_map(app.zoom, p0, size);
    q.uv = ImVec4(pm.u0, pm.v0, pm.u1, pm.v1);
    app.renderer.draw(q);
    record_rect(app, name, p0, size);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(p0, q.p1, true);
    if (is_b && app.mask_on && app.mask.size() == app.maps.heat_b.values.size()) {
        // DINO mask (of B's row): dropped patches dimmed.
        for (int r = 0; r < L.grid_h; ++r)
            for (int c = 0; c < L.grid_w; ++c)
                if (!app.mask[static_cast<size_t>(r) * L.grid_w + c])
                    dl->AddRectFilled(cell_min(pm, L, r, c), cell_min(pm, L, r + 1, c + 1), IM_COL32(0, 0, 0, 150));
    }
    const Image& img = *res.shown;
    if (is_b && app.b_mode == BMode::Perturbed && !app.perturb.occlusion.empty()) {
        const PixelRect& o = app.perturb.occlusion;
        const float ox = static_cast<float>(res.crop_x), oy = static_cast<float>(res.crop_y);
        dl->AddRect(pm.to_screen((o.x - ox) / img.width, (o.y - oy) / img.height),
                    pm.to_screen((o.x + o.w - ox) / img.width, (o.y + o.h - oy) / img.height), kOcclusionColor, 0.0f, 0, 1.5f);
    }
    if (patch_query) {
        const ImVec2 a = cell_min(pm, L, app.q_row, app.q_col), b = cell_min(pm, L, app.q_row + 1, app.q_col + 1);
        if (app.show_outline) outline_query(dl, a, b);
        // The 7 x 7 window the row below magnifies.
        dl->AddRect(cell_min(pm, L, app.q_row - 3, app.q_col - 3), cell_min(pm, L, app.q_row + 4, app.q_col + 4),
                    IM_COL32(255, 255, 255, 90), 0.0f, 0, 1.0f);
    } else {
        const std::string t = "query: " + query_label(app);
        const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
        dl->AddRectFilled(ImVec2(p0.x + 6, p0.y + 6), ImVec2(p0.x + 16 + ts.x, p0.y + 12 + ts.y), IM_COL32(0, 0, 0, 170), 4.0f);
        dl->AddText(ImVec2(p0.x + 11, p0.y + 9), kQueryColor, t.c_str());
    }
    dl->PopClipRect();
}

void draw_diff_whole(AppState& app, ImVec2 p0, ImVec2 size) {
    const TokenLayout& L = app.result->current->layout;
    QuadDraw q;
    q.p0 = p0;
    q.p1 = ImVec2(p0.x + size.x, p0.y + size.y);
    q.image = app.image_a_tex.valid() && app.tex_a_result_id != 0 ? app.image_a_tex.id() : app.image_tex.id();
    q.heat = app.diff_tex.id();
    q.heat_w = L.grid_w;
    q.heat_h = L.grid_h;
    q.lut = app.renderer.lut(Colormap::Diverging);
    const float m = app.maps.diff_scale > 0 ? app.maps.diff_scale : 1.0f;
    q.vmin = -m;
    q.vmax = m;
    q.opacity = 0.88f;  // a trace of the photo underneath says where the change is
    q.smooth = app.smooth;
    q.mode = QuadMode::Overlay;
    const PictureMap pm = picture_map(app.zoom, p0, size);  // the same part as A and B
    q.uv = ImVec4(pm.u0, pm.v0, pm.u1, pm.v1);
    app.renderer.draw(q);
    record_rect(app, "attention_diff", p0, size);
}

// A colorbar with its two end labels and a caption between them (or under them when
// the bar is too short for all three on one line).
void colorbar(AppState& app, ImVec2 b0, float w, Colormap cm, const std::string& lo, const std::string& hi,
              const std::string& caption, const char* name) {
    const float bar_h = std::floor(ImGui::GetTextLineHeight() * 0.7f);
    const ImVec2 b1(b0.x + w, b0.y + bar_h);
    QuadDraw bar;
    bar.p0 = b0;
    bar.p1 = b1;
    bar.lut = app.renderer.lut(cm);
    bar.heat = app.heat_tex.id();
    bar.mode = QuadMode::Ramp;
    app.renderer.draw(bar);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRect(ImVec2(b0.x - 1, b0.y - 1), ImVec2(b1.x + 1, b1.y + 1), IM_COL32(90, 90, 100, 255));
    const float ty = b1.y + 2.0f;
    const ImU32 tc = ImGui::GetColorU32(ImGuiCol_Text), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const float lw = ImGui::CalcTextSize(lo.c_str()).x, hw = ImGui::CalcTextSize(hi.c_str()).x;
    const float cw = ImGui::CalcTextSize(caption.c_str()).x;
    dl->AddText(ImVec2(b0.x, ty), tc, lo.c_str());
    // Too narrow for both ends on one line (B - A's column at a large UI scale): the top
    // end goes a line lower, where the caption would be (this bar has none then).
    const bool stacked = lw + hw + 8.0f > w;
    dl->AddText(ImVec2(b1.x - hw, stacked ? ty + ImGui::GetTextLineHeight() : ty), tc, hi.c_str());
    ImGui::PushClipRect(ImVec2(b0.x, ty), ImVec2(b1.x, ty + 2.0f * ImGui::GetTextLineHeight() + 4.0f), true);
    if (cw + 2.0f * std::max(lw, hw) + 24.0f <= w) dl->AddText(ImVec2(b0.x + (w - cw) * 0.5f, ty), dim, caption.c_str());
    else dl->AddText(ImVec2(b0.x, ty + ImGui::GetTextLineHeight()), dim, caption.c_str());
    ImGui::PopClipRect();
    record_rect(app, name, b0, ImVec2(w, bar_h));
}

// Cells of the 7 x 7 window that lie off the patch grid.
void cover_off_grid(ImDrawList* dl, const AppState& app, ImVec2 p0, float side) {
    const TokenLayout& L = app.result->current->layout;
    const float c = side / kLocal;
    for (int dr = -3; dr <= 3; ++dr)
        for (int dc = -3; dc <= 3; ++dc) {
            const int r = app.q_row + dr, cc = app.q_col + dc;
            if (r >= 0 && cc >= 0 && r < L.grid_h && cc < L.grid_w) continue;
            const ImVec2 a(p0.x + (dc + 3) * c, p0.y + (dr + 3) * c);
            dl->AddRectFilled(a, ImVec2(a.x + c, a.y + c), IM_COL32(40, 42, 48, 255));
        }
}

// The conv kernel's k x k footprint to scale inside a 7 x 7-patch window of side `side`.
void footprint(ImDrawList* dl, const AppState& app, ImVec2 p0, float side) {
    if (!app.show_footprint) return;
    const ConvKernel& k = app.conv.kernel_b;
    // Pixels of the window: win_w is 7 patches of the pixels the kernel acts on.
    const float px = side / std::max(1, app.conv.win_w);
    const float half = 0.5f * k.size * px;
    const ImVec2 c(p0.x + side * 0.5f, p0.y + side * 0.5f);
    dl->AddRect(ImVec2(c.x - half, c.y - half), ImVec2(c.x + half, c.y + half), kFootprintColor, 0.0f, 0, 1.5f);
}

void draw_local_attention(AppState& app, const char* name, GLuint_t tex, ImVec2 p0, float side, bool diff) {
    QuadDraw q;
    q.p0 = p0;
    q.p1 = ImVec2(p0.x + side, p0.y + side);
    q.heat = tex;
    q.heat_w = q.heat_h = kLocal;
    if (diff) {
        const float m = app.maps.diff_scale > 0 ? app.maps.diff_scale : 1.0f;
        q.lut = app.renderer.lut(Colormap::Diverging);
        q.vmin = -m;
        q.vmax = m;
    } else {
        q.lut = app.renderer.lut(app.opts.colormap);
        shader_range(app.maps.scale, &q.vmin, &q.vmax);
    }
    q.glyph = true;
    q.cell_border_px = 1.0f;
    app.renderer.draw(q);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    cover_off_grid(dl, app, p0, side);
    const float c = side / kLocal;
    outline_query(dl, ImVec2(p0.x + 3 * c, p0.y + 3 * c), ImVec2(p0.x + 4 * c, p0.y + 4 * c));
    footprint(dl, app, p0, side);
    record_rect(app, name, p0, ImVec2(side, side));
}

void draw_local_response(AppState& app, const char* name, GLuint_t tex, ImVec2 p0, float side, bool diff) {
    QuadDraw q;
    q.p0 = p0;
    q.p1 = ImVec2(p0.x + side, p0.y + side);
    q.heat = tex;
    q.heat_w = std::max(1, app.conv.win_w);
    q.heat_h = std::max(1, app.conv.win_h);
    const float m = app.conv.window_max;
    if (diff || app.conv.window_signed) {
        q.lut = app.renderer.lut(Colormap::Diverging);
        q.vmin = -m;
        q.vmax = m;
    } else {
        q.lut = app.renderer.lut(Colormap::Gray);
        q.vmin = 0;
        q.vmax = m;
    }
    q.mode = QuadMode::HeatOnly;
    app.renderer.draw(q);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float c = side / kLocal;
    dl->AddRect(ImVec2(p0.x + 3 * c, p0.y + 3 * c), ImVec2(p0.x + 4 * c, p0.y + 4 * c), IM_COL32(51, 255, 255, 140), 0.0f, 0, 1.0f);
    footprint(dl, app, p0, side);
    record_rect(app, name, p0, ImVec2(side, side));
}

// The kernel at the query, magnified so its numbers read.
void draw_kernel_glyph(AppState& app, const char* name, const ConvKernel& k, GLuint_t tex, ImVec2 p0, float side,
                       float vmax) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (k.channels == 3 && (tex == app.kernel_tex.id() || tex == app.kernel_a_tex.id())) {
        // An RGB kernel (a learned filter) as its colours, for A and for B alike.
        const Texture& rgb = tex == app.kernel_tex.id() ? app.kernel_rgb_tex : app.kernel_a_rgb_tex;
        dl->AddImage(rgb.imgui_id(), p0, ImVec2(p0.x + side, p0.y + side));
    } else {
        draw_kernel_cells(app, tex, k.size, p0, side, vmax);
        if (k.channels == 1) draw_kernel_numbers(dl, k, p0, side / k.size, vmax);
    }
    record_rect(app, name, p0, ImVec2(side, side));
}

}  // namespace

namespace {

// Where the picture's three columns (A, B, B - A) and three rows go this frame.
struct ComparisonGeometry {
    ImVec2 origin;             // top-left of the rows, under the number strip
    float W = 0;               // content width
    float gap = 0, cw = 0, cd = 0;   // column gap, A's and B's width, B - A's width
    ImVec2 whole, whole_d;     // row 1's picture sizes (A and B; B - A)
    float s2 = 0, s3 = 0;      // row 2's and row 3's square sides
    float line = 0, lsp = 0, cb_h = 0;
    bool b_on = false, patch_query = false, prefix_note = false;
    std::string note;          // what sets the colour scale
    float col_x(int c) const { return origin.x + c * (cw + gap); }
    float col_w(int c) const { return c == 2 ? cd : cw; }
};

ComparisonGeometry comparison_geometry(AppState& app, const Rect& r, const ImVec2& origin, float W) {
    const ComparisonResult& res = *app.result;
    const ImGuiStyle& st = ImGui::GetStyle();
    ComparisonGeometry g;
    g.origin = origin;
    g.W = W;
    g.line = ImGui::GetTextLineHeight();
    g.lsp = ImGui::GetTextLineHeightWithSpacing();
    g.b_on = app.b_mode != BMode::Off && !(app.b_mode == BMode::Second && !app.image_b);
    g.patch_query = app.maps.heat_b.query_patch >= 0;
    g.gap = std::floor(std::max(10.0f, W * 0.015f));
    // A and B share one width; B - A's column is a little narrower (it is read for where
    // the kernel moved more than for detail), which leaves A and B more room.
    g.cw = std::floor((W - 2.0f * g.gap) / 2.8f);
    g.cd = std::floor(W - 2.0f * g.gap - 2.0f * g.cw);
    // The colorbar: the bar, its end labels, the lines saying what sets the scale, and for
    // a ViT the note on the prefix tokens' mass on one more line.
    g.prefix_note = res.current->layout.num_prefix() > 0 && !app.heat_opts.patches_only;
    g.note = scale_note(app, g.b_on, g.patch_query);
    const float note_h = static_cast<float>(wrap_at_spaces(g.note, W).size()) * g.lsp;
    g.cb_h = std::floor(g.line * 0.7f) + (g.prefix_note ? 2.0f : 1.0f) * g.line + note_h + 8.0f;
    const float rest = r.y + r.h - st.WindowPadding.y - origin.y - 3.0f * g.lsp - g.cb_h - 3.0f * st.ItemSpacing.y;
    const RowHeights rows = row_heights(static_cast<float>(res.shown->width), static_cast<float>(res.shown->height),
                                        g.b_on ? g.cw : W, g.cd, g.gap, rest, app.ui_scale);
    g.whole = rows.whole;
    g.whole_d = fit(g.whole.x, g.whole.y, g.cd, g.whole.y);   // B - A in its narrower column
    g.s2 = rows.local;
    g.s3 = rows.kernel;
    return g;
}

// A column title, shortened with "..." when the column is narrower (never cut mid-glyph).
void column_label(float x, float y, float w, const std::string& s, ImU32 c) {
    ImGui::GetWindowDrawList()->AddText(ImVec2(x, y), c, elided(s, w).c_str());
}

void draw_zoom_note(const AppState& app, const ImVec2& pa, const ImVec2& whole) {
    if (!app.zoom.zoomed()) return;
    // Zoomed: say so on A's picture, and how to get the whole picture back.
    char zt[48];
    std::snprintf(zt, sizeof zt, "zoom %.1fx (Z: whole)", app.zoom.zoom);
    const ImVec2 ts = ImGui::CalcTextSize(zt);
    if (ts.x + 12.0f >= whole.x) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(pa.x + 4, pa.y + whole.y - ts.y - 8), ImVec2(pa.x + 12 + ts.x, pa.y + whole.y - 4),
                      IM_COL32(0, 0, 0, 170), 3.0f);
    dl->AddText(ImVec2(pa.x + 8, pa.y + whole.y - ts.y - 6), IM_COL32(230, 230, 230, 255), zt);
}

// Row 1: the whole input A, B and B - A, each with its kernel at the query drawn over it.
float draw_whole_row(AppState& app, const ComparisonGeometry& g, float y, const std::string& b_desc) {
    const ComparisonResult& res = *app.result;
    const ImU32 txt = ImGui::GetColorU32(ImGuiCol_Text);
    column_label(g.col_x(0), y, g.cw, "A: " + (app.path_a.empty() ? std::string("image") : file_name_of(app.path_a)), txt);
    if (g.b_on) {
        column_label(g.col_x(1), y, g.cw, app.b_mode == BMode::Second ? "B: " + file_name_of(app.path_b) : "B: " + b_desc, txt);
        column_label(g.col_x(2), y, g.cd,
                     g.cd < 240.0f ? "B - A" : family_ui(app).difference_caption, txt);
    }
    y += g.lsp;
    const float pic_x0 = g.b_on ? g.col_x(0) + std::floor((g.cw - g.whole.x) * 0.5f) : g.col_x(0);
    const ImVec2 pa(pic_x0, y), pb(pic_x0 + g.cw + g.gap, y), pd(g.col_x(2) + std::floor((g.cd - g.whole_d.x) * 0.5f), y);
    const GLuint_t img_a = res.shown_a_picture && res.shown_a_picture != res.shown_picture && app.tex_a_result_id == res.id
                               ? app.image_a_tex.id() : app.image_tex.id();
    // B off: A alone takes the freed width (what to do about B is said beside the switch).
    draw_whole(app, "attention_a", img_a, app.heat_a_tex.id(), pa, g.whole, !g.b_on, g.patch_query);
    picture_interaction(app, "##pic_a", pa, g.whole, g.patch_query);
    if (g.b_on) {
        draw_whole(app, "attention_b", app.image_tex.id(), app.heat_tex.id(), pb, g.whole, true, g.patch_query);
        picture_interaction(app, "##pic_b", pb, g.whole, g.patch_query);
        draw_diff_whole(app, pd, g.whole_d);
    }
    update_occlusion(app);
    draw_zoom_note(app, pa, g.whole);
    draw_progress_overlay(app, pa, ImVec2(pd.x + g.whole_d.x, pa.y + g.whole.y));
    return y + g.whole.y + 6.0f;
}

// The shared colorbar under A and B, the diverging one under B - A, what sets the scale.
float draw_colorbars(AppState& app, const ComparisonGeometry& g, float y) {
    const ComparisonResult& res = *app.result;
    const TokenLayout& L = res.current->layout;
    const HeatScale& s = app.maps.scale;
    const std::string what = family_ui(app).colorbar_caption(res);
    const std::string cap = what + (s.log ? ", log scale" : ", linear scale");
    colorbar(app, ImVec2(g.col_x(0), y), g.b_on ? 2.0f * g.cw + g.gap : g.cw, app.opts.colormap, format_for_people(s.lo, s.hi),
             format_for_people(s.hi, s.hi), cap, "colorbar");
    if (g.b_on) {
        const float m = app.maps.diff_scale;
        colorbar(app, ImVec2(g.col_x(2), y), g.cd, Colormap::Diverging, "-" + format_for_people(m, m),
                 "+" + format_for_people(m, m), "", "colorbar_diff");
    }
    ImGui::SetCursorScreenPos(ImVec2(g.col_x(0), y + std::floor(g.line * 0.7f) + g.line + 4.0f));
    text_wrapped_at_spaces(g.note, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled), g.W);
    if (g.prefix_note) {
        // The prefix tokens take part of every row but have no place on the image.
        std::string unplaced = "Not drawn (no place on the image): A " + prefix_mass_text(app.maps.row_a, L);
        if (g.b_on) unplaced += ", B " + prefix_mass_text(app.maps.row_b, L);
        unplaced += " (N: renormalise over patches)";
        column_label(g.col_x(0), y + g.cb_h - g.line - 2.0f, g.W, unplaced, IM_COL32(255, 200, 120, 255));
    }
    return y + g.cb_h + ImGui::GetStyle().ItemSpacing.y;
}

// Row 2: the 7 x 7 patches around the query, attention and conv response on the same pixels.
float draw_local_row(AppState& app, const ComparisonGeometry& g, float y) {
    const FamilyUi& family = family_ui(app);
    column_label(g.col_x(0), y, g.W, g.W < 700.0f ? family.local_caption_short : family.local_caption,
                 ImGui::GetColorU32(ImGuiCol_TextDisabled));
    y += g.lsp;
    const char* an[] = {"local_a", "local_b", "local_diff"};
    const char* rn[] = {"response_a", "response_b", "response_diff"};
    const GLuint_t at[] = {app.local_a_tex.id(), app.local_b_tex.id(), app.local_diff_tex.id()};
    const GLuint_t rt[] = {app.resp_a_tex.id(), app.resp_b_tex.id(), app.resp_diff_tex.id()};
    for (int c = 0; c < (g.b_on ? 3 : 1); ++c) {
        const float x = g.col_x(c) + std::floor((g.col_w(c) - 2.0f * g.s2 - g.gap) * 0.5f);
        draw_local_attention(app, an[c], g.b_on ? at[c] : app.local_b_tex.id(), ImVec2(x, y), g.s2, c == 2);
        draw_local_response(app, rn[c], g.b_on ? rt[c] : app.resp_b_tex.id(), ImVec2(x + g.s2 + g.gap, y), g.s2, c == 2);
    }
    return y + g.s2 + ImGui::GetStyle().ItemSpacing.y;
}

// Row 3: the conv kernel at q on A and B, and their difference (core's conv_at_query).
void draw_kernel_row(AppState& app, const ComparisonGeometry& g, float y) {
    const ConvAtQuery& c = app.conv;
    const ConvKernel& kb = c.kernel_b;
    char buf[160];
    std::snprintf(buf, sizeof buf, "Conv kernel w at q, %d x %d%s: %s", kb.size, kb.size, kb.channels == 3 ? " x 3" : "",
                  c.data_dependent ? ("built from each input (" + app.result->filter + ")").c_str() : "the same weights for every input");
    column_label(g.col_x(0), y, g.W, buf, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    y += g.lsp;
    const float vmax = std::max(kernel_vmax(c.kernel_a), kernel_vmax(kb));
    const float kx = std::floor((g.cw - g.s3) * 0.5f), kxd = std::floor((g.cd - g.s3) * 0.5f);
    if (!g.b_on) {
        draw_kernel_glyph(app, "kernel_a", kb, app.kernel_tex.id(), ImVec2(g.col_x(0) + kx, y), g.s3, vmax);
        return;
    }
    draw_kernel_glyph(app, "kernel_a", c.kernel_a, app.kernel_a_tex.id(), ImVec2(g.col_x(0) + kx, y), g.s3, vmax);
    draw_kernel_glyph(app, "kernel_b", kb, app.kernel_tex.id(), ImVec2(g.col_x(1) + kx, y), g.s3, vmax);
    const float dmax = c.kernel_unchanged ? vmax : kernel_vmax(c.kernel_diff);
    draw_kernel_glyph(app, "kernel_diff", c.kernel_diff, app.kernel_diff_tex.id(), ImVec2(g.col_x(2) + kxd, y), g.s3, dmax);
    if (!c.kernel_unchanged) return;
    const char* t = "w(B) - w(A) = 0";
    const ImVec2 ts = ImGui::CalcTextSize(t);
    const ImVec2 m(g.col_x(2) + kxd + g.s3 * 0.5f, y + g.s3 * 0.5f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(m.x - ts.x * 0.5f - 6, m.y - ts.y * 0.5f - 4), ImVec2(m.x + ts.x * 0.5f + 6, m.y + ts.y * 0.5f + 4),
                      IM_COL32(20, 22, 28, 220), 4.0f);
    dl->AddText(ImVec2(m.x - ts.x * 0.5f, m.y - ts.y * 0.5f), IM_COL32(90, 200, 255, 255), t);
}

// A prefix token or rollout has no position on the image: no conv kernel "at" it.
void draw_no_position_note(AppState& app, const ComparisonGeometry& g, float y) {
    ImGui::SetCursorScreenPos(ImVec2(g.col_x(0), y + g.lsp));
    ImGui::PushTextWrapPos(g.origin.x + g.W - ImGui::GetWindowPos().x);
    ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.45f, 1.0f),
                       "The query is %s: it has no position on the image, so no conv kernel sits \"at\" it and no "
                       "local window is shown. Click a patch to compare the two kernels there.",
                       query_label(app).c_str());
    ImGui::PopTextWrapPos();
}

// The header line: B's switch, what B is, and (ViT) the switch to every head.
std::string draw_comparison_header(AppState& app) {
    draw_b_mode_switch(app);
    const std::string b_desc = b_description(app);
    if (!b_desc.empty()) {
        same_line_if_fits(ImGui::CalcTextSize(b_desc.c_str()).x);
        text_wrapped_at_spaces(b_desc, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    }
    if (family_ui(app).has_heads) {
        same_line_if_fits(ImGui::GetFontSize() * 12.0f);
        draw_center_switch(app);
    }
    return b_desc;
}

const char* comparison_title(const AppState& app, float width) {
    if (width < 760.0f * app.ui_scale) return "One query, two inputs###comparison";
    return family_ui(app).comparison_title;
}

}  // namespace

void draw_comparison_panel(AppState& app, const Rect& r) {
    begin_panel(comparison_title(app, r.w), r, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    record_window(app, "comparison_panel");
    update_derived(app);
    if (family_ui(app).has_heads && app.center_view == CenterView::Heads) {
        draw_center_switch(app);
        draw_heads_grid_view(app);
        ImGui::End();
        return;
    }
    if (!result_ready(app)) {
        draw_b_mode_switch(app);
        const ImVec2 c0 = ImGui::GetCursorScreenPos(), ca = ImGui::GetContentRegionAvail();
        if (app.result && !app.result->error.empty()) panel_message(app.result->error.c_str(), true);
        else panel_message("Computing attention...");
        draw_progress_overlay(app, c0, ImVec2(c0.x + ca.x, c0.y + ca.y));
        ImGui::End();
        return;
    }
    const std::string b_desc = draw_comparison_header(app);
    ImVec2 origin = ImGui::GetCursorScreenPos();
    const float W = ImGui::GetContentRegionAvail().x;
    // The three numbers, always on screen, with room for the note a narrow box puts under its number.
    const float line = ImGui::GetTextLineHeight();
    const float strip_h = std::floor(line + (big_font() ? big_font()->FontSize : line) + line + 10.0f);
    draw_change_strip(app, origin, W, strip_h);
    origin.y += strip_h + ImGui::GetStyle().ItemSpacing.y * 2.0f;
    const ComparisonGeometry g = comparison_geometry(app, r, origin, W);
    float y = draw_whole_row(app, g, origin.y, b_desc);
    y = draw_colorbars(app, g, y);
    if (g.patch_query) {
        y = draw_local_row(app, g, y);
        draw_kernel_row(app, g, y);
    } else {
        draw_no_position_note(app, g, y);
    }
    ImGui::End();
}

}  // namespace ks::gui
