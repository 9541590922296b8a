// The attention kernel and the conv kernel at the same query, side by side at the same
// scale, with the readout table that makes the difference plain.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app_state.h"
#include "panel_util.h"
#include "panel_widgets.h"

namespace ks::gui {

void draw_compare_panel(AppState& app, const Rect& r) {
    begin_panel("Attention kernel vs conv kernel at the query###compare", r,
                ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    record_window(app, "compare_panel");
    update_derived(app);
    if (!result_ready(app)) {
        panel_message("Computing...");
        ImGui::End();
        return;
    }
    const ComputeResult& res = *app.result;
    const Image& img = *res.shown;
    const TokenLayout& L = res.current->layout;
    const ConvKernel& k = app.kernel_shown;
    const ImGuiStyle& st = ImGui::GetStyle();
    const float line = ImGui::GetTextLineHeightWithSpacing();

    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("Both frames span the whole image at the same scale; diverging colours, 0 = neutral, "
                        "each scaled to its own max |w|.");
    ImGui::PopTextWrapPos();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float table_h = line * 8.2f;
    const float gap = st.ItemSpacing.x * 2.0f;
    const ImVec2 fsz = fit(static_cast<float>(img.width), static_cast<float>(img.height), (avail.x - gap) * 0.5f,
                           avail.y - table_h - line);
    const ImVec2 a0(origin.x, origin.y + line);
    const ImVec2 c0(origin.x + fsz.x + gap, origin.y + line);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImGui::SetCursorScreenPos(origin);
    if (query_token_now(app) >= L.num_prefix()) ImGui::Text("Attention a(q, .)");
    else ImGui::Text("Attention a(%s, .)", query_label(app).c_str());
    ImGui::SetCursorScreenPos(ImVec2(c0.x, origin.y));
    if (app.kernel_data_dependent) ImGui::Text("Conv kernel w_q at q (from the input)");
    else ImGui::Text("Conv kernel w at q");

    // Attention over every patch.
    float amax = std::max(std::fabs(app.heat_min), std::fabs(app.heat_max));
    if (amax <= 0) amax = 1;
    QuadDraw qa;
    qa.p0 = a0;
    qa.p1 = ImVec2(a0.x + fsz.x, a0.y + fsz.y);
    qa.heat = app.heat_tex.id();
    qa.heat_w = L.grid_w;
    qa.heat_h = L.grid_h;
    qa.lut = app.renderer.lut(Colormap::Diverging);
    qa.vmin = -amax;
    qa.vmax = amax;
    qa.mode = QuadMode::HeatOnly;
    app.renderer.draw(qa);
    record_rect(app, "attention_kernel", a0, fsz);
    const float cw = fsz.x / L.grid_w, ch = fsz.y / L.grid_h;
    if (query_token_now(app) >= L.num_prefix()) {
        const ImVec2 a(a0.x + app.q_col * cw, a0.y + app.q_row * ch);
        dl->AddRect(a, ImVec2(a.x + cw, a.y + ch), kQueryColor, 0.0f, 0, 1.5f);
    }

    // Conv kernel: zero everywhere except its k x k pixels around the query.
    dl->AddRectFilled(c0, ImVec2(c0.x + fsz.x, c0.y + fsz.y), diverging_u32(0.5f));
    const float sx = fsz.x / img.width, sy = fsz.y / img.height;
    const float cx = c0.x + (app.q_col + 0.5f) * (fsz.x / L.grid_w), cy = c0.y + (app.q_row + 0.5f) * (fsz.y / L.grid_h);
    const float kpx = res.kernel_px;  // a learned kernel's pixels are the model input's
    const float hw = std::max(0.5f * k.size * kpx * sx, 0.5f), hh = std::max(0.5f * k.size * kpx * sy, 0.5f);
    if (k.channels == 3) {
        dl->AddImage(app.kernel_rgb_tex.imgui_id(), ImVec2(cx - hw, cy - hh), ImVec2(cx + hw, cy + hh));
    } else {
        QuadDraw qc;
        qc.p0 = ImVec2(cx - hw, cy - hh);
        qc.p1 = ImVec2(cx + hw, cy + hh);
        qc.heat = app.kernel_tex.id();
        qc.heat_w = qc.heat_h = k.size;
        qc.lut = app.renderer.lut(Colormap::Diverging);
        const float kv = kernel_vmax(k);
        qc.vmin = -kv;
        qc.vmax = kv;
        qc.glyph = true;
        qc.cell_border_px = 0.0f;
        app.renderer.draw(qc);
    }
    dl->AddCircle(ImVec2(cx, cy), std::max(hw, hh) + 7.0f, kFootprintColor, 24, 1.5f);
    {
        const ImVec2 a(c0.x + app.q_col * cw, c0.y + app.q_row * ch);
        dl->AddRect(a, ImVec2(a.x + cw, a.y + ch), IM_COL32(51, 255, 255, 110), 0.0f, 0, 1.0f);
    }
    record_rect(app, "conv_kernel_at_query", c0, fsz);

    // Readout table.
    ImGui::SetCursorScreenPos(ImVec2(origin.x, a0.y + fsz.y + st.ItemSpacing.y * 2.0f));
    const ImGuiTableFlags tf = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("##readout", 3, tf)) {
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 1.1f);
        ImGui::TableSetupColumn("attention a(q, .)", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("conv w", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableHeadersRow();
        auto row3 = [](const char* name, const std::string& a, const std::string& c) {
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::TextUnformatted(name);
            ImGui::TableSetColumnIndex(1);
            ImGui::TextUnformatted(a.c_str());
            ImGui::TableSetColumnIndex(2);
            ImGui::TextUnformatted(c.c_str());
        };
        const RowStats& s = app.attn_stats;
        const RowStats& c = app.conv_stats;
        const int kk = k.channels * k.size * k.size;
        row3("min", fmt(s.min), fmt(c.min));
        row3("max", fmt(s.max), fmt(c.max));
        row3("sum", fmt(s.sum), fmt(c.sum));
        row3("support", std::to_string(s.support) + " of " + std::to_string(app.row.size()) + " tokens",
             std::to_string(c.support) + " of " + std::to_string(kk) + " (" + std::to_string(k.size) + "x" +
                 std::to_string(k.size) + (k.channels == 3 ? "x3" : "") + " px)");
        row3("entropy (nats)", fmt(s.entropy), fmt(app.conv_entropy) + " of |w|/sum|w|");
        row3("kernel change", app.change_valid ? fmt(app.change_attention) : "-", conv_change_text(app));
        ImGui::EndTable();
    }
    ImGui::End();
}

}  // namespace ks::gui
