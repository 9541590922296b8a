// A ResNet's effective kernel at the query (in the heads grid's place): g = d(sum of the
// stage's channels at q) / d(input), signed and summed over RGB, over what the network
// saw for A and for B, with its readouts. conv1's weights above it never change; this
// kernel does, through the ReLU and max-pool gates -- but it stays local and signed.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "app_state.h"
#include "panel_util.h"
#include "panel_widgets.h"
#include "draw/number_format.h"

namespace ks::gui {

namespace {

// "r95 92 px, sum -3613, positive 49.5%", each number held to its name by no-break spaces.
std::string readout_line(const EffectiveKernelReadouts& k) {
    const std::string nb = "\xC2\xA0";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f", k.radius95);
    return "r95" + nb + buf + nb + "px, sum" + nb + format_for_people(k.sum, k.abs_sum) + ", positive" + nb +
           format_for_people(100.0 * k.positive_share, 100.0) + "%";
}

std::string change_line(double change) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", change);
    return std::string("kernel change A to B: ") + buf + " (conv1's: 0)";
}

}  // namespace

void draw_effective_kernel_panel(AppState& app, const Rect& r) {
    update_derived(app);
    const bool beside = app.resnet_beside();
    const std::string title = std::string(beside ? "ResNet beside: effective kernel at q, layer" : "Effective kernel at q, layer") +
                              std::to_string(app.result ? app.result->cnn_stage : app.cnn_stage) + "###effective_kernel";
    begin_panel(title, r, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    record_window(app, "effective_kernel_panel");
    if (!result_ready(app) || !(app.result->cnn || app.result->cnn2) || !app.result->g_a_picture) {
        panel_message("Computing...");
        ImGui::End();
        return;
    }
    const ComparisonResult& res = *app.result;
    if (app.g_tex_result_id != res.id) {
        const DisplayPicture& a = *res.g_a_picture;
        app.g_a_tex.upload_rgb8(a.rgb.data(), a.width, a.height, true);
        const DisplayPicture& b = *res.g_b_picture;
        app.g_b_tex.upload_rgb8(b.rgb.data(), b.width, b.height, true);
        app.g_tex_result_id = res.id;
    }
    const bool b_on = app.b_mode != BMode::Off && res.g_b != res.g_a;
    const ImVec4 dim = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
    // Non-breaking spaces keep each number (and sign) with its name when a line wraps.
    const std::string nb = "\xC2\xA0";
    text_wrapped_at_spaces(std::string(beside ? "g at the cell under q " : "g at ") + "(row" + nb + std::to_string(res.cnn_row) +
                               ", col" + nb + std::to_string(res.cnn_col) + "), RGB summed: red" + nb + "+, blue" + nb + "-",
                           dim);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("g = d(sum over channels of layer%d's output at the query) / d(input): the kernel the network "
                          "applies there at this input (its ReLU and max-pool gates fixed).",
                          res.cnn_stage);
    const ImGuiStyle& st = ImGui::GetStyle();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const int n = b_on ? 2 : 1;
    const float cw = (avail.x - (n - 1) * st.ItemSpacing.x) / n;
    // Room under the pictures for the readouts and the kernel change, as many lines as
    // they wrap to; a panel too short for both keeps the pictures (the readouts are on hover).
    size_t lines = 0;
    for (int i = 0; i < n; ++i) lines = std::max(lines, wrap_at_spaces(readout_line(i == 1 ? res.readouts_b : res.readouts_a), cw).size());
    if (b_on) lines += wrap_at_spaces(change_line(res.cnn_change), avail.x).size();
    const float reserve = lines * line + st.ItemSpacing.y;
    const bool readouts = avail.y - reserve >= 3.0f * line;
    const ImVec2 size = fit(static_cast<float>(res.g_a_picture->width), static_cast<float>(res.g_a_picture->height), cw,
                            readouts ? avail.y - reserve : avail.y);
    const ImVec2 o = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float below = o.y;
    for (int i = 0; i < n; ++i) {
        const bool is_b = i == 1;
        const float x = o.x + i * (cw + st.ItemSpacing.x);
        const ImVec2 p0(x + std::floor((cw - size.x) * 0.5f), o.y);
        ImGui::SetCursorScreenPos(p0);
        ImGui::Image((is_b ? app.g_b_tex : app.g_a_tex).imgui_id(), size);
        record_rect(app, is_b ? "effective_kernel_b" : "effective_kernel_a", p0, size);
        // Which input, in the picture's corner.
        const char* tag = is_b ? "B" : "A";
        const ImVec2 ts = ImGui::CalcTextSize(tag);
        dl->AddRectFilled(p0, ImVec2(p0.x + ts.x + 8, p0.y + ts.y + 4), IM_COL32(10, 12, 16, 200), 3.0f);
        dl->AddText(ImVec2(p0.x + 4, p0.y + 2), IM_COL32(240, 240, 240, 255), tag);
        const EffectiveKernelReadouts& k = is_b ? res.readouts_b : res.readouts_a;
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s: 95%% of sum |g| within %.1f px; sum %s; positive share %s%%; kernel change A to B %.3f",
                              tag, k.radius95, format_for_people(k.sum, k.abs_sum).c_str(),
                              format_for_people(100.0 * k.positive_share, 100.0).c_str(), res.cnn_change);
        if (!readouts) continue;
        ImGui::SetCursorScreenPos(ImVec2(x, p0.y + size.y + st.ItemSpacing.y));
        text_wrapped_at_spaces(readout_line(k), dim, cw);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("95%% of sum |g| lies within %.1f px of the query's centre; sum of g %s; positive share %s%%",
                              k.radius95, format_for_people(k.sum, k.abs_sum).c_str(),
                              format_for_people(100.0 * k.positive_share, 100.0).c_str());
        below = std::max(below, ImGui::GetCursorScreenPos().y);
    }
    ImGui::SetCursorScreenPos(ImVec2(o.x, below));
    if (b_on && readouts) text_wrapped_at_spaces(change_line(res.cnn_change), ImVec4(1.0f, 0.67f, 0.24f, 1.0f));
    ImGui::End();
}

}  // namespace ks::gui
