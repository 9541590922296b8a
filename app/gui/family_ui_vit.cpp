// The Vision Transformer's row of the app's family table (family_ui.h): its overrides
// (heads, input size, normalisation) in the Model section, attention words in the
// captions, the heads grid beside the conv panel, layers and heads to step through.
#include <imgui.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tuple>

#include "app_state.h"
#include "family_ui.h"
#include "panel_util.h"
#include "panel_widgets.h"

namespace ks::gui {

namespace {

// Heads, input size and normalisation beat config.json and inference, as on the
// command line. Edits are staged and applied together: each apply reloads the model.
void overrides_editor(AppState& app) {
    const VitOverrides& cur = app.model.overrides;
    if (cur.heads || cur.image_size || cur.mean || cur.std) ImGui::SetNextItemOpen(true, ImGuiCond_Once);  // show what is in force
    if (!ImGui::TreeNodeEx("Overrides")) return;
    VitOverrides& e = app.overrides_edit;
    ImGui::InputInt("heads", &e.heads);
    help_marker("Number of attention heads; 0 = from config.json, else hidden size / 64.");
    ImGui::InputInt("input px", &e.image_size, 16, 64);
    help_marker("Side of the square model input; 0 = from the config, else the position-embedding grid. "
                "Position embeddings are interpolated (bicubic) for other sizes.");
    e.heads = std::max(0, e.heads);
    e.image_size = std::max(0, e.image_size);
    // A newly ticked mean/std starts from what the model uses now.
    const VitConfig* cfg = app.result && app.result->vit ? &app.result->vit->config : nullptr;
    const VitConfig defaults;
    for (auto [label, value, fallback] : {std::tuple{"mean", &e.mean, (cfg ? cfg : &defaults)->mean},
                                          std::tuple{"std", &e.std, (cfg ? cfg : &defaults)->std}}) {
        bool on = value->has_value();
        if (ImGui::Checkbox((std::string("set ") + label).c_str(), &on)) *value = on ? std::optional(fallback) : std::nullopt;
        if (!on) continue;
        std::array<float, 3> v = **value;
        ImGui::SetNextItemWidth(-1);
        if (ImGui::InputFloat3((std::string("##") + label).c_str(), v.data(), "%.3f")) *value = v;
    }
    const bool changed = e.heads != cur.heads || e.image_size != cur.image_size || e.mean != cur.mean || e.std != cur.std;
    ImGui::BeginDisabled(!changed);
    if (ImGui::Button("Apply (reloads the model)")) {
        app.model.overrides = e;
        request_compute(app);
    }
    ImGui::EndDisabled();
    same_line_if_fits(button_width("Clear"));
    if (ImGui::Button("Clear")) {
        e = VitOverrides{};
        if (cur.heads || cur.image_size || cur.mean || cur.std) {
            app.model.overrides = e;
            request_compute(app);
        }
    }
    ImGui::TreePop();
}

std::string vit_colorbar_caption(const ComparisonResult&) { return "a(q, patch)"; }

void vit_model_json(const AppState& app, nlohmann::json& j, bool full) {
    const ComparisonResult& r = *app.result;   // this row is the result's
    if (!full) {
        j["model"] = {{"kind", "vit"}, {"weights", r.weights_path}, {"layers", r.current->layers}, {"heads", r.current->heads}};
        return;
    }
    j["model"] = {{"kind", "vit"},
                  {"weights", r.weights_path},
                  {"layers", r.current->layers},
                  {"heads", r.current->heads},
                  {"tokens", r.current->tokens},
                  {"prefix", r.current->layout.prefix_names},
                  {"input", {r.model_w, r.model_h}}};
}

}  // namespace

FamilyUi vit_family_ui() {
    FamilyUi f{};
    f.family = "vit";
    f.short_name = "ViT";
    set_attention_captions(f);
    f.draw_model_section = overrides_editor;
    f.resize_help = "How the image becomes the model's square input: scale the shorter side and take the centred crop "
                    "(as torchvision's Resize + CenterCrop), or squash the whole image (aspect ratio not kept).";
    f.colorbar_caption = vit_colorbar_caption;
    f.draw_side_panel = draw_heads_grid_panel;
    f.side_panel_lines = 0.0f;
    f.has_heads = true;
    f.layer_name = "layer";
    f.step_layer = nullptr;
    f.no_attention_analyses = f.no_attention_head_maps = nullptr;
    f.model_pixel_note = "one model pixel spans several original ones";
    f.learned_filters_label = "learned patch embedding (%zu)";
    f.learned_filters_tooltip = "The checkpoint's patch-embedding filters, one output channel at a time";
    f.check_launch_view = nullptr;
    f.model_json = vit_model_json;
    return f;
}

}  // namespace ks::gui
