// The model and view sections of the controls: which model computes the attention
// (built-in similarity or a checkpoint, with its configuration as understood and its
// top-5 logits), and what is viewed (layer, head, query kind, DINO mask).
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "app_state.h"
#include "io/checkpoint_name.h"
#include "io/file_output.h"
#include "conv/filter_choice.h"
#include "image/patch_grid.h"
#include "panel_util.h"
#include "panel_widgets.h"

namespace ks::gui {

namespace {

const ImVec4 kAssumedColor(1.0f, 0.78f, 0.35f, 1.0f);
const std::vector<std::string> kStages = {"layer1", "layer2", "layer3", "layer4"};

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
    if (!app.model.has_checkpoint()) {
        builtin_params(app);
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
    const bool cnn = app.cnn_shown() && app.result->weights_path == app.model.weights_path;
    help_marker(cnn ? "How the image becomes the network's input: scale the shorter side to 224 and take the centred "
                      "crop (as torchvision's Resize + CenterCrop), or the whole photo at its own size (a CNN takes any "
                      "size; a large photo is slow)."
                    : "How the image becomes the model's square input: scale the shorter side and take the centred crop "
                      "(as torchvision's Resize + CenterCrop), or squash the whole image (aspect ratio not kept).");
    if (cnn) {
        // The query is a cell of this stage's output grid; its effective kernel is what is shown.
        int stage = app.cnn_stage - 1;
        if (fitted_combo("stage", &stage, kStages)) {
            app.cnn_stage = stage + 1;
            request_compute(app);
        }
        help_marker("The query is a cell of this stage's output; its effective kernel g is the gradient of the sum over "
                    "that cell's channels with respect to the input. Deeper stages reach farther.");
    } else {
        overrides_editor(app);
    }
    if (app.vit_shown()) {
        // The second model slot: a ResNet's effective kernel beside this ViT's attention.
        if (app.model.second_weights_path.empty()) {
            if (ImGui::SmallButton("Beside it: a ResNet...")) open_second_checkpoint_dialog(app);
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("Open a ResNet checkpoint to show its effective kernel at the same point as the query");
        } else {
            text_wrapped_at_spaces("Beside it: " + checkpoint_display_name(app.model.second_weights_path));
            same_line_if_fits(button_width("remove"));
            if (ImGui::SmallButton("remove")) use_second_checkpoint(app, "");
            if (app.resnet_beside()) {
                int stage = app.cnn_stage - 1;
                if (fitted_combo("its stage", &stage, kStages)) {
                    app.cnn_stage = stage + 1;
                    request_compute(app);
                }
            }
        }
    }
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
    if (!app.cnn_shown()) {  // a ResNet has no attention to roll out
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
    const std::vector<ConvKernel>* learned =
        app.checkpoint_shown() && app.result->learned ? app.result->learned.get() : nullptr;
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
            ImGui::TextDisabled(app.result->learned_prefix == "conv1" ? "learned conv1 (%zu)" : "learned patch embedding (%zu)",
                                learned->size());
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
            ImGui::SetTooltip(prefix == "conv1" ? "The ResNet's conv1 filters, one output channel at a time"
                                                : "The checkpoint's patch-embedding filters, one output channel at a time");
    }
}

}  // namespace ks::gui
