// The controls sidebar: input, model, view, convolution, display, perturbations and
// the data-specificity readout. Settings change here; nothing here runs the model.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app_state.h"
#include "panel_util.h"
#include "panel_widgets.h"

namespace ks::gui {

namespace {

void draw_input_section(AppState& app) {
    section("Input");
    const std::string a = app.path_a.empty() ? "(none)" : file_name_of(app.path_a);
    text_wrapped_at_spaces("Image A: " + a);
    if (ImGui::IsItemHovered() && !app.path_a.empty()) ImGui::SetTooltip("%s", app.path_a.c_str());
    if (app.image_a) {
        const std::string size = std::to_string(app.image_a->width) + " x " + std::to_string(app.image_a->height);
        same_line_if_fits(ImGui::CalcTextSize(size.c_str()).x);
        ImGui::TextDisabled("%s", size.c_str());
    }
    if (ImGui::Button("Open...")) open_image_dialog(app, false);
    same_line_if_fits(button_width("Open second image..."));
    if (ImGui::Button("Open second image...")) open_image_dialog(app, true);
    help_marker("Input B of the comparison is image A with the perturbations below, the second image "
                "(centre-cropped to A's aspect ratio, then resized to A's size: never stretched), or off. "
                "The kernel change at the query is measured from A to B.");
    if (app.image_b) text_wrapped_at_spaces("Second image: " + file_name_of(app.path_b), ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
}

void draw_display_section(AppState& app) {
    section("Display");
    const auto names = display_colormap_names();
    int cm = std::min(static_cast<int>(app.opts.colormap), static_cast<int>(names.size()) - 1);
    if (ImGui::BeginCombo("colormap", combo_preview(names[cm]).c_str())) {
        for (size_t i = 0; i < names.size(); ++i)
            if (ImGui::Selectable(names[i].c_str(), static_cast<int>(i) == cm)) app.opts.colormap = static_cast<Colormap>(i);
        ImGui::EndCombo();
    }
    ImGui::SliderFloat("opacity", &app.opts.opacity, 0.0f, 1.0f, "%.2f");
    ImGui::Checkbox("smooth", &app.smooth);
    same_line_if_fits(checkbox_width("outline"));
    ImGui::Checkbox("outline", &app.show_outline);
    same_line_if_fits(checkbox_width("footprint"));
    ImGui::Checkbox("footprint", &app.show_footprint);
    ImGui::Checkbox("log (L)", &app.heat_opts.log_scale);
    same_line_if_fits(checkbox_width("exclude q (X)"));
    ImGui::Checkbox("exclude q (X)", &app.heat_opts.exclude_query);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Leave the query's own patch out of the colour scale.");
    const bool prefix = app.grid() && app.grid()->num_prefix() > 0;
    ImGui::BeginDisabled(!prefix);
    ImGui::Checkbox("patches only (N)", &app.heat_opts.patches_only);
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("Renormalise over the patches. A ViT row also weighs the CLS (and register) tokens, which have "
                          "no place on the image. On: the patch weights are divided by their sum.");
}

// B = A perturbed: brightness, contrast, noise, shift, occlusion.
void draw_perturb_section(AppState& app) {
    section("Perturb the input (B = A perturbed)");
    Perturbation& p = app.perturb;
    if (app.b_mode != BMode::Perturbed) {
        text_wrapped_at_spaces(std::string("B is ") + (app.b_mode == BMode::Off ? "off" : "the second image") +
                                   ": these apply when B = A perturbed.",
                               ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        if (ImGui::SmallButton("Use B = A perturbed")) set_b_mode(app, BMode::Perturbed);
    }
    bool ch = false;
    ch |= ImGui::SliderFloat("brightness", &p.brightness, -0.5f, 0.5f, "%+.2f");
    ch |= ImGui::SliderFloat("contrast", &p.contrast, 0.2f, 3.0f, "%.2f");
    ch |= ImGui::SliderFloat("noise", &p.noise_sigma, 0.0f, 0.5f, "%.3f");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("standard deviation of added Gaussian noise");
    int seed = static_cast<int>(p.noise_seed);
    if (ImGui::InputInt("noise seed", &seed, 0, 0)) {
        p.noise_seed = static_cast<uint32_t>(std::max(0, seed));
        ch = true;
    }
    const int wmax = app.image_a ? app.image_a->width / 2 : 256;
    int shift[2] = {p.dx, p.dy};
    if (ImGui::SliderInt2("shift", shift, -wmax, wmax)) {
        p.dx = shift[0];
        p.dy = shift[1];
        ch = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("dx, dy: B is A moved right and down by this many pixels");
    int fill = static_cast<int>(p.fill);
    if (fitted_combo("uncovered", &fill, {"black", "wrap around", "repeat edge"})) {
        p.fill = static_cast<TranslateFill>(fill);
        ch = true;
    }
    if (p.occlusion.empty()) {
        text_wrapped_at_spaces("Occlusion: Shift+drag on the image", ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    } else {
        text_wrapped_at_spaces("Occlusion: " + std::to_string(p.occlusion.w) + " x " + std::to_string(p.occlusion.h) + " at (x " +
                               std::to_string(p.occlusion.x) + ", y " + std::to_string(p.occlusion.y) + ")");
        same_line_if_fits(button_width("clear"));
        if (ImGui::SmallButton("clear")) {
            p.occlusion = PixelRect{};
            ch = true;
        }
        ch |= ImGui::SliderFloat("fill gray", &p.occlusion_value, 0.0f, 1.0f, "%.2f");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("the grey level the occluded rectangle is filled with (0 black, 1 white)");
    }
    if (ch) request_compute(app);
    ImGui::BeginDisabled(p.is_identity());
    if (ImGui::Button("Reset perturbations")) reset_perturbations(app);
    ImGui::EndDisabled();
    same_line_if_fits(ImGui::CalcTextSize("R").x);
    ImGui::TextDisabled("R");
}

}  // namespace

void draw_controls(AppState& app, const Rect& r) {
    begin_panel("Controls###controls", r);
    record_window(app, "controls");
    // Labels sit right of their widgets: room for the longest one, the widgets take the rest.
    // Labels are kept short (what they mean is on hover) so that in a 200 px sidebar the
    // widgets still hold their values and names ("identity", "inferno") whole.
    float label_w = 0;
    for (const char* l : {"brightness", "uncovered", "noise seed", "patch (px)", "W_Q, W_K"})
        label_w = std::max(label_w, ImGui::CalcTextSize(l).x);
    ImGui::PushItemWidth(-(label_w + ImGui::GetStyle().ItemInnerSpacing.x * 2.0f));

    draw_input_section(app);
    draw_model_section(app);
    draw_view_section(app);

    section("Convolution");
    draw_filter_combo(app);

    draw_display_section(app);
    draw_perturb_section(app);
    ImGui::PopItemWidth();
    ImGui::End();
}

}  // namespace ks::gui
