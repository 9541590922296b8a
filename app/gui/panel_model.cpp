// The model and view sections of the controls: which model computes the attention
// (built-in similarity or a checkpoint, with its configuration as understood and its
// top-5 logits), and what is viewed (layer, head, query kind, DINO mask). Each
// family's own part of the Model section is drawn through its row (family_ui.h).
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "app_state.h"
#include "compare/model_family.h"
#include "family_ui.h"
#include "io/checkpoint_name.h"
#include "io/file_output.h"
#include "conv/filter_choice.h"
#include "panel_util.h"
#include "panel_widgets.h"

namespace ks::gui {

namespace {

const ImVec4 kAssumedColor(1.0f, 0.78f, 0.35f, 1.0f);

void checkpoint_info(AppState& app) {
    const bool shown = app.checkpoint_shown() && app.result->weights_path == app.model.weights_path;
    if (!shown) {
        // The checkpoint is still loading (or its first forward pass runs).
        const WorkerProgress p = app.worker.progress();
        text_wrapped_at_spaces(checkpoint_display_name(app.model.weights_path) + ": " + (p.busy ? p.phase : std::string("waiting")) + "...",
                               ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        if (p.busy && p.fraction >= 0) ImGui::ProgressBar(p.fraction, ImVec2(-1, 0));
        return;
    }
    const ComparisonResult& r = *app.result;
    const bool config_open = ImGui::TreeNodeEx("Configuration###config", ImGuiTreeNodeFlags_DefaultOpen);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The model as understood from the checkpoint's tensors and config.json");
    if (config_open) {
        for (const auto& line : r.description) {
            // What was guessed rather than read is what the user should check.
            text_wrapped_at_spaces(line, line.rfind("assumed", 0) == 0 ? kAssumedColor : ImVec4(0, 0, 0, 0));
        }
        ImGui::TreePop();
    }
    if (!r.top5.empty() && ImGui::TreeNodeEx("Top-5 logits", ImGuiTreeNodeFlags_DefaultOpen)) {
        const ImGuiTableFlags tf = ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_BordersInnerV;
        if (ImGui::BeginTable("##logits", 2, tf)) {
            // The logits in full; the class name takes the rest of the width (elided, whole on hover).
            ImGui::TableSetupColumn("class", ImGuiTableColumnFlags_WidthStretch);
            ImGui::TableSetupColumn("logit", ImGuiTableColumnFlags_WidthFixed);
            ImGui::TableHeadersRow();
            for (size_t i = 0; i < r.top5.size(); ++i) {
                const auto& [cls, v] = r.top5[i];
                ImGui::TableNextRow();
                ImGui::TableSetColumnIndex(0);
                // "281 tabby": ImageNet's name for a 1000-class head; long names end in "..." (full on hover).
                const std::string name = i < r.top5_names.size() ? r.top5_names[i] : std::string();
                const std::string label = std::to_string(cls) + (name.empty() ? "" : " " + name);
                const std::string shown = elided(label, ImGui::GetContentRegionAvail().x);
                ImGui::TextUnformatted(shown.c_str());
                if (shown != label && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", label.c_str());
                ImGui::TableSetColumnIndex(1);
                ImGui::Text("%.4f", v);
            }
            ImGui::EndTable();
        }
        ImGui::TreePop();
    } else if (r.top5.empty()) {
        ImGui::TextDisabled("no classifier head (no logits)");
    }
}

}  // namespace

void draw_model_section(AppState& app) {
    section("Model");
    int which = app.model.has_checkpoint() ? 1 : 0;
    if (ImGui::RadioButton("built-in similarity", which == 0) && which != 0) use_builtin_model(app);
    same_line_if_fits(checkbox_width("checkpoint"));
    if (ImGui::RadioButton("checkpoint", which == 1) && which != 1) {
        if (!app.model_fallback.empty()) use_checkpoint(app, app.model_fallback);
        else open_checkpoint_dialog(app);
    }
    // The family's own part: the built-in model's parameters, else under the checkpoint's name.
    const FamilyUi& family = model_section_ui(app);
    if (!app.model.has_checkpoint()) {
        family.draw_model_section(app);
        return;
    }
    text_wrapped_at_spaces(checkpoint_display_name(app.model.weights_path));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.model.weights_path.c_str());
    same_line_if_fits(button_width("Open... (Ctrl+M)"));
    if (ImGui::SmallButton("Open... (Ctrl+M)")) open_checkpoint_dialog(app);
    int mode = app.model.resize == VitResize::Whole ? 1 : 0;
    if (fitted_combo("resize", &mode, {"crop", "whole"})) {
        app.model.resize = mode ? VitResize::Whole : VitResize::ShorterSideCrop;
        request_compute(app);
    }
    help_marker(family.resize_help);
    family.draw_model_section(app);
    if (shown_model_family(app).hosts_second_slot) draw_second_slot_section(app);
    checkpoint_info(app);
}

void draw_view_section(AppState& app) {
    if (!result_ready(app)) return;
    const AttentionSet& A = *app.result->current;
    const TokenLayout& L = A.layout;
    section("View");
    const ViewSpec& v = app.view;

    // The built-in model has one layer and one head: nothing to choose there.
    const bool multi = A.layers > 1 || A.heads > 1;
    if (multi) {
        ImGui::BeginDisabled(A.layers < 2);
        int layer = v.layer;
        if (ImGui::SliderInt("layer  [ ]", &layer, 0, std::max(0, A.layers - 1))) app.opts.view.layer = layer;
        ImGui::EndDisabled();

        const std::string cur = head_label(v);
        ImGui::BeginDisabled(A.heads < 2 && v.reduce == HeadReduce::Single);
        if (ImGui::BeginCombo("head  , .", combo_preview(cur).c_str())) {
            for (int h = 0; h < A.heads; ++h)
                if (ImGui::Selectable(("head " + std::to_string(h)).c_str(), v.reduce == HeadReduce::Single && v.head == h))
                    select_layer_head(app, v.layer, h);
            if (ImGui::Selectable("mean of heads", v.reduce == HeadReduce::Mean)) app.opts.view.reduce = HeadReduce::Mean;
            if (ImGui::Selectable("max of heads", v.reduce == HeadReduce::Max)) app.opts.view.reduce = HeadReduce::Max;
            ImGui::EndCombo();
        }
        ImGui::EndDisabled();
    }

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("query");
    same_line_if_fits(checkbox_width("patch"));
    if (ImGui::RadioButton("patch", v.kind == QueryKind::Patch)) set_query_kind(app, QueryKind::Patch);
    // One button per prefix token: CLS, the distillation token, registers; they wrap
    // onto the next line when the sidebar is narrow.
    for (int p = 0; p < L.num_prefix(); ++p) {
        const std::string& name = L.prefix_names[p];
        same_line_if_fits(checkbox_width(name.c_str()));
        if (ImGui::RadioButton(name.c_str(), v.kind == QueryKind::Prefix && v.prefix == p))
            set_query_kind(app, QueryKind::Prefix, p);
    }
    if (family_ui(app).has_attention) {  // a ResNet has none to roll out
        same_line_if_fits(checkbox_width("rollout"));
        if (ImGui::RadioButton("rollout", v.kind == QueryKind::Rollout)) set_query_kind(app, QueryKind::Rollout, 0);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Attention rollout (Abnar & Zuidema) of %s through layers 0..layer",
                              L.num_prefix() ? L.prefix_names[0].c_str() : "the query patch");
    }

    ImGui::Checkbox("mask (T)", &app.mask_on);
    help_marker("DINO's mask: keep the fewest patches holding at least t of the heatmap's mass (patch weights "
                "renormalised); the rest is dimmed and the kept region outlined.");
    same_line_if_fits(ImGui::GetFontSize() * 5.0f);
    ImGui::BeginDisabled(!app.mask_on);
    ImGui::SetNextItemWidth(-1);
    ImGui::SliderFloat("##mask_t", &app.mask_t, 0.05f, 1.0f, "t = %.2f");
    ImGui::EndDisabled();

    const auto& md = app.result->mean_distance;
    if (v.reduce == HeadReduce::Single && static_cast<int>(md.size()) == A.layers * A.heads) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.1f", md[static_cast<size_t>(v.layer) * A.heads + v.head]);
        text_wrapped_at_spaces(std::string("mean attention distance: ") + buf + " px (model input)",
                               ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    }
}

void draw_filter_combo(AppState& app) {
    const auto& names = filter_names();
    const FamilyUi& family = family_ui(app);
    const std::vector<ConvKernel>* learned =
        app.checkpoint_shown() && app.result->learned && family.learned_filters_label ? app.result->learned.get() : nullptr;
    // The whole width: filter names ("patch_embed[127]", "dynamic") must read in full.
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##filter", combo_preview(app.opts.filter).c_str(), ImGuiComboFlags_HeightLarge)) {
        for (const auto& n : names)
            if (ImGui::Selectable(n.c_str(), n == app.opts.filter)) select_filter(app, n);
        ImGui::Separator();
        if (ImGui::Selectable("user (edit the kernel)", app.opts.filter == kUserFilter)) select_filter(app, kUserFilter);
        if (ImGui::Selectable("bilateral (data-dependent)", app.opts.filter == kBilateralFilter))
            select_filter(app, kBilateralFilter);
        if (ImGui::Selectable("dynamic f(x) * x (data-dependent)", app.opts.filter == kDynamicFilter))
            select_filter(app, kDynamicFilter);
        if (learned) {
            ImGui::Separator();
            ImGui::TextDisabled(family.learned_filters_label, learned->size());
            ImGuiListClipper clip;
            clip.Begin(static_cast<int>(learned->size()));
            while (clip.Step())
                for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                    const std::string& n = (*learned)[i].name;
                    if (ImGui::Selectable(n.c_str(), n == app.opts.filter)) {
                        app.opts.filter = n;
                        request_compute(app);
                    }
                }
        }
        ImGui::EndCombo();
    }
    if (app.opts.filter == "gaussian") {
        if (ImGui::SliderFloat("sigma", &app.opts.gaussian_sigma, 0.3f, 6.0f, "%.2f")) request_compute(app);
    }
    if (app.opts.filter == kUserFilter) draw_user_kernel_editor(app);
    if (app.opts.filter == kBilateralFilter) draw_bilateral_params(app);
    if (app.opts.filter == kDynamicFilter) draw_dynamic_params(app);
    // Step through the learned filters, one output channel at a time.
    int c = -1;
    // "patch_embed[c]" (a ViT's patch embedding) or "conv1[c]" (a ResNet's first conv).
    const std::string prefix = learned ? app.result->learned_prefix : std::string();
    if (learned && std::sscanf(app.opts.filter.c_str(), (prefix + "[%d]").c_str(), &c) == 1) {
        if (ImGui::SliderInt("channel", &c, 0, static_cast<int>(learned->size()) - 1)) {
            app.opts.filter = prefix + "[" + std::to_string(c) + "]";
            request_compute(app);
        }
    } else if (learned) {
        if (ImGui::SmallButton("Use learned filters")) {
            app.opts.filter = prefix + "[0]";
            request_compute(app);
        }
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s", family.learned_filters_tooltip);
    }
}

}  // namespace ks::gui
