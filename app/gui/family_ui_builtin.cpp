// The built-in similarity model's row of the app's family table (family_ui.h): its
// parameters (patch, tau, lambda, score, projections) in the Model section, attention
// words in the captions, one layer and one head.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app_state.h"
#include "family_ui.h"
#include "image/patch_grid.h"
#include "panel_util.h"
#include "panel_widgets.h"

namespace ks::gui {

namespace {

// What the patch slider means on this photo: at most 64 patches a side, so a large photo
// is resized first and a patch covers more of it than the slider's pixels.
void patch_grid_note(const AppState& app) {
    if (!app.image_a) return;
    const SimilarityParams& s = app.opts.sim;
    try {
        const PatchGrid g = fit_patch_grid(app.image_a->width, app.image_a->height, s.patch);
        const double cover = static_cast<double>(app.image_a->width) / g.width() * s.patch;
        char buf[200];
        if (cover > s.patch * 1.05)
            std::snprintf(buf, sizeof buf, "%d x %d patches (at most %d a side): resized to %d x %d, a patch covers "
                          "%.0f px of the photo", g.grid_w, g.grid_h, kMaxPatchesPerSide, g.width(), g.height(), cover);
        else
            std::snprintf(buf, sizeof buf, "%d x %d patches", g.grid_w, g.grid_h);
        text_wrapped_at_spaces(buf, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    } catch (const std::exception&) {
    }
}

void builtin_params(AppState& app) {
    SimilarityParams& s = app.opts.sim;
    bool ch = false;
    text_wrapped_at_spaces("Attention from the pixels alone: tokens are patches, a(i, j) = softmax_j(score(q_i, k_j) / tau).",
                           ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ch |= ImGui::SliderInt("patch (px)", &s.patch, kMinPatch, kMaxPatch);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Side of a patch (a token) in pixels of the model input. At most %d patches a side: a larger "
                          "photo is resized first (the note below says by how much).", kMaxPatchesPerSide);
    patch_grid_note(app);
    ch |= ImGui::SliderFloat("tau", &s.tau, 0.01f, 2.0f, "%.3f", ImGuiSliderFlags_Logarithmic);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Softmax temperature: a(i, j) = softmax_j(score / tau). Small tau: each query keeps to the "
                          "patches most like it; large tau: the row spreads over the image.");
    ch |= ImGui::SliderFloat("lambda", &s.lambda, 0.0f, 4.0f, "%.2f");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Weight of the 2-D sinusoidal position code added to each token: 0 = content only, larger = "
                          "near patches look more alike, so the row becomes more local (conv-like).");
    int score = s.score == Score::Dot ? 1 : 0;
    if (fitted_combo("score", &score, {"cosine", "dot"})) {
        s.score = score ? Score::Dot : Score::Cosine;
        ch = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("score(q_i, k_j): cosine or dot product");
    int proj = s.projection == Projection::Random ? 1 : 0;
    if (fitted_combo("W_Q, W_K", &proj, {"identity", "random"})) {
        s.projection = proj ? Projection::Random : Projection::Identity;
        ch = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("W_Q = W_K = identity, or seeded random projections");
    if (s.projection == Projection::Random) {
        int seed = static_cast<int>(s.seed);
        if (ImGui::InputInt("proj. seed", &seed)) {
            s.seed = static_cast<uint32_t>(std::max(0, seed));
            ch = true;
        }
    }
    if (ch) {
        s.patch = std::clamp(s.patch, kMinPatch, kMaxPatch);
        s.tau = std::max(s.tau, 1e-3f);
        s.lambda = std::max(s.lambda, 0.0f);
        request_compute(app);
    }
}

std::string attention_colorbar_caption(const ComparisonResult&) { return "a(q, patch)"; }

void builtin_model_json(const AppState&, nlohmann::json& j, bool full) {
    if (full) j["model"] = {{"kind", "similarity"}};
    else j["model"] = {{"kind", "similarity"}, {"layers", 1}, {"heads", 1}};
}

}  // namespace

FamilyUi builtin_family_ui() {
    FamilyUi f{};
    f.family = "builtin";
    f.short_name = "model";
    set_attention_captions(f);
    f.draw_model_section = builtin_params;
    f.resize_help = "";
    f.colorbar_caption = attention_colorbar_caption;
    f.draw_side_panel = nullptr;
    f.side_panel_lines = 0.0f;
    f.has_heads = false;
    f.layer_name = nullptr;   // one layer
    f.step_layer = nullptr;
    f.no_attention_analyses = f.no_attention_head_maps = nullptr;
    f.model_pixel_note = "the built-in model sees the image itself";
    f.learned_filters_label = f.learned_filters_tooltip = nullptr;
    f.check_launch_view = nullptr;
    f.model_json = builtin_model_json;
    return f;
}

}  // namespace ks::gui
