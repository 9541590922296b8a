// The ResNet's row of the app's family table (family_ui.h): its stage in the Model
// section, effective-kernel words in the captions, the effective-kernel panel beside the
// conv panel, stages (not layers) for [ and ], no attention to roll out or analyse. A
// ResNet also fills the second model slot beside a ViT (draw_second_slot_section).
#include <imgui.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app_state.h"
#include "family_ui.h"
#include "io/checkpoint_name.h"
#include "io/input_error.h"
#include "panel_util.h"
#include "panel_widgets.h"

namespace ks::gui {

namespace {

const std::vector<std::string> kResnetStages = {"layer1", "layer2", "layer3", "layer4"};

void stage_section(AppState& app) {
    // The query is a cell of this stage's output grid; its effective kernel is what is shown.
    int stage = app.cnn_stage - 1;
    if (fitted_combo("stage", &stage, kResnetStages)) {
        app.cnn_stage = stage + 1;
        request_compute(app);
    }
    help_marker("The query is a cell of this stage's output; its effective kernel g is the gradient of the sum over "
                "that cell's channels with respect to the input. Deeper stages reach farther.");
}

// A ResNet's "layers" are its stages: the query moves to that stage's grid (a new request).
void step_stage(AppState& app, int d) {
    const int s = std::clamp(app.cnn_stage + d, 1, 4);
    if (s != app.cnn_stage) {
        app.cnn_stage = s;
        request_compute(app);
    }
}

// A ResNet's query is a cell of the stage grid; it has no prefix tokens.
void check_stage_query(AppState& app, const ComparisonResult& r, ViewSpec& v) {
    const TokenLayout& L = r.current->layout;
    if (!app.launch_prefix.empty())
        throw InputError("A ResNet has no prefix tokens; --query " + app.launch_prefix + " needs a ViT checkpoint.");
    if (v.row < 0 || v.row >= L.grid_h || v.col < 0 || v.col >= L.grid_w)
        throw InputError("The query (" + std::to_string(v.row) + ", " + std::to_string(v.col) + ") is outside layer" +
                         std::to_string(r.cnn_stage) + "'s grid of " + std::to_string(L.grid_h) + " x " +
                         std::to_string(L.grid_w) + " cells.");
}

std::string resnet_colorbar_caption(const ComparisonResult& r) {
    // Its row: the effective kernel's |g| summed over each cell of the stage grid.
    return "|g| per layer" + std::to_string(r.cnn_stage) + " cell";
}

void resnet_model_json(const AppState& app, nlohmann::json& j, bool) { add_resnet_json(*app.result, j); }

}  // namespace

void draw_second_slot_section(AppState& app) {
    // The second model slot: a ResNet's effective kernel beside this model's attention.
    if (app.model.second_weights_path.empty()) {
        if (ImGui::SmallButton("Beside it: a ResNet...")) open_second_checkpoint_dialog(app);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Open a ResNet checkpoint to show its effective kernel at the same point as the query");
        return;
    }
    text_wrapped_at_spaces("Beside it: " + checkpoint_display_name(app.model.second_weights_path));
    same_line_if_fits(button_width("remove"));
    if (ImGui::SmallButton("remove")) use_second_checkpoint(app, "");
    if (app.resnet_beside()) {
        int stage = app.cnn_stage - 1;
        if (fitted_combo("its stage", &stage, kResnetStages)) {
            app.cnn_stage = stage + 1;
            request_compute(app);
        }
    }
}

void add_resnet_json(const ComparisonResult& r, nlohmann::json& j) {
    // The model itself, or the second slot's ResNet beside a ViT (then "model" is the ViT's).
    j[r.cnn ? "model" : "beside"] = {{"kind", "resnet"},
                                     {"weights", r.cnn ? r.weights_path : r.second_weights_path},
                                     {"stage", "layer" + std::to_string(r.cnn_stage)},
                                     {"grid", {r.cnn_grid_h, r.cnn_grid_w}},
                                     {"input", r.cnn_input_b ? nlohmann::json{r.cnn_input_b->width, r.cnn_input_b->height}
                                                             : nlohmann::json()}};
    auto readouts = [](const EffectiveKernelReadouts& k) {
        return nlohmann::json{{"radius95", k.radius95}, {"sum", k.sum}, {"positive_share", k.positive_share}};
    };
    j["effective_kernel"] = {{"row", r.cnn_row},
                             {"col", r.cnn_col},
                             {"stride", r.cnn_stride},
                             {"query_asked", {r.cnn_src_row, r.cnn_src_col}},
                             {"a", readouts(r.readouts_a)},
                             {"b", readouts(r.readouts_b)},
                             {"change", r.cnn_change},
                             {"backward_passes", r.backward_passes}};
}

FamilyUi resnet_family_ui() {
    FamilyUi f{};
    f.family = "resnet";
    f.short_name = "ResNet";
    f.draw_model_section = stage_section;
    f.resize_help = "How the image becomes the network's input: scale the shorter side to 224 and take the centred "
                    "crop (as torchvision's Resize + CenterCrop), or the whole photo at its own size (a CNN takes any "
                    "size; a large photo is slow).";
    f.comparison_title = "Same query, two inputs: the ResNet's effective kernel moves, conv1's does not###comparison";
    f.change_caption = "ResNet effective kernel change at q";
    f.change_caption_short = "effective kernel at q";
    f.difference_caption = "B - A (|g| difference)";
    f.local_caption = "Around q (7 x 7 cells): effective kernel |g| | conv response, the kernel's footprint to scale";
    f.local_caption_short = "Around q, 7 x 7 cells: |g| | conv response";
    f.colorbar_caption = resnet_colorbar_caption;
    f.readout_name = "|g|";
    f.readout_alone = "|g|";
    f.draw_side_panel = draw_effective_kernel_panel;
    f.side_panel_lines = 16.0f;   // two pictures and their readouts
    f.has_attention = false;
    f.has_heads = false;
    f.layer_name = "stage";
    f.step_layer = step_stage;
    f.no_attention_analyses = "Mean attention distance, Fourier and the kernel spectra read attention and token maps, and a "
                              "ResNet has none: its effective kernel at the query is in the panel under the conv panel. A "
                              "folder's data specificity (`kernelscope analyze` on this ResNet) shows below.";
    f.no_attention_head_maps = "A ResNet has no attention heads, so there are no head maps to export.";
    f.model_pixel_note = "one model pixel spans several original ones";
    f.learned_filters_label = "learned conv1 (%zu)";
    f.learned_filters_tooltip = "The ResNet's conv1 filters, one output channel at a time";
    f.check_launch_view = check_stage_query;
    f.model_json = resnet_model_json;
    return f;
}

}  // namespace ks::gui
