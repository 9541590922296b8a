// The readout table: the attention kernel at the query on A and on B beside the conv
// kernel, in numbers (min, max, sum, support, entropy, kernel change). The attention
// columns read the drawn token set (the patches; prefix tokens are stated, not mixed in).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "app_state.h"
#include "panel_util.h"
#include "panel_widgets.h"
#include "render/number_format.h"

namespace ks::gui {

void draw_readouts_panel(AppState& app, const Rect& r) {
    begin_panel("Readouts at the query###readouts", r);
    record_window(app, "readouts_panel");
    update_derived(app);
    if (!result_ready(app)) {
        panel_message("Computing...");
        ImGui::End();
        return;
    }
    const ComputeResult& res = *app.result;
    const TokenLayout& L = res.current->layout;
    const ConvKernel& k = app.kernel_shown;
    const bool b_on = app.b_mode != BMode::Off;
    const ImVec4 dim = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
    if (L.num_prefix() > 0)
        text_wrapped_at_spaces("Attention over the " + std::to_string(L.num_patches()) + " patches" +
                                   (app.heat_opts.patches_only ? ", renormalised" : "") + "; not drawn: A " +
                                   prefix_mass_text(app.row_a, L) + (b_on ? ", B " + prefix_mass_text(app.row, L) : "") + ".",
                               dim);
    // Columns as wide as their widest cell; a narrow panel scrolls sideways instead of cutting numbers.
    const ImGuiTableFlags tf = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit |
                               ImGuiTableFlags_ScrollX;
    const int cols = b_on ? 4 : 3;
    const float table_h = ImGui::GetTextLineHeightWithSpacing() * 8.5f + ImGui::GetStyle().ScrollbarSize;
    if (ImGui::BeginTable("##readout", cols, tf, ImVec2(0.0f, table_h))) {
        ImGui::TableSetupColumn("");
        const bool cnn = app.cnn_shown();  // a ResNet's column: its effective kernel's |g| on the stage grid
        ImGui::TableSetupColumn(b_on ? (cnn ? "|g| A" : "attn A") : (cnn ? "|g|" : "attention"));
        if (b_on) ImGui::TableSetupColumn(cnn ? "|g| B" : "attn B");
        ImGui::TableSetupColumn("conv w");
        ImGui::TableHeadersRow();
        auto row = [&](const char* name, const std::string& a, const std::string& b, const std::string& c) {
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::TextUnformatted(name);
            ImGui::TableSetColumnIndex(1);
            ImGui::TextUnformatted(a.c_str());
            int i = 2;
            if (b_on) {
                ImGui::TableSetColumnIndex(i++);
                ImGui::TextUnformatted(b.c_str());
            }
            ImGui::TableSetColumnIndex(i);
            ImGui::TextUnformatted(c.c_str());
        };
        const RowStats& sa = app.attn_stats_a;
        const RowStats& sb = app.attn_stats;
        const RowStats& c = app.conv_stats;
        const double ra = std::max(std::fabs(sa.max), std::fabs(sa.min)), rb = std::max(std::fabs(sb.max), std::fabs(sb.min));
        const double rc = std::max(std::fabs(c.max), std::fabs(c.min));
        auto f = [](double v, double range) { return format_for_people(v, range); };
        const int np = L.num_patches(), kk = k.channels * k.size * k.size;
        row("min", f(sa.min, ra), f(sb.min, rb), f(c.min, rc));
        row("max", f(sa.max, ra), f(sb.max, rb), f(c.max, rc));
        row("sum", f(sa.sum, ra), f(sb.sum, rb), f(c.sum, rc));
        row("support", std::to_string(sa.support) + "/" + std::to_string(np), std::to_string(sb.support) + "/" + std::to_string(np),
            std::to_string(c.support) + "/" + std::to_string(kk));
        row("entropy", f(sa.entropy, 0), f(sb.entropy, 0), f(app.conv_entropy, 0));
        row("change", "", b_on && app.change_valid ? f(app.change_attention, 0) : "-", b_on ? conv_change_text(app) : "-");
        ImGui::EndTable();
    }
    text_wrapped_at_spaces("support: weights > 0; entropy in nats (conv: of |w| / sum |w|); change: A to B.", dim);
    ImGui::End();
}

}  // namespace ks::gui
