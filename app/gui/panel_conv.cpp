// The conv panel: the kernel magnified (numbers on hover), its readouts and the
// response map.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app_state.h"
#include "panel_util.h"
#include "panel_widgets.h"
#include "render/number_format.h"

namespace ks::gui {

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
    const ComputeResult& res = *app.result;
    const ConvKernel& k = app.kernel_shown;
    const bool dd = app.kernel_data_dependent;
    const float vmax = kernel_vmax(k);
    const ImGuiStyle& st = ImGui::GetStyle();
    const float line = ImGui::GetTextLineHeightWithSpacing();

    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    // Left column: the kernel (a fixed filter's never depends on the image; a
    // data-dependent one is the kernel at the query, read from the input).
    const float col_w = std::floor(std::min(avail.x * 0.44f, avail.y - 4.5f * line));
    const bool rgb = k.channels == 3;
    const float side = std::max(col_w, 16.0f);
    ImGui::SetCursorScreenPos(origin);
    const std::string ks = std::to_string(k.size) + " x " + std::to_string(k.size);
    text_wrapped_at_spaces(rgb  ? "Kernel w, " + ks + " x 3 (RGB, learned)"
                           : dd ? "Kernel w_q at pixel (x " + std::to_string(app.kernel_x) + ", y " + std::to_string(app.kernel_y) +
                                      "), " + ks
                                : "Kernel w, " + ks,
                           ImVec4(0, 0, 0, 0), side);
    const ImVec2 g0(origin.x, ImGui::GetCursorScreenPos().y);
    ImGui::SetCursorScreenPos(g0);
    ImGui::InvisibleButton("##kernel", ImVec2(side, side));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cell = side / k.size;
    if (rgb) {
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
    if (ImGui::IsItemHovered() && !app.screenshot_mode) {
        const ImVec2 m = ImGui::GetIO().MousePos;
        const int rr = std::clamp(static_cast<int>((m.y - g0.y) / cell), 0, k.size - 1);
        const int cc = std::clamp(static_cast<int>((m.x - g0.x) / cell), 0, k.size - 1);
        const ImVec2 a(g0.x + cc * cell, g0.y + rr * cell);
        dl->AddRect(a, ImVec2(a.x + cell, a.y + cell), IM_COL32(255, 255, 255, 255), 0.0f, 0, 2.0f);
        if (rgb)
            ImGui::SetTooltip("w[%d][%d] = R %s, G %s, B %s", rr, cc, fmt(k.at(rr, cc, 0)).c_str(), fmt(k.at(rr, cc, 1)).c_str(),
                              fmt(k.at(rr, cc, 2)).c_str());
        else
            ImGui::SetTooltip("w[%d][%d] = %s  (offset %+d, %+d)", rr, cc, fmt(k.at(rr, cc)).c_str(), rr - k.size / 2,
                              cc - k.size / 2);
    }
    record_rect(app, "conv_kernel_grid", g0, ImVec2(side, side));
    ImGui::SetCursorScreenPos(ImVec2(g0.x, g0.y + side + st.ItemSpacing.y));
    // The notes scroll inside the column when the panel is short (small window, large UI scale).
    const float notes_h = std::max(ImGui::GetTextLineHeight() * 2.0f,
                                   origin.y + avail.y - (g0.y + side + st.ItemSpacing.y));
    ImGui::BeginChild("##kernel_notes", ImVec2(side, notes_h), false);
    // Short lines wrapped at spaces: a narrow column would otherwise break a number in two.
    // What the kernel does is read from its weights (sum, signs, |DFT|), never from its name.
    const ImVec4 dim = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
    const float wrap = side - st.ScrollbarSize - st.WindowPadding.x;
    const double range = std::max(std::fabs(app.conv_stats.min), std::fabs(app.conv_stats.max));
    text_wrapped_at_spaces("sum " + format_for_people(app.conv_stats.sum, range), dim, wrap);
    text_wrapped_at_spaces("min " + format_for_people(app.conv_stats.min, range), dim, wrap);
    text_wrapped_at_spaces("max " + format_for_people(app.conv_stats.max, range), dim, wrap);
    text_wrapped_at_spaces(app.kernel_character.sentence, dim, wrap);
    text_wrapped_at_spaces(rgb  ? "Learned, then fixed: the same w for every image."
                           : dd ? "Another w at every pixel, and for every image."
                                : "The same w at every position, for every image.",
                           dim, wrap);
    ImGui::EndChild();
    // The whole left column (title, grid, numbers, notes): nothing in it depends on the image.
    record_rect(app, "conv_kernel", origin, ImVec2(side, ImGui::GetItemRectMax().y - origin.y));

    // Right column: the response map (this one does depend on the image).
    const float rx = origin.x + side + st.ItemSpacing.x * 3.0f;
    const float rw = origin.x + avail.x - rx;
    ImGui::SetCursorScreenPos(ImVec2(rx, origin.y));
    // The response is computed on the input on screen: B when B is on (A perturbed or the
    // second image), else A. The caption says which.
    const std::string on = app.b_mode == BMode::Off ? ", on A" : ", on B";
    text_wrapped_at_spaces((rgb  ? "Response y = sum_c w_c * x_c"
                            : dd ? "Response y(p) = sum_u w_p(u) x(p+u)"
                                 : "Response y = w * luminance") + on,
                           ImVec4(0, 0, 0, 0), rw);
    const bool bilateral = res.filter == "bilateral";
    if (dd && ImGui::IsItemHovered())
        ImGui::SetTooltip(bilateral ? "Bilateral: every pixel p has its own kernel w_p, built from the luminance around p."
                                    : "Dynamic: a fixed seeded conv f maps the luminance to k x k values at every pixel p; "
                                      "they are p's kernel w_p.");
    if (rgb && ImGui::IsItemHovered())
        ImGui::SetTooltip("On the normalised model input, as the patch embedding sees it (stride 1 here, so every "
                          "position is shown; the model keeps every %d-th).", k.size);
    // Room below the map for its caption (and the data-dependent note, about three lines).
    const ImVec2 r0(rx, ImGui::GetCursorScreenPos().y);
    const ImVec2 rs = fit(static_cast<float>(res.response.width), static_cast<float>(res.response.height), rw,
                          origin.y + avail.y - r0.y - (dd ? 6.5f : 3.0f) * line);
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
    text_wrapped_at_spaces(app.response_signed ? "diverging colours, symmetric about 0" : "gray: 0 = black (no negative values)",
                           dim, rw);
    if (res.response_reduced) {
        ImGui::SetCursorScreenPos(ImVec2(rx, ImGui::GetCursorScreenPos().y));
        text_wrapped_at_spaces("at display resolution " + std::to_string(res.response.width) + " x " +
                                   std::to_string(res.response.height) + " (Ctrl+E: full)",
                               dim, rw);
    }
    if (dd) {
        // The point of this filter, said where the kernel and its response are.
        ImGui::SetCursorScreenPos(ImVec2(rx, ImGui::GetCursorScreenPos().y + st.ItemSpacing.y));
        // Its footprint: the bilateral's (2r+1)^2 window, the dynamic conv's k x k kernel.
        const std::string n = std::to_string(k.size), area = std::to_string(k.size * k.size);
        text_wrapped_at_spaces("Data-dependent: this kernel changes with the input like attention, but it is local (" +
                                   (bilateral ? "(2r+1)^2 = " + area : n + " x " + n + " = " + area) +
                                   " pixels around the query, not the whole image).",
                               ImVec4(1.0f, 0.78f, 0.35f, 1.0f), rw);
    }
    ImGui::End();
}

}  // namespace ks::gui
