// The readout table: the attention kernel at the query on A and on B beside the conv
// kernel, in numbers (min, max, sum, support, entropy, kernel change). The attention
// columns read the drawn token set (the patches; prefix tokens are stated, not mixed in).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "app_state.h"
#include "family_ui.h"
#include "panel_util.h"
#include "panel_widgets.h"
#include "draw/number_format.h"

namespace ks::gui {

namespace {

struct ReadoutColumn {
    std::string head;
    std::vector<std::string> cells;  // one per row
};

// Table width that shows every cell of `cols` (beside the row names) uncut.
float table_width(float names_w, const std::vector<ReadoutColumn>& cols, size_t from, size_t to) {
    const float pad = 2.0f * ImGui::GetStyle().CellPadding.x + 1.0f;  // both sides and a border
    float w = names_w + pad + 1.0f;
    for (size_t i = from; i < to; ++i) {
        float c = ImGui::CalcTextSize(cols[i].head.c_str()).x;
        for (const std::string& s : cols[i].cells) c = std::max(c, ImGui::CalcTextSize(s.c_str()).x);
        w += c + pad;
    }
    return w;
}

// The row names and the columns, each as wide as its widest cell. When the columns do
// not all fit the panel they wrap as words do: the ones that fit, then a second table
// with the row names again and the rest, never cut and never scrolled sideways.
void draw_wrapped_table(const char* id, const std::vector<const char*>& rows, const std::vector<ReadoutColumn>& cols) {
    // Cells two pixels tighter than ImGui's default: A and B then stay side by side in the
    // 226 px column of a 1024 px window (the borders keep them apart).
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(2.0f, ImGui::GetStyle().CellPadding.y));
    float names_w = 0;
    for (const char* r : rows) names_w = std::max(names_w, ImGui::CalcTextSize(r).x);
    const float avail = ImGui::GetContentRegionAvail().x;
    const ImGuiTableFlags tf = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
    for (size_t from = 0, part = 0; from < cols.size(); ++part) {
        size_t to = from + 1;  // at least one column per table, however narrow the panel
        while (to < cols.size() && table_width(names_w, cols, from, to + 1) <= avail) ++to;
        ImGui::PushID(static_cast<int>(part));
        if (ImGui::BeginTable(id, static_cast<int>(to - from) + 1, tf)) {
            ImGui::TableSetupColumn("");
            for (size_t i = from; i < to; ++i) ImGui::TableSetupColumn(cols[i].head.c_str());
            ImGui::TableHeadersRow();
            for (size_t r = 0; r < rows.size(); ++r) {
                // A row with nothing in these columns (A's change) is left out of this part.
                bool any = false;
                for (size_t i = from; i < to; ++i) any |= !cols[i].cells[r].empty();
                if (!any) continue;
                ImGui::TableNextRow();
                ImGui::TableSetColumnIndex(0);
                ImGui::TextUnformatted(rows[r]);
                for (size_t i = from; i < to; ++i) {
                    ImGui::TableSetColumnIndex(static_cast<int>(i - from) + 1);
                    ImGui::TextUnformatted(cols[i].cells[r].c_str());
                }
            }
            ImGui::EndTable();
        }
        ImGui::PopID();
        from = to;
    }
    ImGui::PopStyleVar();
}

}  // namespace

void draw_readouts_panel(AppState& app, const Rect& r) {
    begin_panel("Readouts at the query###readouts", r);
    record_window(app, "readouts_panel");
    update_derived(app);
    if (!result_ready(app)) {
        panel_message("Computing...");
        ImGui::End();
        return;
    }
    const ComparisonResult& res = *app.result;
    const TokenLayout& L = res.current->layout;
    const ConvKernel& k = app.conv.kernel_b;
    const bool b_on = app.b_mode != BMode::Off;
    const ImVec4 dim = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
    if (L.num_prefix() > 0)
        text_wrapped_at_spaces("Attention over the " + std::to_string(L.num_patches()) + " patches" +
                                   (app.heat_opts.patches_only ? ", renormalised" : "") + "; not drawn: A " +
                                   prefix_mass_text(app.maps.row_a, L) + (b_on ? ", B " + prefix_mass_text(app.maps.row_b, L) : "") + ".",
                               dim);
    const RowStats& sa = app.maps.stats_a;
    const RowStats& sb = app.maps.stats_b;
    const RowStats& c = app.conv.stats;
    const double ra = std::max(std::fabs(sa.max), std::fabs(sa.min)), rb = std::max(std::fabs(sb.max), std::fabs(sb.min));
    const double rc = std::max(std::fabs(c.max), std::fabs(c.min));
    auto f = [](double v, double range) { return format_for_people(v, range); };
    const int np = L.num_patches(), kk = k.channels * k.size * k.size;
    auto column = [&](const char* head, const RowStats& st, double range, int total, const std::string& change) {
        return ReadoutColumn{head,
                             {f(st.min, range), f(st.max, range), f(st.sum, range),
                              std::to_string(st.support) + "/" + std::to_string(total), f(st.entropy, 0), change}};
    };
    std::vector<ReadoutColumn> cols;
    // The family's kernel at q: attention, or a ResNet's effective kernel's |g| on the stage grid.
    const FamilyUi& family = family_ui(app);
    const std::string name_a = std::string(family.readout_name) + " A", name_b = std::string(family.readout_name) + " B";
    cols.push_back(column(b_on ? name_a.c_str() : family.readout_alone, sa, ra, np, ""));
    if (b_on) cols.push_back(column(name_b.c_str(), sb, rb, np, app.maps.comparable ? f(app.maps.change, 0) : "-"));
    ReadoutColumn conv = column("conv w", c, rc, kk, b_on ? conv_change_text(app) : "-");
    conv.cells[4] = f(app.conv.entropy, 0);
    cols.push_back(conv);
    draw_wrapped_table("##readout", {"min", "max", "sum", "support", "entropy", "change"}, cols);
    text_wrapped_at_spaces("support: weights > 0; entropy in nats (conv: of |w| / sum |w|); change: A to B.", dim);
    ImGui::End();
}

}  // namespace ks::gui
