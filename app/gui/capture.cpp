#include "capture.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "family_ui.h"
#include "io/file_output.h"
#include "layout_audit.h"

namespace ks::gui {

namespace fs = std::filesystem;

namespace {

nlohmann::json rect_json(const Rect& r, float sx, float sy) {
    return {{"x", static_cast<int>(std::lround(r.x * sx))},
            {"y", static_cast<int>(std::lround(r.y * sy))},
            {"w", static_cast<int>(std::lround(r.w * sx))},
            {"h", static_cast<int>(std::lround(r.h * sy))}};
}

}  // namespace

void save_window_png(AppState& app, GLFWwindow* win, const std::string& path, bool sidecar) {
    int fw = 0, fh = 0, ww = 0, wh = 0;
    glfwGetFramebufferSize(win, &fw, &fh);
    glfwGetWindowSize(win, &ww, &wh);
    const auto rgb = read_back_buffer(fw, fh);
    write_file_atomic(path, png_bytes(rgb, fw, fh));
    if (!sidecar) return;
    const ImVec2 sc = ImGui::GetIO().DisplayFramebufferScale;
    nlohmann::json j;
    j["png"] = {{"width", fw}, {"height", fh}};
    j["window"] = {{"width", ww}, {"height", wh}};
    j["framebuffer_scale"] = {sc.x, sc.y};
    nlohmann::json panels = nlohmann::json::object();
    for (const auto& [name, r] : app.rects) panels[name] = rect_json(r, sc.x, sc.y);
    j["panels"] = panels;
    nlohmann::json cut = nlohmann::json::array();
    for (const TextCut& c : text_cut())
        cut.push_back({{"where", c.where}, {"kind", c.kind}, {"over_px", static_cast<int>(std::lround(c.over_px * sc.x))}});
    j["cut"] = cut;
    j["query"] = {{"row", app.q_row}, {"col", app.q_col}};
    j["forward_passes"] = app.forward_passes;
    j["timing_ms"] = {{"first_frame", app.first_frame_ms}, {"first_result", app.first_result_ms}};
    family_ui(app).model_json(app, j, true);
    if (app.resnet_beside()) add_resnet_json(*app.result, j);   // the second slot holds a ResNet
    const char* kinds[] = {"patch", "prefix", "rollout"};
    const char* reduces[] = {"single", "mean", "max"};
    j["view"] = {{"layer", app.view.layer},
                 {"head", app.view.head},
                 {"reduce", reduces[static_cast<int>(app.view.reduce)]},
                 {"kind", kinds[static_cast<int>(app.view.kind)]},
                 {"prefix", app.view.prefix},
                 {"mask", app.mask_on ? app.mask_t : 0.0f}};
    if (const TokenLayout* g = app.grid()) j["grid"] = {{"rows", g->grid_h}, {"cols", g->grid_w}, {"patch", g->patch}};
    j["image"] = app.path_a;
    if (app.second_image_shown()) j["image_b"] = app.path_b;
    if (app.show_analyses) j["analyses"] = {{"hf_share_attention", app.hf_share_attention}, {"hf_share_conv", app.hf_share_conv}};
    const char* b_modes[] = {"perturbed", "second", "off"};
    j["b_mode"] = b_modes[static_cast<int>(app.b_mode)];
    // The picture's numbers: attention's kernel change (null until A and B rows were
    // compared), the chosen fixed conv's, and the data-dependent (bilateral) conv's.
    j["kernel_change"] = kernel_changes_json(app.changes);
    add_maps_json(app, j);
    const HeadsGridFit& g = app.heads_fit;
    if (g.rows > 0)
        j["heads_grid"] = {{"cell_w", g.cell_w},
                           {"cell_h", g.cell_h},
                           {"rows", g.rows},
                           {"cols", g.cols},
                           {"in_centre", app.center_view == CenterView::Heads},
                           {"distances_shown", g.distances_shown},
                           {"row_label_every", g.row_label_every},
                           {"col_label_every", g.col_label_every}};
    j["filter"] = app.opts.filter;
    j["colormap"] = colormap_names()[static_cast<size_t>(app.opts.colormap)];
    write_file_atomic(path + ".json", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

void add_maps_json(const AppState& app, nlohmann::json& j) {
    const HeatScale& s = app.maps.scale;
    auto map = [](const PatchHeat& h, double lit) {
        const bool q = h.query_patch >= 0 && static_cast<size_t>(h.query_patch) < h.values.size();
        return nlohmann::json{{"lit_share", lit},
                              {"patches", h.values.size()},
                              {"query_value", q ? nlohmann::json(h.values[static_cast<size_t>(h.query_patch)]) : nlohmann::json()}};
    };
    j["maps"] = {{"scale", {{"lo", s.lo}, {"hi", s.hi}, {"log", s.log}, {"query_left_out", app.heat_opts.exclude_query}}},
                 {"attention_a", map(app.maps.heat_a, app.maps.lit_share_a)},
                 {"attention_b", map(app.maps.heat_b, app.maps.lit_share_b)}};
}

void save_script_screenshot(AppState& app, GLFWwindow* win, const std::string& path) {
    save_window_png(app, win, path, true);
}

void save_screenshot_interactive(AppState& app, GLFWwindow* win) {
    try {
        std::error_code ec;
        fs::create_directories(app.screenshot_dir, ec);
        const std::string path = unique_path(app.screenshot_dir, timestamp_name("kernelscope"), ".png");
        save_window_png(app, win, path, false);
        app.set_status("Saved screenshot " + path);
    } catch (const std::exception& e) {
        app.set_status(e.what(), true);
    }
}

void choose_screenshot_dir(AppState& app) {
    app.browser.open("Screenshot folder", FileBrowser::Mode::PickFolder, app.screenshot_dir, [&app](const std::string& p) {
        app.screenshot_dir = p;
        ImGui::MarkIniSettingsDirty();
        app.set_status("Screenshots go to " + p);
    });
}

}  // namespace ks::gui
