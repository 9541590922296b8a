// The filter choice's extras in the controls: the user kernel's editor (size, a k x k
// grid of numbers, presets) and the bilateral filter's parameters. Every edit posts a
// request; the worker recomputes only the filter (the attention is cached), and the
// kernel's readouts are then read from the new result like any other filter's.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "app_state.h"
#include "conv/filter_choice.h"
#include "conv/kernel_edit.h"
#include "panel_util.h"

namespace ks::gui {

namespace {

constexpr int kEditorMaxSide = 7;   // larger kernels (from --kernel) are shown, but only shrunk here

int side_of(const std::vector<float>& w) { return static_cast<int>(std::lround(std::sqrt(static_cast<double>(w.size())))); }

bool is_bank(const std::string& name) {
    const auto& b = filter_names();
    return std::find(b.begin(), b.end(), name) != b.end();
}

// The k x k weights as compact cells: drag to change, double-click (or Ctrl+click) to
// type. A cell is never narrower than its widest number, so when k of them do not fit
// the sidebar (7 x 7 at 1024 px) the grid scrolls sideways instead of cutting numbers.
bool edit_weight_cells(std::vector<float>& w, int k) {
    const float sp = 3.0f, pad = 2.0f;
    float widest = 0;
    for (float v : w) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f", v);
        widest = std::max(widest, ImGui::CalcTextSize(buf).x);
    }
    const float avail = ImGui::GetContentRegionAvail().x;
    const float fitted = std::floor(std::min((avail - sp * (k - 1)) / k, ImGui::GetFontSize() * 4.0f));
    const float cell = std::max(fitted, std::ceil(widest + 2.0f * pad + 2.0f));
    const bool scroll = k * cell + sp * (k - 1) > avail + 0.5f;
    if (scroll) {
        const float rows_h = k * (ImGui::GetFontSize() + 2.0f * pad) + (k - 1) * sp;
        ImGui::BeginChild("##weights", ImVec2(0, rows_h + ImGui::GetStyle().ScrollbarSize), false,
                          ImGuiWindowFlags_HorizontalScrollbar);
    }
    bool changed = false;
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(sp, sp));
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(pad, pad));
    for (int r = 0; r < k; ++r)
        for (int c = 0; c < k; ++c) {
            const int i = r * k + c;
            ImGui::PushID(i);
            if (c > 0) ImGui::SameLine();
            ImGui::SetNextItemWidth(cell);
            changed |= ImGui::DragFloat("##w", &w[i], 0.01f, -100.0f, 100.0f, "%.2f");
            if (ImGui::IsItemHovered() && !ImGui::IsItemActive())
                ImGui::SetTooltip("w[%d][%d] = %g (offset %+d, %+d); drag, or double-click to type", r, c, w[i], r - k / 2,
                                  c - k / 2);
            ImGui::PopID();
        }
    ImGui::PopStyleVar(2);
    if (scroll) ImGui::EndChild();
    return changed;
}

}  // namespace

void select_filter(AppState& app, const std::string& name) {
    if (is_bank(name)) app.last_bank_filter = name;
    if (name == kUserFilter && app.opts.user_weights.empty()) {
        // A first user kernel starts as the bank filter last looked at: edit from there.
        app.opts.user_weights = copy_for_editing(make_filter(app.last_bank_filter, app.opts.gaussian_sigma), kEditorMaxSide);
    }
    app.opts.filter = name;
    request_compute(app);
}

void step_filter(AppState& app, int d) {
    const auto all = conv_filter_choices();
    const auto it = std::find(all.begin(), all.end(), app.opts.filter);
    const int n = static_cast<int>(all.size());
    // From a learned filter the cycle starts at the bank's first (or last) entry.
    const int i = it == all.end() ? (d > 0 ? -1 : n) : static_cast<int>(it - all.begin());
    select_filter(app, all[((i + d) % n + n) % n]);
}

void draw_user_kernel_editor(AppState& app) {
    std::vector<float>& w = app.opts.user_weights;
    if (w.empty()) return;
    const int k = side_of(w);
    bool changed = false;

    ImGui::TextDisabled("size k");
    ImGui::SameLine();
    const char* sizes[] = {"1 x 1", "3 x 3", "5 x 5", "7 x 7"};
    int si = std::min(k, kEditorMaxSide) / 2;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5.0f);
    if (ImGui::Combo("##user_k", &si, sizes, 4)) {
        w = resized_kernel(w, 2 * si + 1);  // grows with zeros, shrinks to the middle
        changed = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("kernel size k (odd); the centre stays where it is");

    if (k <= kEditorMaxSide) {
        changed |= edit_weight_cells(w, k);
    } else {
        ImGui::TextDisabled("(%d x %d is too large to edit here; pick a size above to shrink it)", k, k);
    }

    const std::string copy = "copy " + app.last_bank_filter;
    if (ImGui::SmallButton(copy.c_str())) {
        w = copy_for_editing(make_filter(app.last_bank_filter, app.opts.gaussian_sigma), kEditorMaxSide);
        changed = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("the bank filter selected last (a larger one: its middle 7 x 7)");
    same_line_if_fits(button_width("zero"));  // the presets wrap in a narrow sidebar
    if (ImGui::SmallButton("zero")) {
        std::fill(w.begin(), w.end(), 0.0f);
        changed = true;
    }
    same_line_if_fits(button_width("normalise"));
    if (ImGui::SmallButton("normalise")) {
        try {
            w = normalised_to_sum1(w);
            changed = true;
        } catch (const InputError& e) {
            app.set_status(e.what(), true);
        }
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("scale the weights to sum 1 (an average)");
    for (float& v : w)
        if (!std::isfinite(v)) v = 0.0f;  // user_kernel refuses non-finite weights
    if (changed) request_compute(app);
}

void draw_bilateral_params(AppState& app) {
    BilateralParams& b = app.opts.bilateral;
    bool ch = false;
    ch |= ImGui::SliderInt("radius r", &b.radius, 1, 7);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("window (2r+1) x (2r+1) pixels");
    ch |= ImGui::SliderFloat("sigma_s", &b.sigma_s, 0.3f, 8.0f, "%.2f");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("spatial sigma in pixels");
    ch |= ImGui::SliderFloat("sigma_r", &b.sigma_r, 0.01f, 1.0f, "%.3f", ImGuiSliderFlags_Logarithmic);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("range sigma on 0..1 luminance: small keeps edges, large is a Gaussian");
    if (ch) {
        b.radius = std::clamp(b.radius, 1, kMaxBilateralRadius);
        b.sigma_s = std::max(b.sigma_s, 0.05f);
        b.sigma_r = std::max(b.sigma_r, 1e-3f);
        request_compute(app);
    }
}

void draw_dynamic_params(AppState& app) {
    DynamicConvParams& d = app.opts.dynamic;
    bool ch = false;
    const char* sizes[] = {"1", "3", "5", "7", "9"};
    int ki = std::clamp(d.k / 2, 0, 4), fi = std::clamp(d.f_size / 2, 0, 4);
    if (ImGui::Combo("kernel k", &ki, sizes, 5)) { d.k = 2 * ki + 1; ch = true; }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("the generated kernel at each pixel is k x k");
    if (ImGui::Combo("f size", &fi, sizes, 5)) { d.f_size = 2 * fi + 1; ch = true; }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("how much of the input around p generates kernel_p");
    int seed = static_cast<int>(d.seed);
    if (ImGui::InputInt("f seed", &seed)) { d.seed = static_cast<uint32_t>(std::max(0, seed)); ch = true; }
    if (ch) request_compute(app);
}

}  // namespace ks::gui
