// The menu bar: every action with its shortcut shown beside it.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app_state.h"
#include "compare/model_family.h"
#include "family_ui.h"
#include "io/checkpoint_name.h"
#include "export_head_maps.h"
#include "panel_util.h"
#include "panel_widgets.h"
#include "session.h"
#include "attention/views.h"

namespace ks::gui {

std::vector<std::string> display_colormap_names() { return {"viridis", "magma", "inferno", "turbo", "gray"}; }

namespace {

void draw_file_menu(AppState& app) {
    if (!ImGui::BeginMenu("File")) return;
    if (ImGui::MenuItem("Open image...", "Ctrl+O")) open_image_dialog(app, false);
    if (ImGui::MenuItem("Open image B (A/B mode)...", "Ctrl+Shift+O")) open_image_dialog(app, true);
    if (ImGui::BeginMenu("Open recent", !app.recent.items().empty())) {
        // Images open as A; checkpoints (.safetensors) become the model.
        for (const auto& p : app.recent.items()) {
            const bool ckpt = FileBrowser::is_checkpoint_name(p);
            const std::string label = ckpt ? "model: " + checkpoint_display_name(p) + "##" + p : p;
            if (ImGui::MenuItem(label.c_str())) {
                if (ckpt) use_checkpoint(app, p);
                else open_image(app, p, false);
            }
            if (ckpt && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", p.c_str());
        }
        ImGui::EndMenu();
    }
    ImGui::Separator();
    // Everything on screen that a user chose, to reopen later as it was.
    if (ImGui::MenuItem("Open session...")) open_session_dialog(app);
    record_rect(app, "menu_open_session", ImGui::GetItemRectMin(), ImGui::GetItemRectSize());   // for the GUI test
    if (ImGui::MenuItem("Save session...", "Ctrl+Shift+S")) save_session_dialog(app);
    ImGui::Separator();
    if (ImGui::MenuItem("Save screenshot", "Ctrl+S")) app.screenshot_countdown = 2;
    if (ImGui::MenuItem("Export numbers and pictures", "Ctrl+E")) app.export_requested = true;
    // DINO's attn-head PNGs: every head of this layer for this query (a ResNet has no heads).
    const bool attention = family_ui(app).has_attention;
    if (ImGui::MenuItem("Export head maps (every head)", "Ctrl+Shift+E", false, attention)) start_head_maps_export(app);
    ImGui::MenuItem("Head maps over the image", nullptr, &app.head_maps_overlay, attention);
    if (ImGui::MenuItem("Screenshot folder...")) choose_screenshot_dir(app);
    ImGui::TextDisabled("  %s", app.screenshot_dir.c_str());
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) app.quit = true;
    ImGui::EndMenu();
}

void draw_model_menu(AppState& app) {
    if (!ImGui::BeginMenu("Model")) return;
    if (ImGui::MenuItem("Open checkpoint (.safetensors)...", "Ctrl+M")) open_checkpoint_dialog(app);
    if (ImGui::MenuItem("Built-in similarity model", nullptr, !app.model.has_checkpoint())) use_builtin_model(app);
    const FamilyUi& family = family_ui(app);
    if (ImGui::MenuItem("A ResNet beside the ViT...", nullptr, false, shown_model_family(app).hosts_second_slot))
        open_second_checkpoint_dialog(app);
    ImGui::Separator();
    if (ImGui::MenuItem("Resize: shorter side + centre crop", nullptr, app.model.resize == VitResize::ShorterSideCrop)) {
        app.model.resize = VitResize::ShorterSideCrop;
        if (app.model.has_checkpoint()) request_compute(app);
    }
    if (ImGui::MenuItem("Resize: whole image", nullptr, app.model.resize == VitResize::Whole)) {
        app.model.resize = VitResize::Whole;
        if (app.model.has_checkpoint()) request_compute(app);
    }
    ImGui::Separator();
    // [ ] step through what the family has: a ViT's layers, a ResNet's stages.
    const std::string layer = family.layer_name ? family.layer_name : "layer";
    if (ImGui::MenuItem(("Previous " + layer).c_str(), "[", false, family.layer_name)) step_layer(app, -1);
    if (ImGui::MenuItem(("Next " + layer).c_str(), "]", false, family.layer_name)) step_layer(app, 1);
    if (ImGui::MenuItem("Previous head (then mean, max)", ",", false, family.has_heads)) step_head(app, -1);
    if (ImGui::MenuItem("Next head (then mean, max)", ".", false, family.has_heads)) step_head(app, 1);
    ImGui::Separator();
    const QueryKind k = app.opts.view.kind;
    if (ImGui::MenuItem("Query a patch", "P", k == QueryKind::Patch)) set_query_kind(app, QueryKind::Patch);
    const bool has_prefix = app.grid() && app.grid()->num_prefix() > 0;
    if (ImGui::MenuItem("Query the CLS token", "K", k == QueryKind::Prefix, has_prefix)) set_query_kind(app, QueryKind::Prefix, 0);
    if (ImGui::MenuItem("Rollout (of CLS)", "O", k == QueryKind::Rollout)) set_query_kind(app, QueryKind::Rollout, 0);
    ImGui::MenuItem("Mass-threshold mask", "T", &app.mask_on);
    ImGui::EndMenu();
}

void draw_view_menu(AppState& app) {
    if (!ImGui::BeginMenu("View")) return;
    ImGui::MenuItem("Analyses", "A", &app.show_analyses);
    // One query over many images: the images chosen before, or a folder to choose.
    if (ImGui::MenuItem("Gallery", nullptr, app.gallery.open)) {
        if (app.gallery.paths.empty()) open_gallery_dialog(app);
        else app.gallery.open = !app.gallery.open;
    }
    if (ImGui::BeginMenu("Colormap")) {
        const auto names = display_colormap_names();
        for (size_t i = 0; i < names.size(); ++i)
            if (ImGui::MenuItem(names[i].c_str(), i == 0 ? "C cycles" : nullptr, static_cast<size_t>(app.opts.colormap) == i))
                app.opts.colormap = static_cast<Colormap>(i);
        ImGui::EndMenu();
    }
    ImGui::MenuItem("Smooth heatmap", "H", &app.smooth);
    ImGui::MenuItem("Outline the query patch", nullptr, &app.show_outline);
    ImGui::MenuItem("Conv footprint on the image", "F", &app.show_footprint);
    ImGui::Separator();
    if (ImGui::MenuItem("Reset layout")) app.layout = Layout{};
    ImGui::EndMenu();
}

void draw_query_menu(AppState& app) {
    if (!ImGui::BeginMenu("Query")) return;
    if (ImGui::MenuItem(app.pinned ? "Unpin (follow the mouse)" : "Pin", "Space / Esc")) app.pinned = !app.pinned;
    if (ImGui::MenuItem("Centre", "Home")) {
        if (const TokenLayout* g = app.grid()) set_query(app, g->grid_h / 2, g->grid_w / 2);
        app.pinned = true;
    }
    ImGui::MenuItem("Step", "Arrow keys", false, false);
    ImGui::MenuItem("Pin here", "Click on the image", false, false);
    ImGui::EndMenu();
}

void draw_input_menu(AppState& app) {
    if (!ImGui::BeginMenu("Input")) return;
    if (ImGui::MenuItem("B = A perturbed", nullptr, app.b_mode == BMode::Perturbed)) set_b_mode(app, BMode::Perturbed);
    if (ImGui::MenuItem("B = second image", nullptr, app.b_mode == BMode::Second, static_cast<bool>(app.image_b)))
        set_b_mode(app, BMode::Second);
    if (ImGui::MenuItem("B off", "B", app.b_mode == BMode::Off)) {
        set_b_mode(app, BMode::Off);
        request_compute(app);
    }
    if (ImGui::MenuItem("Reset perturbations", "R")) reset_perturbations(app);
    if (ImGui::MenuItem("Clear occlusion", nullptr, false, !app.perturb.occlusion.empty())) {
        app.perturb.occlusion = PixelRect{};
        request_compute(app);
    }
    ImGui::MenuItem("Draw occlusion", "Shift+drag on the image", false, false);
    ImGui::EndMenu();
}

void draw_help_menu(AppState& app) {
    if (!ImGui::BeginMenu("Help")) return;
    if (ImGui::MenuItem("Keyboard shortcuts", "F1")) app.show_help = true;
    ImGui::EndMenu();
}

}  // namespace

void draw_menu_bar(AppState& app) {
    if (!ImGui::BeginMainMenuBar()) return;
    draw_file_menu(app);
    draw_model_menu(app);
    draw_view_menu(app);
    draw_query_menu(app);
    draw_input_menu(app);
    draw_help_menu(app);
    ImGui::EndMainMenuBar();
}

}  // namespace ks::gui
