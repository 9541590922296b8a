// The conv panel: the kernel magnified (numbers on hover), its readouts and the
// response map.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app_state.h"
#include "panel_util.h"
#include "panel_widgets.h"
#include "draw/number_format.h"

namespace ks::gui {

namespace {

// The height `paragraphs` take wrapped at spaces to `width`.
float text_height(const std::vector<std::string>& paragraphs, float width) {
    size_t lines = 0;
    for (const std::string& p : paragraphs) lines += wrap_at_spaces(p, width).size();
    return lines > 0 ? lines * ImGui::GetTextLineHeightWithSpacing() - ImGui::GetStyle().ItemSpacing.y : 0.0f;
}

// The share of `paragraphs`' lines (wrapped to `width`) that `height` holds.
float shown_share(const std::vector<std::string>& paragraphs, float width, float height) {
    size_t lines = 0;
    for (const std::string& p : paragraphs) lines += wrap_at_spaces(p, width).size();
    const float fit = std::floor((height + ImGui::GetStyle().ItemSpacing.y) / ImGui::GetTextLineHeightWithSpacing());
    return lines > 0 ? std::min(1.0f, std::max(0.0f, fit) / lines) : 1.0f;
}

// Where the panel's two columns are: the kernel's on the left (`side` wide and high),
// the response's right of it.
struct ConvColumns {
    ImVec2 origin, avail;
    float side = 0;
};

// The kernel's cells (numbers on them where they fit, each weight on hover) at g0.
void draw_kernel_grid(AppState& app, ImVec2 g0, float side) {
    const ConvKernel& k = app.conv.kernel_b;
    const float vmax = kernel_vmax(k);
    ImGui::SetCursorScreenPos(g0);
    ImGui::InvisibleButton("##kernel", ImVec2(side, side));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cell = side / k.size;
    if (k.channels == 3) {
        // Each channel's weight around mid-gray (kernel_rgb), as learned filters are usually shown.
        dl->AddImage(app.kernel_rgb_tex.imgui_id(), g0, ImVec2(g0.x + side, g0.y + side));
        if (cell >= 6.0f)
            for (int i = 0; i <= k.size; ++i) {
                dl->AddLine(ImVec2(g0.x + i * cell, g0.y), ImVec2(g0.x + i * cell, g0.y + side), IM_COL32(20, 20, 24, 255));
                dl->AddLine(ImVec2(g0.x, g0.y + i * cell), ImVec2(g0.x + side, g0.y + i * cell), IM_COL32(20, 20, 24, 255));
            }
    } else {
        draw_kernel_cells(app, app.kernel_tex.id(), k.size, g0, side, vmax);
        draw_kernel_numbers(dl, k, g0, cell, vmax);
    }
    if (!ImGui::IsItemHovered() || app.screenshot_mode) return;
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int rr = std::clamp(static_cast<int>((m.y - g0.y) / cell), 0, k.size - 1);
    const int cc = std::clamp(static_cast<int>((m.x - g0.x) / cell), 0, k.size - 1);
    const ImVec2 a(g0.x + cc * cell, g0.y + rr * cell);
    dl->AddRect(a, ImVec2(a.x + cell, a.y + cell), IM_COL32(255, 255, 255, 255), 0.0f, 0, 2.0f);
    if (k.channels == 3)
        ImGui::SetTooltip("w[%d][%d] = R %s, G %s, B %s", rr, cc, fmt(k.at(rr, cc, 0)).c_str(), fmt(k.at(rr, cc, 1)).c_str(),
                          fmt(k.at(rr, cc, 2)).c_str());
    else
        ImGui::SetTooltip("w[%d][%d] = %s  (offset %+d, %+d)", rr, cc, fmt(k.at(rr, cc)).c_str(), rr - k.size / 2,
                          cc - k.size / 2);
}

// Left column: the kernel (a fixed filter's never depends on the image; a
// data-dependent one is the kernel at the query, read from the input). Returns the
// grid's bottom.
float draw_kernel_column(AppState& app, const ConvColumns& c) {
    const ConvKernel& k = app.conv.kernel_b;
    ImGui::SetCursorScreenPos(c.origin);
    const std::string nb = "\xC2\xA0";  // a no-break space: "3 x 3" stays on one line
    const std::string ks = std::to_string(k.size) + nb + "x" + nb + std::to_string(k.size);
    text_wrapped_at_spaces(k.channels == 3        ? "Kernel w, " + ks + nb + "x" + nb + "3 (RGB, learned)"
                           : app.conv.data_dependent ? "Kernel w_q at pixel (x " + std::to_string(app.conv.x) + ", y " +
                                                             std::to_string(app.conv.y) + "), " + ks
                                                       : "Kernel w, " + ks,
                           ImVec4(0, 0, 0, 0), c.side);
    const ImVec2 g0(c.origin.x, ImGui::GetCursorScreenPos().y);
    draw_kernel_grid(app, g0, c.side);
    record_rect(app, "conv_kernel_grid", g0, ImVec2(c.side, c.side));
    ImGui::SetCursorScreenPos(ImVec2(g0.x, g0.y + c.side + ImGui::GetStyle().ItemSpacing.y));
    const float grid_bottom = g0.y + c.side;
    // The whole left column's title and grid: nothing in it depends on the image.
    record_rect(app, "conv_kernel", c.origin, ImVec2(c.side, grid_bottom - c.origin.y));
    return grid_bottom;
}

// The response column's title (what y is, on which input) and its hover explanations.
void draw_response_title(const AppState& app, float width) {
    const bool rgb = app.conv.kernel_b.channels == 3, dd = app.conv.data_dependent;
    // The response is computed on the input on screen: B when B is on (A perturbed or the
    // second image), else A. The caption says which.
    const std::string on = app.b_mode == BMode::Off ? ", on A" : ", on B";
    text_wrapped_at_spaces((rgb  ? "Response y = sum_c w_c * x_c"
                            : dd ? "Response y(p) = sum_u w_p(u) x(p+u)"
                                 : "Response y = w * luminance") + on,
                           ImVec4(0, 0, 0, 0), width);
    if (dd && ImGui::IsItemHovered())
        ImGui::SetTooltip(app.result->filter == "bilateral"
                              ? "Bilateral: every pixel p has its own kernel w_p, built from the luminance around p."
                              : "Dynamic: a fixed seeded conv f maps the luminance to k x k values at every pixel p; "
                                "they are p's kernel w_p.");
    if (rgb && ImGui::IsItemHovered())
        ImGui::SetTooltip("On the normalised model input, as the patch embedding sees it (stride 1 here, so every "
                          "position is shown; the model keeps every %d-th).", app.conv.kernel_b.size);
}

// Right column: the response map (this one does depend on the image). Returns where it ends.
float draw_response_column(AppState& app, const ConvColumns& c) {
    const ComparisonResult& res = *app.result;
    const ImGuiStyle& st = ImGui::GetStyle();
    const ConvKernel& k = app.conv.kernel_b;
    const bool dd = app.conv.data_dependent;
    const float rx = c.origin.x + c.side + st.ItemSpacing.x * 3.0f;
    const float rw = c.origin.x + c.avail.x - rx;
    ImGui::SetCursorScreenPos(ImVec2(rx, c.origin.y));
    draw_response_title(app, rw);
    // The captions under the map: its colour scale, the display resolution and, for a
    // data-dependent filter, its point. The map takes what they leave (at least three
    // lines); on a short panel they end in "..." and read in full on hover.
    const ImVec4 dim = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
    std::vector<std::string> captions = {app.response_signed ? "diverging colours, symmetric about 0"
                                                             : "gray: 0 = black (no negative values)"};
    if (res.response_reduced)
        captions.push_back("at display resolution " + std::to_string(res.response.width) + " x " +
                           std::to_string(res.response.height) + " (Ctrl+E: full)");
    std::string dd_note;
    if (dd) {
        // Its footprint: the bilateral's (2r+1)^2 window, the dynamic conv's k x k kernel.
        const std::string n = std::to_string(k.size), area = std::to_string(k.size * k.size);
        dd_note = "Data-dependent: this kernel changes with the input like attention, but it is local (" +
                  (res.filter == "bilateral" ? "(2r+1)^2 = " + area : n + " x " + n + " = " + area) +
                  " pixels around the query, not the whole image).";
    }
    const float bottom = c.origin.y + c.avail.y;
    const ImVec2 r0(rx, ImGui::GetCursorScreenPos().y);
    const float below_h = text_height(captions, rw) + (dd ? st.ItemSpacing.y * 2.0f + text_height({dd_note}, rw) : 0.0f);
    const ImVec2 rs = fit(static_cast<float>(res.response.width), static_cast<float>(res.response.height), rw,
                          std::max(3.0f * ImGui::GetTextLineHeightWithSpacing(), bottom - r0.y - st.ItemSpacing.y - below_h));
    ImGui::SetCursorScreenPos(r0);
    ImGui::Image(app.response_tex.imgui_id(), rs);
    record_rect(app, "conv_response", r0, rs);
    if (ImGui::IsItemHovered() && !app.screenshot_mode) {
        const ImVec2 m = ImGui::GetIO().MousePos;
        const int px = std::clamp(static_cast<int>((m.x - r0.x) / rs.x * res.response.width), 0, res.response.width - 1);
        const int py = std::clamp(static_cast<int>((m.y - r0.y) / rs.y * res.response.height), 0, res.response.height - 1);
        ImGui::SetTooltip("y(%d, %d) = %s", px, py, fmt(res.response.at(px, py)).c_str());
    }
    ImGui::SetCursorScreenPos(ImVec2(rx, r0.y + rs.y + st.ItemSpacing.y));
    text_block_clamped(captions, dim, rw, bottom - ImGui::GetCursorScreenPos().y);
    if (dd) {
        // The point of this filter, said where the kernel and its response are.
        ImGui::SetCursorScreenPos(ImVec2(rx, ImGui::GetCursorScreenPos().y + st.ItemSpacing.y));
        text_block_clamped({dd_note}, ImVec4(1.0f, 0.78f, 0.35f, 1.0f), rw, bottom - ImGui::GetCursorScreenPos().y);
    }
    return ImGui::GetCursorScreenPos().y;
}

// What the kernel does, read from its weights (sum, signs, |DFT|), never from its name.
// Under the grid in the left column, or across the panel under both columns when that
// shows more of it (the response column ends higher, as on a wide panel).
void draw_kernel_notes(const AppState& app, const ConvColumns& c, float grid_bottom, float right_bottom) {
    const double range = std::max(std::fabs(app.conv.stats.min), std::fabs(app.conv.stats.max));
    const std::string sum = "sum " + format_for_people(app.conv.stats.sum, range),
                      min = "min " + format_for_people(app.conv.stats.min, range),
                      max = "max " + format_for_people(app.conv.stats.max, range);
    // The three numbers on one line where it holds them, else a line each (a number is
    // never broken across lines).
    auto notes = [&](float width) {
        const std::string one = sum + ", " + min + ", " + max;
        std::vector<std::string> n = ImGui::CalcTextSize(one.c_str()).x <= width ? std::vector<std::string>{one}
                                                                                : std::vector<std::string>{sum, min, max};
        n.push_back(app.conv.character.sentence);
        n.push_back(app.conv.kernel_b.channels == 3 ? "Learned, then fixed: the same w for every image."
                    : app.conv.data_dependent    ? "Another w at every pixel, and for every image."
                                                   : "The same w at every position, for every image.");
        return n;
    };
    const ImGuiStyle& st = ImGui::GetStyle();
    const float bottom = c.origin.y + c.avail.y;
    const float narrow_top = grid_bottom + st.ItemSpacing.y, wide_top = std::max(narrow_top, right_bottom);
    const bool wide =
        shown_share(notes(c.avail.x), c.avail.x, bottom - wide_top) > shown_share(notes(c.side), c.side, bottom - narrow_top);
    ImGui::SetCursorScreenPos(ImVec2(c.origin.x, wide ? wide_top : narrow_top));
    const float notes_w = wide ? c.avail.x : c.side;
    text_block_clamped(notes(notes_w), ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled), notes_w,
                       bottom - ImGui::GetCursorScreenPos().y);
}

}  // namespace

void draw_conv_panel(AppState& app, const Rect& r) {
    const std::string title = "Convolution: " + app.opts.filter + "###conv";
    begin_panel(title.c_str(), r, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    record_window(app, "conv_panel");
    update_derived(app);
    if (!result_ready(app)) {
        panel_message(app.result && !app.result->error.empty() ? "(no result)" : "Computing...");
        ImGui::End();
        return;
    }
    ConvColumns c;
    c.origin = ImGui::GetCursorScreenPos();
    c.avail = ImGui::GetContentRegionAvail();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    c.side = std::max(std::floor(std::min(c.avail.x * 0.44f, c.avail.y - 4.5f * line)), 16.0f);
    const float grid_bottom = draw_kernel_column(app, c);
    const float right_bottom = draw_response_column(app, c);
    draw_kernel_notes(app, c, grid_bottom, right_bottom);
    ImGui::End();
}

}  // namespace ks::gui
