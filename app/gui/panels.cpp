// One draw function per panel. They read the cached result and the query, and change
// settings; nothing here runs the model (see compute.cpp).
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app_state.h"
#include "panel_util.h"
#include "file_output.h"
#include "views.h"

namespace ks::gui {

namespace {

ImU32 diverging_u32(float t) {
    const auto c = colormap_rgb(Colormap::Diverging, t);
    return IM_COL32(static_cast<int>(c[0] * 255 + 0.5f), static_cast<int>(c[1] * 255 + 0.5f),
                    static_cast<int>(c[2] * 255 + 0.5f), 255);
}

void set_query(AppState& app, int r, int c) {
    const TokenLayout* g = app.grid();
    if (!g) return;
    app.q_row = std::clamp(r, 0, g->grid_h - 1);
    app.q_col = std::clamp(c, 0, g->grid_w - 1);
}

// A spinner: an arc turning with time (frames are drawn continuously while busy).
void draw_spinner(ImDrawList* dl, ImVec2 c, float radius, ImU32 col) {
    const float t = static_cast<float>(ImGui::GetTime()) * 6.0f;
    dl->PathClear();
    dl->PathArcTo(c, radius, t, t + 4.2f, 24);
    dl->PathStroke(col, 0, std::max(2.0f, radius * 0.25f));
}

// Over the image while the worker runs: what it does and how far it got. The last
// picture stays visible underneath, so the window keeps answering.
void draw_progress_overlay(AppState& app, ImVec2 p0, ImVec2 p1) {
    const WorkerProgress p = app.worker.progress();
    if (!p.busy) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const std::string t = p.phase + "...";
    const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
    const float line = ImGui::GetTextLineHeight();
    const float bar_w = std::max(ts.x, 180.0f), w = bar_w + line * 2.0f + 24.0f, h = line * 2.0f + 22.0f;
    const ImVec2 a(std::max(p0.x + 8, p1.x - w - 8), p0.y + 8);
    dl->AddRectFilled(a, ImVec2(a.x + w, a.y + h), IM_COL32(10, 12, 16, 210), 6.0f);
    draw_spinner(dl, ImVec2(a.x + 10 + line * 0.8f, a.y + h * 0.5f), line * 0.7f, IM_COL32(255, 220, 120, 255));
    const float tx = a.x + 20 + line * 1.6f;
    dl->AddText(ImVec2(tx, a.y + 8), IM_COL32(255, 220, 120, 255), t.c_str());
    const ImVec2 b0(tx, a.y + 14 + line), b1(tx + bar_w, a.y + 14 + line + line * 0.6f);
    dl->AddRectFilled(b0, b1, IM_COL32(60, 64, 74, 255), 3.0f);
    if (p.fraction >= 0)
        dl->AddRectFilled(b0, ImVec2(b0.x + (b1.x - b0.x) * std::clamp(p.fraction, 0.0f, 1.0f), b1.y), IM_COL32(255, 200, 90, 255), 3.0f);
    else {  // unknown length: a block sliding back and forth
        const float u = 0.5f + 0.5f * std::sin(static_cast<float>(ImGui::GetTime()) * 3.0f), bw = (b1.x - b0.x) * 0.25f;
        const float x = b0.x + u * (b1.x - b0.x - bw);
        dl->AddRectFilled(ImVec2(x, b0.y), ImVec2(x + bw, b1.y), IM_COL32(255, 200, 90, 255), 3.0f);
    }
}

// Numbers inside the cells of a magnified kernel when they fit.
void draw_kernel_numbers(ImDrawList* dl, const ConvKernel& k, ImVec2 p0, float cell, float vmax) {
    if (k.size > 7 || cell < ImGui::GetFontSize() * 2.4f) return;
    for (int r = 0; r < k.size; ++r)
        for (int c = 0; c < k.size; ++c) {
            const float v = k.at(r, c);
            char buf[16];
            if (std::fabs(v - std::round(v)) < 1e-6f) std::snprintf(buf, sizeof buf, "%d", static_cast<int>(std::round(v)));
            else std::snprintf(buf, sizeof buf, "%.2f", v);
            const ImVec2 ts = ImGui::CalcTextSize(buf);
            const auto col = colormap_rgb(Colormap::Diverging, 0.5f + 0.5f * v / vmax);
            const float lum = 0.299f * col[0] + 0.587f * col[1] + 0.114f * col[2];
            const ImU32 tc = lum > 0.55f ? IM_COL32(20, 20, 20, 255) : IM_COL32(245, 245, 245, 255);
            dl->AddText(ImVec2(p0.x + (c + 0.5f) * cell - ts.x * 0.5f, p0.y + (r + 0.5f) * cell - ts.y * 0.5f), tc, buf);
        }
}

float kernel_vmax(const ConvKernel& k) {
    float m = 0;
    for (float v : k.w) m = std::max(m, std::fabs(v));
    return m > 0 ? m : 1.0f;
}

}  // namespace

std::vector<std::string> display_colormap_names() { return {"viridis", "magma", "inferno", "turbo", "gray"}; }

// ------------------------------------------------------------------------------------
void draw_menu_bar(AppState& app) {
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("Open image...", "Ctrl+O")) open_image_dialog(app, false);
        if (ImGui::MenuItem("Open image B (A/B mode)...", "Ctrl+Shift+O")) open_image_dialog(app, true);
        if (ImGui::BeginMenu("Open recent", !app.recent.items().empty())) {
            for (const auto& p : app.recent.items())
                if (ImGui::MenuItem(p.c_str())) load_image_a(app, p);
            ImGui::EndMenu();
        }
        ImGui::Separator();
        if (ImGui::MenuItem("Save screenshot", "Ctrl+S")) app.screenshot_countdown = 2;
        if (ImGui::MenuItem("Export panels (full resolution)", "Ctrl+E")) app.export_requested = true;
        if (ImGui::MenuItem("Screenshot folder...")) choose_screenshot_dir(app);
        ImGui::TextDisabled("  %s", app.screenshot_dir.c_str());
        ImGui::Separator();
        if (ImGui::MenuItem("Quit", "Ctrl+Q")) app.quit = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Model")) {
        if (ImGui::MenuItem("Open checkpoint (.safetensors)...", "Ctrl+M")) open_checkpoint_dialog(app);
        if (ImGui::MenuItem("Built-in similarity model", nullptr, !app.model.is_vit())) use_builtin_model(app);
        ImGui::Separator();
        const bool vit = app.vit_shown();
        if (ImGui::MenuItem("Resize: shorter side + centre crop", nullptr, app.model.resize == VitResize::ShorterSideCrop)) {
            app.model.resize = VitResize::ShorterSideCrop;
            if (app.model.is_vit()) request_compute(app);
        }
        if (ImGui::MenuItem("Resize: whole image", nullptr, app.model.resize == VitResize::Whole)) {
            app.model.resize = VitResize::Whole;
            if (app.model.is_vit()) request_compute(app);
        }
        ImGui::Separator();
        if (ImGui::MenuItem("Previous layer", "[", false, vit)) step_layer(app, -1);
        if (ImGui::MenuItem("Next layer", "]", false, vit)) step_layer(app, 1);
        if (ImGui::MenuItem("Previous head (then mean, max)", ",", false, vit)) step_head(app, -1);
        if (ImGui::MenuItem("Next head (then mean, max)", ".", false, vit)) step_head(app, 1);
        ImGui::Separator();
        const QueryKind k = app.opts.view.kind;
        if (ImGui::MenuItem("Query a patch", "P", k == QueryKind::Patch)) set_query_kind(app, QueryKind::Patch);
        const bool has_prefix = app.grid() && app.grid()->num_prefix() > 0;
        if (ImGui::MenuItem("Query the CLS token", "K", k == QueryKind::Prefix, has_prefix)) set_query_kind(app, QueryKind::Prefix, 0);
        if (ImGui::MenuItem("Rollout (of CLS)", "O", k == QueryKind::Rollout)) set_query_kind(app, QueryKind::Rollout, 0);
        ImGui::MenuItem("Mass-threshold mask", "T", &app.mask_on);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
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
    if (ImGui::BeginMenu("Query")) {
        if (ImGui::MenuItem(app.pinned ? "Unpin (follow the mouse)" : "Pin", "Space / Esc")) app.pinned = !app.pinned;
        if (ImGui::MenuItem("Centre", "Home")) {
            if (const TokenLayout* g = app.grid()) set_query(app, g->grid_h / 2, g->grid_w / 2);
            app.pinned = true;
        }
        ImGui::MenuItem("Step", "Arrow keys", false, false);
        ImGui::MenuItem("Pin here", "Click on the image", false, false);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Input")) {
        if (ImGui::MenuItem("A/B mode", "B", app.ab_mode, static_cast<bool>(app.image_b))) {
            app.ab_mode = !app.ab_mode;
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
    if (ImGui::BeginMenu("Help")) {
        if (ImGui::MenuItem("Keyboard shortcuts", "F1")) app.show_help = true;
        ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
}

// ------------------------------------------------------------------------------------
void draw_controls(AppState& app, const Rect& r) {
    begin_panel("Controls###controls", r);
    record_window(app, "controls");
    const float label_w = ImGui::GetFontSize() * 7.0f;
    ImGui::PushItemWidth(-label_w);

    section("Input");
    {
        const std::string a = app.path_a.empty() ? "(none)" : file_name_of(app.path_a);
        ImGui::Text("Image A: %s", a.c_str());
        if (app.image_a) {
            ImGui::SameLine();
            ImGui::TextDisabled("%d x %d", app.image_a->width, app.image_a->height);
        }
        if (ImGui::IsItemHovered() && !app.path_a.empty()) ImGui::SetTooltip("%s", app.path_a.c_str());
        if (ImGui::Button("Open...")) open_image_dialog(app, false);
        ImGui::SameLine();
        if (ImGui::Button("Open B...")) open_image_dialog(app, true);
        ImGui::SameLine();
        ImGui::BeginDisabled(!app.image_b);
        if (ImGui::Checkbox("A/B", &app.ab_mode)) request_compute(app);
        ImGui::EndDisabled();
        help_marker("A/B mode feeds image B (resized to A's size, plus the perturbations below) to the model and "
                    "measures the kernel change at the query against clean image A.");
        if (app.image_b) ImGui::TextDisabled("Image B: %s", file_name_of(app.path_b).c_str());
    }

    draw_model_section(app);
    draw_view_section(app);

    section("Convolution");
    draw_filter_combo(app);

    section("Display");
    {
        const auto names = display_colormap_names();
        int cm = std::min(static_cast<int>(app.opts.colormap), static_cast<int>(names.size()) - 1);
        if (ImGui::BeginCombo("colormap", names[cm].c_str())) {
            for (size_t i = 0; i < names.size(); ++i)
                if (ImGui::Selectable(names[i].c_str(), static_cast<int>(i) == cm)) app.opts.colormap = static_cast<Colormap>(i);
            ImGui::EndCombo();
        }
        ImGui::SliderFloat("opacity", &app.opts.opacity, 0.0f, 1.0f, "%.2f");
        ImGui::Checkbox("smooth", &app.smooth);
        ImGui::SameLine();
        ImGui::Checkbox("outline", &app.show_outline);
        ImGui::SameLine();
        ImGui::Checkbox("footprint", &app.show_footprint);
    }

    section("Perturb the input");
    {
        Perturbation& p = app.perturb;
        bool ch = false;
        ch |= ImGui::SliderFloat("brightness", &p.brightness, -0.5f, 0.5f, "%+.2f");
        ch |= ImGui::SliderFloat("contrast", &p.contrast, 0.2f, 3.0f, "%.2f");
        const float inner = ImGui::GetStyle().ItemInnerSpacing.x;
        const float seed_w = ImGui::GetFontSize() * 3.2f;
        ImGui::SetNextItemWidth(ImGui::CalcItemWidth() - seed_w - inner);
        ch |= ImGui::SliderFloat("##noise", &p.noise_sigma, 0.0f, 0.5f, "%.3f");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("standard deviation of added Gaussian noise");
        ImGui::SameLine(0, inner);
        int seed = static_cast<int>(p.noise_seed);
        ImGui::SetNextItemWidth(seed_w);
        if (ImGui::InputInt("noise, seed", &seed, 0, 0)) {
            p.noise_seed = static_cast<uint32_t>(std::max(0, seed));
            ch = true;
        }
        const int wmax = app.image_a ? app.image_a->width / 2 : 256;
        int shift[2] = {p.dx, p.dy};
        if (ImGui::SliderInt2("shift dx, dy", shift, -wmax, wmax)) {
            p.dx = shift[0];
            p.dy = shift[1];
            ch = true;
        }
        int fill = static_cast<int>(p.fill);
        if (ImGui::Combo("uncovered", &fill, "black\0wrap around\0repeat edge\0")) {
            p.fill = static_cast<TranslateFill>(fill);
            ch = true;
        }
        if (p.occlusion.empty()) {
            ImGui::TextDisabled("Occlusion: Shift+drag on the image");
        } else {
            ImGui::Text("Occlusion: %d x %d at (%d, %d)", p.occlusion.w, p.occlusion.h, p.occlusion.x, p.occlusion.y);
            ImGui::SameLine();
            if (ImGui::SmallButton("clear")) {
                p.occlusion = PixelRect{};
                ch = true;
            }
            ch |= ImGui::SliderFloat("occluder gray", &p.occlusion_value, 0.0f, 1.0f, "%.2f");
        }
        if (ch) request_compute(app);
        ImGui::BeginDisabled(p.is_identity());
        if (ImGui::Button("Reset perturbations")) reset_perturbations(app);
        ImGui::EndDisabled();
        ImGui::SameLine();
        ImGui::TextDisabled("R");
    }

    section("Data specificity at the query");
    {
        ImGui::TextDisabled("kernel change vs clean image A");
        help_marker("Total variation 0.5 * sum_j |a_j(x1) - a_j(x2)| between the kernel at the query for clean "
                    "image A and for the current input (0 = unchanged, 1 = disjoint). Attention's kernel is computed "
                    "from the input (Q = X W_Q, K = X W_K), so it moves when the input changes; a conv kernel is a "
                    "fixed weight, the same for every image (compared as |w| / sum |w|). The bilateral filter is a "
                    "data-dependent conv: its kernel at the query is compared at the same pixel.");
        if (result_ready(app) && app.change_valid) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.4f", app.change_attention);
            const float lw = ImGui::GetFontSize() * 5.5f;
            ImGui::Text("attention");
            ImGui::SameLine(lw);
            ImGui::ProgressBar(static_cast<float>(app.change_attention), ImVec2(-1, 0), buf);
            ImGui::Text("conv");
            ImGui::SameLine(lw);
            ImGui::ProgressBar(static_cast<float>(app.change_conv), ImVec2(-1, 0), conv_change_text(app).c_str());
            if (app.kernel_data_dependent) {
                ImGui::PushTextWrapPos(0.0f);
                ImGui::TextDisabled("Data-dependent conv: its kernel at the query is built from the input, so it "
                                    "changes like attention's, but only from pixels within its window.");
                ImGui::PopTextWrapPos();
            }
        } else {
            ImGui::TextDisabled("(waiting for the model)");
        }
    }
    ImGui::PopItemWidth();
    ImGui::End();
}

// ------------------------------------------------------------------------------------
void draw_image_panel(AppState& app, const Rect& r) {
    begin_panel("Image and attention###image", r, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    record_window(app, "image_panel");
    update_derived(app);
    if (!result_ready(app)) {
        const ImVec2 c0 = ImGui::GetCursorScreenPos(), ca = ImGui::GetContentRegionAvail();
        if (app.result && !app.result->error.empty()) panel_message(app.result->error.c_str(), true);
        else panel_message("Computing attention...");
        draw_progress_overlay(app, c0, ImVec2(c0.x + ca.x, c0.y + ca.y));
        ImGui::End();
        return;
    }
    const ComputeResult& res = *app.result;
    const Image& img = *res.shown;
    const TokenLayout& L = res.current->layout;
    ImGuiIO& io = ImGui::GetIO();
    const bool patch_query = query_token_now(app) >= L.num_prefix();

    ImGui::Text("Query %s", query_label(app).c_str());
    ImGui::SameLine();
    if (!patch_query) ImGui::TextDisabled("(click for a patch)");
    else if (app.pinned) ImGui::TextColored(ImVec4(0.2f, 1.0f, 1.0f, 1.0f), "pinned");
    else ImGui::TextDisabled("follows the mouse");
    ImGui::SameLine();
    if (res.vit)
        ImGui::TextDisabled("| layer %d, %s | grid %dx%d, N = %d%s", app.view.layer,
                            head_label(app.view).c_str(), L.grid_h, L.grid_w,
                            res.current->tokens, app.ab_mode && app.image_b ? " | showing B" : "");
    else
        ImGui::TextDisabled("| grid %d x %d, patch %d px, N = %d%s", L.grid_h, L.grid_w, L.patch, res.current->tokens,
                            app.ab_mode && app.image_b ? " | showing B" : "");

    const float cb_h = ImGui::GetTextLineHeight() * 2.4f;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 size = fit(static_cast<float>(img.width), static_cast<float>(img.height), avail.x, avail.y - cb_h);
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    p0.x = std::floor(p0.x + (avail.x - size.x) * 0.5f);
    p0.y = std::floor(p0.y);
    const ImVec2 p1(p0.x + size.x, p0.y + size.y);
    ImGui::SetCursorScreenPos(p0);
    ImGui::InvisibleButton("##image", ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)),
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    const bool hovered = ImGui::IsItemHovered() && !app.screenshot_mode;

    QuadDraw q;
    q.p0 = p0;
    q.p1 = p1;
    q.image = app.image_tex.id();
    q.heat = app.heat_tex.id();
    q.heat_w = L.grid_w;
    q.heat_h = L.grid_h;
    q.lut = app.renderer.lut(app.opts.colormap);
    q.vmin = app.heat_min;
    q.vmax = app.heat_max;
    q.opacity = app.opts.opacity;
    q.smooth = app.smooth;
    q.mode = QuadMode::Overlay;
    app.renderer.draw(q);
    record_rect(app, "attention", p0, size);

    // Image pixels <-> screen. For a ViT in crop mode the picture is the centred crop
    // of image A, whose pixel coordinates (the occlusion's) start at (crop_x, crop_y).
    const float sx = size.x / img.width, sy = size.y / img.height;
    const float ox = static_cast<float>(res.crop_x), oy = static_cast<float>(res.crop_y);
    auto to_img = [&](ImVec2 m) {
        return ImVec2(ox + std::clamp((m.x - p0.x) / sx, 0.0f, static_cast<float>(img.width)),
                      oy + std::clamp((m.y - p0.y) / sy, 0.0f, static_cast<float>(img.height)));
    };

    // ---- interaction ----
    if (hovered) {
        const ImVec2 m = io.MousePos;
        const int hr = std::clamp(static_cast<int>((m.y - p0.y) / size.y * L.grid_h), 0, L.grid_h - 1);
        const int hc = std::clamp(static_cast<int>((m.x - p0.x) / size.x * L.grid_w), 0, L.grid_w - 1);
        if (io.KeyShift && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            app.occluding = true;
            app.occ_start = to_img(m);
        } else if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            if (!patch_query) {
                // Querying CLS or rollout: a click on the image switches to that patch.
                set_query_kind(app, QueryKind::Patch);
                set_query(app, hr, hc);
            } else if (app.pinned && hr == app.q_row && hc == app.q_col) {
                app.pinned = false;
            } else {
                app.pinned = true;
                set_query(app, hr, hc);
            }
        } else if (ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
            app.pinned = false;
        }
        if (patch_query && !app.pinned && !app.occluding) set_query(app, hr, hc);
        if ((app.pinned || !patch_query) && !app.occluding && !app.heat.empty()) {
            const float v = app.heat[static_cast<size_t>(hr) * L.grid_w + hc];
            ImGui::SetTooltip("patch (%d, %d)\na(query -> patch) = %s", hr, hc, fmt(v).c_str());
        }
    }
    if (app.occluding) {
        const ImVec2 a = app.occ_start, b = to_img(io.MousePos);
        PixelRect pr;
        pr.x = static_cast<int>(std::floor(std::min(a.x, b.x)));
        pr.y = static_cast<int>(std::floor(std::min(a.y, b.y)));
        pr.w = static_cast<int>(std::ceil(std::max(a.x, b.x))) - pr.x;
        pr.h = static_cast<int>(std::ceil(std::max(a.y, b.y))) - pr.y;
        // The rectangle is drawn in the coordinates of what is shown (= the input A size).
        if (pr.x != app.perturb.occlusion.x || pr.y != app.perturb.occlusion.y || pr.w != app.perturb.occlusion.w ||
            pr.h != app.perturb.occlusion.h) {
            app.perturb.occlusion = pr;
            request_compute(app);
        }
        if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) app.occluding = false;
    }
    update_derived(app);

    // ---- overlays ----
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(p0, p1, true);
    const float cw = size.x / L.grid_w, ch = size.y / L.grid_h;
    if (app.mask_on && app.mask.size() == app.heat.size()) {
        // DINO mask: dropped patches dimmed, the kept region outlined along cell edges.
        const auto kept = [&](int rr, int cc) {
            return rr >= 0 && cc >= 0 && rr < L.grid_h && cc < L.grid_w && app.mask[static_cast<size_t>(rr) * L.grid_w + cc];
        };
        for (int rr = 0; rr < L.grid_h; ++rr)
            for (int cc = 0; cc < L.grid_w; ++cc)
                if (!kept(rr, cc))
                    dl->AddRectFilled(ImVec2(p0.x + cc * cw, p0.y + rr * ch), ImVec2(p0.x + (cc + 1) * cw, p0.y + (rr + 1) * ch),
                                      IM_COL32(0, 0, 0, 150));
        const ImU32 edge = IM_COL32(255, 255, 255, 230);
        for (int rr = 0; rr < L.grid_h; ++rr)
            for (int cc = 0; cc < L.grid_w; ++cc) {
                if (!kept(rr, cc)) continue;
                const float xa = p0.x + cc * cw, ya = p0.y + rr * ch, xb = xa + cw, yb = ya + ch;
                if (!kept(rr - 1, cc)) dl->AddLine(ImVec2(xa, ya), ImVec2(xb, ya), edge, 1.5f);
                if (!kept(rr + 1, cc)) dl->AddLine(ImVec2(xa, yb), ImVec2(xb, yb), edge, 1.5f);
                if (!kept(rr, cc - 1)) dl->AddLine(ImVec2(xa, ya), ImVec2(xa, yb), edge, 1.5f);
                if (!kept(rr, cc + 1)) dl->AddLine(ImVec2(xb, ya), ImVec2(xb, yb), edge, 1.5f);
            }
    }
    if (!app.perturb.occlusion.empty()) {
        const PixelRect& o = app.perturb.occlusion;
        dl->AddRect(ImVec2(p0.x + (o.x - ox) * sx, p0.y + (o.y - oy) * sy),
                    ImVec2(p0.x + (o.x + o.w - ox) * sx, p0.y + (o.y + o.h - oy) * sy), kOcclusionColor, 0.0f, 0, 1.5f);
    }
    if (app.show_footprint && patch_query) {
        // The conv kernel's k x k footprint, centred on the query patch, to scale (a
        // learned filter's pixels are the model input's: its footprint is the patch).
        const int k = app.kernel_shown.size;
        const float cx = p0.x + (app.q_col + 0.5f) * cw, cy = p0.y + (app.q_row + 0.5f) * ch;
        const float hw = 0.5f * k * res.kernel_px * sx, hh = 0.5f * k * res.kernel_px * sy;
        dl->AddRect(ImVec2(cx - hw, cy - hh), ImVec2(cx + hw, cy + hh), kFootprintColor, 0.0f, 0, 1.5f);
        if (hw < 4.0f) dl->AddCircle(ImVec2(cx, cy), 7.0f, kFootprintColor, 20, 1.5f);
    }
    if (app.show_outline && patch_query) {
        const ImVec2 a(p0.x + app.q_col * cw, p0.y + app.q_row * ch);
        dl->AddRect(a, ImVec2(a.x + cw, a.y + ch), IM_COL32(0, 0, 0, 160), 0.0f, 0, 3.5f);
        dl->AddRect(a, ImVec2(a.x + cw, a.y + ch), kQueryColor, 0.0f, 0, 2.0f);
    }
    if (!patch_query) {
        const std::string t = "query: " + query_label(app);
        const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
        dl->AddRectFilled(ImVec2(p0.x + 8, p0.y + 8), ImVec2(p0.x + 18 + ts.x, p0.y + 14 + ts.y), IM_COL32(0, 0, 0, 170), 4.0f);
        dl->AddText(ImVec2(p0.x + 13, p0.y + 11), kQueryColor, t.c_str());
    }
    dl->PopClipRect();
    draw_progress_overlay(app, p0, p1);

    // ---- colorbar ----
    const float bar_h = std::floor(ImGui::GetTextLineHeight() * 0.8f);
    const ImVec2 b0(p0.x, p1.y + 6.0f), b1(p1.x, p1.y + 6.0f + bar_h);
    QuadDraw bar;
    bar.p0 = b0;
    bar.p1 = b1;
    bar.lut = app.renderer.lut(app.opts.colormap);
    bar.heat = app.heat_tex.id();
    bar.mode = QuadMode::Ramp;
    app.renderer.draw(bar);
    dl->AddRect(ImVec2(b0.x - 1, b0.y - 1), ImVec2(b1.x + 1, b1.y + 1), IM_COL32(90, 90, 100, 255));
    const std::string lo = fmt(app.heat_min), hi = fmt(app.heat_max);
    const char* mid = "attention weight a(query, patch)";
    const float ty = b1.y + 3.0f;
    const ImU32 tc = ImGui::GetColorU32(ImGuiCol_Text);
    dl->AddText(ImVec2(b0.x, ty), tc, lo.c_str());
    dl->AddText(ImVec2(b1.x - ImGui::CalcTextSize(hi.c_str()).x, ty), tc, hi.c_str());
    dl->AddText(ImVec2((b0.x + b1.x - ImGui::CalcTextSize(mid).x) * 0.5f, ty), ImGui::GetColorU32(ImGuiCol_TextDisabled), mid);
    record_rect(app, "colorbar", b0, ImVec2(b1.x - b0.x, b1.y - b0.y));
    ImGui::End();
}

// ------------------------------------------------------------------------------------
void draw_conv_panel(AppState& app, const Rect& r) {
    const std::string title = "Convolution: " + app.opts.filter + "###conv";
    begin_panel(title.c_str(), r, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    record_window(app, "conv_panel");
    update_derived(app);
    if (!result_ready(app)) {
        panel_message(app.result && !app.result->error.empty() ? "(no result)" : "Computing...");
        ImGui::End();
        return;
    }
    const ComputeResult& res = *app.result;
    const ConvKernel& k = app.kernel_shown;
    const bool dd = app.kernel_data_dependent;
    const float vmax = kernel_vmax(k);
    const ImGuiStyle& st = ImGui::GetStyle();
    const float line = ImGui::GetTextLineHeightWithSpacing();

    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    // Left column: the kernel (a fixed filter's never depends on the image; a
    // data-dependent one is the kernel at the query, read from the input).
    const float col_w = std::floor(std::min(avail.x * 0.44f, avail.y - 4.5f * line));
    const bool rgb = k.channels == 3;
    ImGui::SetCursorScreenPos(origin);
    if (rgb) ImGui::Text("Kernel w, %d x %d x 3 (RGB, learned)", k.size, k.size);
    else if (dd) ImGui::Text("Kernel w_q at pixel (%d, %d), %d x %d", app.kernel_x, app.kernel_y, k.size, k.size);
    else ImGui::Text("Kernel w, %d x %d", k.size, k.size);
    const ImVec2 g0(origin.x, origin.y + line);
    const float side = std::max(col_w, 16.0f);
    ImGui::SetCursorScreenPos(g0);
    ImGui::InvisibleButton("##kernel", ImVec2(side, side));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cell = side / k.size;
    if (rgb) {
        // Each channel's weight around mid-gray (kernel_rgb), as learned filters are usually shown.
        dl->AddImage(app.kernel_rgb_tex.imgui_id(), g0, ImVec2(g0.x + side, g0.y + side));
        if (cell >= 6.0f)
            for (int i = 0; i <= k.size; ++i) {
                dl->AddLine(ImVec2(g0.x + i * cell, g0.y), ImVec2(g0.x + i * cell, g0.y + side), IM_COL32(20, 20, 24, 255));
                dl->AddLine(ImVec2(g0.x, g0.y + i * cell), ImVec2(g0.x + side, g0.y + i * cell), IM_COL32(20, 20, 24, 255));
            }
    } else {
        QuadDraw q;
        q.p0 = g0;
        q.p1 = ImVec2(g0.x + side, g0.y + side);
        q.heat = app.kernel_tex.id();
        q.heat_w = q.heat_h = k.size;
        q.lut = app.renderer.lut(Colormap::Diverging);
        q.vmin = -vmax;
        q.vmax = vmax;
        q.glyph = true;
        q.cell_border_px = k.size > 15 ? 0.0f : 1.0f;
        app.renderer.draw(q);
        draw_kernel_numbers(dl, k, g0, cell, vmax);
    }
    if (ImGui::IsItemHovered() && !app.screenshot_mode) {
        const ImVec2 m = ImGui::GetIO().MousePos;
        const int rr = std::clamp(static_cast<int>((m.y - g0.y) / cell), 0, k.size - 1);
        const int cc = std::clamp(static_cast<int>((m.x - g0.x) / cell), 0, k.size - 1);
        const ImVec2 a(g0.x + cc * cell, g0.y + rr * cell);
        dl->AddRect(a, ImVec2(a.x + cell, a.y + cell), IM_COL32(255, 255, 255, 255), 0.0f, 0, 2.0f);
        if (rgb)
            ImGui::SetTooltip("w[%d][%d] = R %s, G %s, B %s", rr, cc, fmt(k.at(rr, cc, 0)).c_str(), fmt(k.at(rr, cc, 1)).c_str(),
                              fmt(k.at(rr, cc, 2)).c_str());
        else
            ImGui::SetTooltip("w[%d][%d] = %s  (offset %+d, %+d)", rr, cc, fmt(k.at(rr, cc)).c_str(), rr - k.size / 2,
                              cc - k.size / 2);
    }
    record_rect(app, "conv_kernel_grid", g0, ImVec2(side, side));
    ImGui::SetCursorScreenPos(ImVec2(g0.x, g0.y + side + st.ItemSpacing.y));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(g0.x + side - ImGui::GetWindowPos().x);
    // Two short lines: a narrow column would otherwise break a number in two.
    ImGui::TextDisabled("sum %s", fmt(app.conv_stats.sum).c_str());
    ImGui::TextDisabled("min %s   max %s", fmt(app.conv_stats.min).c_str(), fmt(app.conv_stats.max).c_str());
    ImGui::TextDisabled(app.conv_stats.min < 0 ? "Signed: takes differences (high-pass)."
                        : dd                   ? "Positive, sums to 1: an average, like an attention row."
                                               : "Non-negative: an average (low-pass).");
    if (rgb) ImGui::TextDisabled("Learned, then fixed: the same w for every image.");
    else if (dd) ImGui::TextDisabled("Another w at every pixel, and for every image.");
    else ImGui::TextDisabled("The same w at every position, for every image.");
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    // The whole left column (title, grid, numbers, notes): nothing in it depends on the image.
    record_rect(app, "conv_kernel", origin, ImVec2(side, ImGui::GetItemRectMax().y - origin.y));

    // Right column: the response map (this one does depend on the image).
    const float rx = origin.x + side + st.ItemSpacing.x * 3.0f;
    const float rw = origin.x + avail.x - rx;
    ImGui::SetCursorScreenPos(ImVec2(rx, origin.y));
    ImGui::TextUnformatted(rgb ? "Response y = sum_c w_c * x_c"
                           : dd ? "Response y(p) = sum_u w_p(u) x(p+u)"
                                : "Response y = w * luminance");
    if (dd && ImGui::IsItemHovered())
        ImGui::SetTooltip("Bilateral: every pixel p has its own kernel w_p, built from the luminance around p.");
    if (rgb && ImGui::IsItemHovered())
        ImGui::SetTooltip("On the normalised model input, as the patch embedding sees it (stride 1 here, so every "
                          "position is shown; the model keeps every %d-th).", k.size);
    // Room below the map for its caption (and the data-dependent note, about three lines).
    const ImVec2 rs = fit(static_cast<float>(res.response.width), static_cast<float>(res.response.height), rw,
                          avail.y - (dd ? 5.5f : 2.0f) * line);
    const ImVec2 r0(rx, origin.y + line);
    ImGui::SetCursorScreenPos(r0);
    ImGui::Image(app.response_tex.imgui_id(), rs);
    record_rect(app, "conv_response", r0, rs);
    if (ImGui::IsItemHovered() && !app.screenshot_mode) {
        const ImVec2 m = ImGui::GetIO().MousePos;
        const int px = std::clamp(static_cast<int>((m.x - r0.x) / rs.x * res.response.width), 0, res.response.width - 1);
        const int py = std::clamp(static_cast<int>((m.y - r0.y) / rs.y * res.response.height), 0, res.response.height - 1);
        ImGui::SetTooltip("y(%d, %d) = %s", px, py, fmt(res.response.at(px, py)).c_str());
    }
    ImGui::SetCursorScreenPos(ImVec2(rx, r0.y + rs.y + st.ItemSpacing.y));
    ImGui::TextDisabled(app.response_signed ? "diverging colours, symmetric about 0" : "gray: 0 = black (no negative values)");
    if (dd) {
        // The point of this filter, said where the kernel and its response are.
        ImGui::SetCursorScreenPos(ImVec2(rx, ImGui::GetCursorScreenPos().y + st.ItemSpacing.y));
        ImGui::PushTextWrapPos(rx + rw - ImGui::GetWindowPos().x);
        ImGui::TextColored(ImVec4(1.0f, 0.78f, 0.35f, 1.0f),
                           "Data-dependent: this kernel changes with the input like attention, but it is local "
                           "((2r+1)^2 pixels around the query, not the whole image).");
        ImGui::PopTextWrapPos();
    }
    ImGui::End();
}

// ------------------------------------------------------------------------------------
void draw_compare_panel(AppState& app, const Rect& r) {
    begin_panel("Attention kernel vs conv kernel at the query###compare", r,
                ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    record_window(app, "compare_panel");
    update_derived(app);
    if (!result_ready(app)) {
        panel_message("Computing...");
        ImGui::End();
        return;
    }
    const ComputeResult& res = *app.result;
    const Image& img = *res.shown;
    const TokenLayout& L = res.current->layout;
    const ConvKernel& k = app.kernel_shown;
    const ImGuiStyle& st = ImGui::GetStyle();
    const float line = ImGui::GetTextLineHeightWithSpacing();

    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("Both frames span the whole image at the same scale; diverging colours, 0 = neutral, "
                        "each scaled to its own max |w|.");
    ImGui::PopTextWrapPos();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float table_h = line * 8.2f;
    const float gap = st.ItemSpacing.x * 2.0f;
    const ImVec2 fsz = fit(static_cast<float>(img.width), static_cast<float>(img.height), (avail.x - gap) * 0.5f,
                           avail.y - table_h - line);
    const ImVec2 a0(origin.x, origin.y + line);
    const ImVec2 c0(origin.x + fsz.x + gap, origin.y + line);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImGui::SetCursorScreenPos(origin);
    if (query_token_now(app) >= L.num_prefix()) ImGui::Text("Attention a(q, .)");
    else ImGui::Text("Attention a(%s, .)", query_label(app).c_str());
    ImGui::SetCursorScreenPos(ImVec2(c0.x, origin.y));
    if (app.kernel_data_dependent) ImGui::Text("Conv kernel w_q at q (from the input)");
    else ImGui::Text("Conv kernel w at q");

    // Attention over every patch.
    float amax = std::max(std::fabs(app.heat_min), std::fabs(app.heat_max));
    if (amax <= 0) amax = 1;
    QuadDraw qa;
    qa.p0 = a0;
    qa.p1 = ImVec2(a0.x + fsz.x, a0.y + fsz.y);
    qa.heat = app.heat_tex.id();
    qa.heat_w = L.grid_w;
    qa.heat_h = L.grid_h;
    qa.lut = app.renderer.lut(Colormap::Diverging);
    qa.vmin = -amax;
    qa.vmax = amax;
    qa.mode = QuadMode::HeatOnly;
    app.renderer.draw(qa);
    record_rect(app, "attention_kernel", a0, fsz);
    const float cw = fsz.x / L.grid_w, ch = fsz.y / L.grid_h;
    if (query_token_now(app) >= L.num_prefix()) {
        const ImVec2 a(a0.x + app.q_col * cw, a0.y + app.q_row * ch);
        dl->AddRect(a, ImVec2(a.x + cw, a.y + ch), kQueryColor, 0.0f, 0, 1.5f);
    }

    // Conv kernel: zero everywhere except its k x k pixels around the query.
    dl->AddRectFilled(c0, ImVec2(c0.x + fsz.x, c0.y + fsz.y), diverging_u32(0.5f));
    const float sx = fsz.x / img.width, sy = fsz.y / img.height;
    const float cx = c0.x + (app.q_col + 0.5f) * (fsz.x / L.grid_w), cy = c0.y + (app.q_row + 0.5f) * (fsz.y / L.grid_h);
    const float kpx = res.kernel_px;  // a learned kernel's pixels are the model input's
    const float hw = std::max(0.5f * k.size * kpx * sx, 0.5f), hh = std::max(0.5f * k.size * kpx * sy, 0.5f);
    if (k.channels == 3) {
        dl->AddImage(app.kernel_rgb_tex.imgui_id(), ImVec2(cx - hw, cy - hh), ImVec2(cx + hw, cy + hh));
    } else {
        QuadDraw qc;
        qc.p0 = ImVec2(cx - hw, cy - hh);
        qc.p1 = ImVec2(cx + hw, cy + hh);
        qc.heat = app.kernel_tex.id();
        qc.heat_w = qc.heat_h = k.size;
        qc.lut = app.renderer.lut(Colormap::Diverging);
        const float kv = kernel_vmax(k);
        qc.vmin = -kv;
        qc.vmax = kv;
        qc.glyph = true;
        qc.cell_border_px = 0.0f;
        app.renderer.draw(qc);
    }
    dl->AddCircle(ImVec2(cx, cy), std::max(hw, hh) + 7.0f, kFootprintColor, 24, 1.5f);
    {
        const ImVec2 a(c0.x + app.q_col * cw, c0.y + app.q_row * ch);
        dl->AddRect(a, ImVec2(a.x + cw, a.y + ch), IM_COL32(51, 255, 255, 110), 0.0f, 0, 1.0f);
    }
    record_rect(app, "conv_kernel_at_query", c0, fsz);

    // Readout table.
    ImGui::SetCursorScreenPos(ImVec2(origin.x, a0.y + fsz.y + st.ItemSpacing.y * 2.0f));
    const ImGuiTableFlags tf = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("##readout", 3, tf)) {
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 1.1f);
        ImGui::TableSetupColumn("attention a(q, .)", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("conv w", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableHeadersRow();
        auto row3 = [](const char* name, const std::string& a, const std::string& c) {
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::TextUnformatted(name);
            ImGui::TableSetColumnIndex(1);
            ImGui::TextUnformatted(a.c_str());
            ImGui::TableSetColumnIndex(2);
            ImGui::TextUnformatted(c.c_str());
        };
        const RowStats& s = app.attn_stats;
        const RowStats& c = app.conv_stats;
        const int kk = k.channels * k.size * k.size;
        row3("min", fmt(s.min), fmt(c.min));
        row3("max", fmt(s.max), fmt(c.max));
        row3("sum", fmt(s.sum), fmt(c.sum));
        row3("support", std::to_string(s.support) + " of " + std::to_string(app.row.size()) + " tokens",
             std::to_string(c.support) + " of " + std::to_string(kk) + " (" + std::to_string(k.size) + "x" +
                 std::to_string(k.size) + (k.channels == 3 ? "x3" : "") + " px)");
        row3("entropy (nats)", fmt(s.entropy), fmt(app.conv_entropy) + " of |w|/sum|w|");
        row3("kernel change", app.change_valid ? fmt(app.change_attention) : "-", conv_change_text(app));
        ImGui::EndTable();
    }
    ImGui::End();
}

// ------------------------------------------------------------------------------------
void draw_status_bar(AppState& app, const Rect& r) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h), ImGuiCond_Always);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10.0f, 4.0f));
    ImGui::Begin("##status", nullptr, kPanelFlags | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
    std::string right;
    const WorkerProgress prog = app.worker.progress();
    const float bar_w = std::round(140.0f * app.ui_scale);
    if (prog.busy) right = prog.phase + "...";
    else if (app.result && app.result->error.empty()) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "%s %.0f ms | forward passes %llu", app.result->vit ? "ViT" : "model",
                      app.result->seconds * 1000.0, static_cast<unsigned long long>(app.forward_passes));
        right = buf;
    }
    const float rw = ImGui::CalcTextSize(right.c_str()).x + (prog.busy ? bar_w + 8.0f : 0.0f);
    ImGui::PushClipRect(ImGui::GetCursorScreenPos(),
                        ImVec2(r.x + r.w - rw - 30.0f, r.y + r.h), true);
    if (app.status.empty()) ImGui::TextDisabled("Ready. Ctrl+O opens an image, Ctrl+S saves a screenshot, F1 lists shortcuts.");
    else if (app.status_error) ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", app.status.c_str());
    else ImGui::TextUnformatted(app.status.c_str());
    ImGui::PopClipRect();
    ImGui::SameLine(r.w - rw - 14.0f);
    if (prog.busy) {
        ImGui::TextColored(ImVec4(1.0f, 0.85f, 0.45f, 1.0f), "%s", right.c_str());
        ImGui::SameLine();
        // Known length: a bar; unknown (loading): a sliding block.
        const ImVec2 b0 = ImGui::GetCursorScreenPos();
        const float bh = ImGui::GetTextLineHeight() * 0.55f, y = b0.y + (ImGui::GetTextLineHeight() - bh) * 0.5f;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(ImVec2(b0.x, y), ImVec2(b0.x + bar_w, y + bh), IM_COL32(60, 64, 74, 255), 3.0f);
        if (prog.fraction >= 0) {
            dl->AddRectFilled(ImVec2(b0.x, y), ImVec2(b0.x + bar_w * std::clamp(prog.fraction, 0.0f, 1.0f), y + bh),
                              IM_COL32(255, 200, 90, 255), 3.0f);
        } else {
            const float u = 0.5f + 0.5f * std::sin(static_cast<float>(ImGui::GetTime()) * 3.0f);
            dl->AddRectFilled(ImVec2(b0.x + u * bar_w * 0.75f, y), ImVec2(b0.x + u * bar_w * 0.75f + bar_w * 0.25f, y + bh),
                              IM_COL32(255, 200, 90, 255), 3.0f);
        }
        ImGui::Dummy(ImVec2(bar_w, ImGui::GetTextLineHeight()));
    } else {
        ImGui::TextDisabled("%s", right.c_str());
    }
    ImGui::End();
    ImGui::PopStyleVar(2);
}

void draw_help(AppState& app) {
    if (!app.show_help) return;
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ImGui::Begin("Keyboard shortcuts", &app.show_help, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) {
        static const char* rows[][2] = {
            {"Ctrl+O", "open an image"},          {"Ctrl+Shift+O", "open image B (A/B mode)"},
            {"Ctrl+S", "save a screenshot"},      {"Ctrl+E", "export heatmap, kernel, response"},
            {"Ctrl+Q", "quit"},                   {"Arrow keys", "step the query (pins it)"},
            {"Click", "pin / unpin the query"},   {"Space, Esc", "unpin: the query follows the mouse"},
            {"Home", "centre the query"},         {"Shift+drag", "draw an occlusion rectangle"},
            {"H", "smooth / patch-exact heatmap"}, {"C", "next colormap"},
            {"F", "conv footprint on/off"},       {"B", "A/B mode on/off"},
            {"R", "reset perturbations"},         {"F1", "this window"},
            {"Drop a file", "open it (two files: A and B)"},
            {"Ctrl+M", "open a checkpoint (.safetensors)"}, {"Drop a .safetensors", "use that checkpoint"},
            {"[  ]", "previous / next layer"},    {",  .", "previous / next head (then mean, max)"},
            {"P / K / O", "query a patch / CLS / rollout"}, {"T", "mass-threshold mask on/off"},
            {"Click a thumbnail", "view that layer and head"},
            {"G / Shift+G", "next / previous conv filter (bank, user, bilateral)"},
        };
        if (ImGui::BeginTable("##keys", 2, ImGuiTableFlags_RowBg)) {
            for (const auto& r : rows) {
                ImGui::TableNextRow();
                ImGui::TableSetColumnIndex(0);
                ImGui::TextColored(ImVec4(0.55f, 0.8f, 1.0f, 1.0f), "%s", r[0]);
                ImGui::TableSetColumnIndex(1);
                ImGui::TextUnformatted(r[1]);
            }
            ImGui::EndTable();
        }
    }
    ImGui::End();
}

void handle_shortcuts(AppState& app) {
    ImGuiIO& io = ImGui::GetIO();
    if (app.screenshot_mode || app.browser.is_open()) return;
    auto pressed = [](int key) { return ImGui::IsKeyPressed(key, false); };
    auto pressed_rep = [](int key) { return ImGui::IsKeyPressed(key, true); };
    if (io.KeyCtrl) {
        if (pressed(GLFW_KEY_O)) open_image_dialog(app, io.KeyShift);
        if (pressed(GLFW_KEY_S)) app.screenshot_countdown = 1;
        if (pressed(GLFW_KEY_E)) app.export_requested = true;
        if (pressed(GLFW_KEY_Q)) app.quit = true;
        if (pressed(GLFW_KEY_M)) open_checkpoint_dialog(app);
        return;
    }
    if (io.WantTextInput) return;
    if (pressed(GLFW_KEY_F1)) app.show_help = !app.show_help;
    const TokenLayout* g = app.grid();
    if (g) {
        int dr = 0, dc = 0;
        if (pressed_rep(GLFW_KEY_LEFT)) dc = -1;
        if (pressed_rep(GLFW_KEY_RIGHT)) dc = 1;
        if (pressed_rep(GLFW_KEY_UP)) dr = -1;
        if (pressed_rep(GLFW_KEY_DOWN)) dr = 1;
        if (dr || dc) {
            set_query_kind(app, QueryKind::Patch);  // stepping means a patch query
            set_query(app, app.q_row + dr, app.q_col + dc);
            app.pinned = true;
        }
        if (pressed(GLFW_KEY_HOME)) {
            set_query_kind(app, QueryKind::Patch);
            set_query(app, g->grid_h / 2, g->grid_w / 2);
            app.pinned = true;
        }
    }
    if (pressed(GLFW_KEY_SPACE)) app.pinned = !app.pinned;
    if (pressed(GLFW_KEY_ESCAPE)) app.pinned = false;
    if (pressed(GLFW_KEY_H)) app.smooth = !app.smooth;
    if (pressed(GLFW_KEY_F)) app.show_footprint = !app.show_footprint;
    if (pressed(GLFW_KEY_C)) {
        const int n = static_cast<int>(display_colormap_names().size());
        app.opts.colormap = static_cast<Colormap>((static_cast<int>(app.opts.colormap) + 1) % n);
    }
    if (pressed(GLFW_KEY_R)) reset_perturbations(app);
    if (pressed_rep(GLFW_KEY_LEFT_BRACKET)) step_layer(app, -1);
    if (pressed_rep(GLFW_KEY_RIGHT_BRACKET)) step_layer(app, 1);
    if (pressed_rep(GLFW_KEY_COMMA)) step_head(app, -1);
    if (pressed_rep(GLFW_KEY_PERIOD)) step_head(app, 1);
    if (pressed(GLFW_KEY_P)) set_query_kind(app, QueryKind::Patch);
    if (pressed(GLFW_KEY_K) && g && g->num_prefix() > 0) set_query_kind(app, QueryKind::Prefix, 0);
    if (pressed(GLFW_KEY_O)) set_query_kind(app, QueryKind::Rollout, 0);
    if (pressed(GLFW_KEY_T)) app.mask_on = !app.mask_on;
    if (pressed(GLFW_KEY_G)) step_filter(app, io.KeyShift ? -1 : 1);
    if (pressed(GLFW_KEY_B) && app.image_b) {
        app.ab_mode = !app.ab_mode;
        request_compute(app);
    }
}

}  // namespace ks::gui
