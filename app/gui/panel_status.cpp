// The status line, the keyboard-shortcut window and the shortcuts themselves.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app_state.h"
#include "family_ui.h"
#include "export_head_maps.h"
#include "panel_util.h"
#include "panel_widgets.h"
#include "session.h"
#include "attention/views.h"

namespace ks::gui {

namespace {

std::string duration_text(double ms) {
    char buf[32];
    if (ms < 1000.0) std::snprintf(buf, sizeof buf, "%.0f ms", ms);
    else std::snprintf(buf, sizeof buf, "%.1f s", ms / 1000.0);
    return buf;
}

}  // namespace

void draw_status_bar(AppState& app, const Rect& r) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h), ImGuiCond_Always);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10.0f, 4.0f));
    ImGui::Begin("##status", nullptr, kPanelFlags | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
    std::string right;
    WorkerProgress prog = app.worker.progress();
    if (!prog.busy && app.loader.busy()) {  // the spinner while an image decodes off-thread
        prog.busy = true;
        prog.phase = "loading the image";
        prog.fraction = -1.0f;
    }
    if (!prog.busy && app.export_job && !app.export_job->done) {  // Ctrl+E: the job's own fraction
        prog.busy = true;
        prog.phase = "exporting";
        prog.fraction = app.export_job->progress;
    }
    const float bar_w = std::round(140.0f * app.ui_scale);
    if (prog.busy) right = prog.phase + "...";
    else if (app.result && app.result->error.empty()) {
        // What the user waited for this picture (loading included), then the model's own part.
        char buf[160];
        const char* who = family_ui(app).short_name;
        const double compute_ms = app.result->seconds * 1000.0;
        if (app.last_wait_ms >= 0 && app.last_wait_ms > 1.5 * compute_ms + 50.0)
            std::snprintf(buf, sizeof buf, "%s: shown after %s (compute %.0f ms) | forward passes %llu", who,
                          duration_text(app.last_wait_ms).c_str(), compute_ms, static_cast<unsigned long long>(app.forward_passes));
        else
            std::snprintf(buf, sizeof buf, "%s %.0f ms | forward passes %llu", who, compute_ms,
                          static_cast<unsigned long long>(app.forward_passes));
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
            {"Ctrl+S", "save a screenshot"},      {"Ctrl+E", "export numbers and pictures (as render)"},
            {"Ctrl+Shift+S", "save the session (File > Open session... reopens it)"},
            {"Ctrl+Shift+E", "export every head's map (this layer and query)"},
            {"Ctrl+Q", "quit"},                   {"Arrow keys", "step the query (pins it)"},
            {"Click", "pin / unpin the query"},   {"Space, Esc", "unpin: the query follows the mouse"},
            {"Home", "centre the query"},         {"Shift+drag", "draw an occlusion rectangle"},
            {"Wheel, right-drag", "zoom, pan the pictures (A, B together)"}, {"Z", "whole picture (zoom 1)"},
            {"H", "smooth / patch-exact heatmap"}, {"C", "next colormap"},
            {"F", "conv footprint on/off"},       {"B", "B = A perturbed / second image / off"},
            {"L", "log colour scale on/off"},     {"X", "leave the query patch out of the scale"},
            {"N", "renormalise over patches (ViT: CLS not drawn)"},
            {"A", "Analyses: attention distance, Fourier, spectra"},
            {"R", "reset perturbations"},         {"F1", "this window"},
            {"Drop a file", "open it (two files: A and B)"},
            {"Ctrl+M", "open a checkpoint (.safetensors)"}, {"Drop a .safetensors", "use that checkpoint"},
            {"[  ]", "previous / next layer"},    {",  .", "previous / next head (then mean, max)"},
            {"P / K / O", "query a patch / CLS / rollout"}, {"T", "mass-threshold mask on/off"},
            {"Click a thumbnail", "view that layer and head"}, {"V", "ViT: all heads in the centre / the comparison"},
            {"G / Shift+G", "next / previous conv filter (bank, user, bilateral, dynamic)"},
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
    if (app.screenshot_mode) return;
    auto pressed = [](int key) { return ImGui::IsKeyPressed(key, false); };
    auto pressed_rep = [](int key) { return ImGui::IsKeyPressed(key, true); };
    if (io.KeyCtrl) {
        // A screenshot and the exports work with a dialog open (they read what is on
        // screen); another dialog does not open over it, and the status line says so.
        const bool session = pressed(GLFW_KEY_S) && io.KeyShift;   // Ctrl+Shift+S: save the session
        if (pressed(GLFW_KEY_S) && !io.KeyShift) app.screenshot_countdown = 1;
        if (pressed(GLFW_KEY_E)) {
            if (io.KeyShift) start_head_maps_export(app);   // Ctrl+Shift+E
            else app.export_requested = true;
        }
        if (pressed(GLFW_KEY_Q)) app.quit = true;
        const bool dialog = pressed(GLFW_KEY_O) || pressed(GLFW_KEY_M) || session;
        if (dialog && app.browser.is_open())
            app.set_status("A file dialog is already open: choose a file there, or press Esc to close it first.", true);
        else if (pressed(GLFW_KEY_O)) open_image_dialog(app, io.KeyShift);
        else if (pressed(GLFW_KEY_M)) open_checkpoint_dialog(app);
        else if (session) save_session_dialog(app);
        return;
    }
    if (io.WantTextInput || app.browser.is_open()) return;
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
    if (pressed(GLFW_KEY_ESCAPE)) {
        // Esc closes the help first; with nothing open it unpins the query.
        if (app.show_help) app.show_help = false;
        else app.pinned = false;
    }
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
    if (pressed(GLFW_KEY_B)) {
        // One key through the three choices; "second image" only when there is one.
        BMode next = app.b_mode == BMode::Perturbed ? BMode::Second : app.b_mode == BMode::Second ? BMode::Off : BMode::Perturbed;
        if (next == BMode::Second && !app.image_b) next = BMode::Off;
        set_b_mode(app, next);
    }
    if (pressed(GLFW_KEY_A)) app.show_analyses = !app.show_analyses;
    if (pressed(GLFW_KEY_Z)) app.zoom = PictureZoom{};
    if (pressed(GLFW_KEY_V) && family_ui(app).has_heads)
        app.center_view = app.center_view == CenterView::Heads ? CenterView::Comparison : CenterView::Heads;
    if (pressed(GLFW_KEY_L)) app.heat_opts.log_scale = !app.heat_opts.log_scale;
    if (pressed(GLFW_KEY_X)) app.heat_opts.exclude_query = !app.heat_opts.exclude_query;
    if (pressed(GLFW_KEY_N)) app.heat_opts.patches_only = !app.heat_opts.patches_only;
}

}  // namespace ks::gui
