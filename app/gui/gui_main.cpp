// The desktop app: window, OpenGL context, ImGui, the frame loop, layout, file
// actions and the --screenshot mode used by scripts and the GUI test.
#include "gui_main.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <imgui_internal.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app_state.h"
#include "file_output.h"
#include "patch_grid.h"
#include "safetensors.h"
#include "script.h"

namespace fs = std::filesystem;

namespace ks::gui {

namespace {

AppState* g_app = nullptr;  // for the GLFW drop callback
volatile std::sig_atomic_t g_stop = 0;  // Ctrl+C / SIGTERM: leave the loop so settings are saved

extern "C" void on_stop_signal(int) { g_stop = 1; }

void drop_callback(GLFWwindow*, int count, const char** paths) {
    if (!g_app) return;
    for (int i = 0; i < count; ++i) g_app->dropped.emplace_back(paths[i]);
}

void glfw_error_callback(int, const char*) {
    // Reported once, as a sentence, where window creation fails.
}

std::string default_image() { return std::string(KS_ASSETS_DIR) + "/images/astronaut.png"; }

// ---- imgui.ini section for the app's own state ----
void* ini_open(ImGuiContext*, ImGuiSettingsHandler*, const char* name) {
    return std::strcmp(name, "State") == 0 ? reinterpret_cast<void*>(1) : nullptr;
}

void ini_read_line(ImGuiContext*, ImGuiSettingsHandler* h, void*, const char* line) {
    auto* app = static_cast<AppState*>(h->UserData);
    int w = 0, hh = 0;
    float f = 0;
    if (std::sscanf(line, "Window=%d,%d", &w, &hh) == 2) {
        if (w >= 400 && hh >= 300 && w <= 16384 && hh <= 16384) { app->window_w = w; app->window_h = hh; }
    } else if (std::sscanf(line, "Sidebar=%f", &f) == 1) {
        app->layout.sidebar_w = std::clamp(f, 200.0f, 2000.0f);
    } else if (std::sscanf(line, "RightFrac=%f", &f) == 1) {
        app->layout.right_frac = std::clamp(f, 0.15f, 0.7f);
    } else if (std::sscanf(line, "ConvFrac=%f", &f) == 1) {
        app->layout.conv_frac = std::clamp(f, 0.15f, 0.85f);
    } else if (std::sscanf(line, "HeadsFrac=%f", &f) == 1) {
        app->layout.heads_frac = std::clamp(f, 0.12f, 0.7f);
    } else if (std::strncmp(line, "ScreenshotDir=", 14) == 0 && line[14]) {
        app->screenshot_dir = line + 14;
    } else if (std::sscanf(line, "Smooth=%d", &w) == 1) {
        app->smooth = w != 0;
    }
}

void ini_write_all(ImGuiContext*, ImGuiSettingsHandler* h, ImGuiTextBuffer* buf) {
    const auto* app = static_cast<const AppState*>(h->UserData);
    buf->appendf("[%s][State]\n", h->TypeName);
    buf->appendf("Window=%d,%d\n", app->window_w, app->window_h);
    buf->appendf("Sidebar=%.1f\n", app->layout.sidebar_w);
    buf->appendf("RightFrac=%.4f\n", app->layout.right_frac);
    buf->appendf("ConvFrac=%.4f\n", app->layout.conv_frac);
    buf->appendf("HeadsFrac=%.4f\n", app->layout.heads_frac);
    buf->appendf("ScreenshotDir=%s\n", app->screenshot_dir.c_str());
    buf->appendf("Smooth=%d\n", app->smooth ? 1 : 0);
    buf->append("\n");
}

void register_settings(AppState& app) {
    ImGuiSettingsHandler h;
    h.TypeName = "KernelScope";
    h.TypeHash = ImHashStr("KernelScope");
    h.ReadOpenFn = ini_open;
    h.ReadLineFn = ini_read_line;
    h.WriteAllFn = ini_write_all;
    h.UserData = &app;
    ImGui::GetCurrentContext()->SettingsHandlers.push_back(h);
}

void apply_theme(float scale) {
    ImGui::StyleColorsDark();
    ImGuiStyle& s = ImGui::GetStyle();
    s.WindowRounding = 6.0f;
    s.ChildRounding = 4.0f;
    s.FrameRounding = 4.0f;
    s.PopupRounding = 4.0f;
    s.GrabRounding = 4.0f;
    s.ScrollbarRounding = 6.0f;
    s.TabRounding = 4.0f;
    s.WindowPadding = ImVec2(12, 10);
    s.FramePadding = ImVec2(8, 4);
    s.ItemSpacing = ImVec2(8, 6);
    s.ItemInnerSpacing = ImVec2(6, 4);
    s.WindowBorderSize = 1.0f;
    s.FrameBorderSize = 0.0f;
    s.WindowTitleAlign = ImVec2(0.0f, 0.5f);
    s.GrabMinSize = 12.0f;
    ImVec4* c = s.Colors;
    const ImVec4 accent(0.30f, 0.62f, 0.95f, 1.0f);
    c[ImGuiCol_Text] = ImVec4(0.90f, 0.91f, 0.93f, 1.0f);
    c[ImGuiCol_TextDisabled] = ImVec4(0.55f, 0.57f, 0.62f, 1.0f);
    c[ImGuiCol_WindowBg] = ImVec4(0.105f, 0.11f, 0.125f, 1.0f);
    c[ImGuiCol_PopupBg] = ImVec4(0.12f, 0.125f, 0.145f, 0.98f);
    c[ImGuiCol_Border] = ImVec4(0.22f, 0.23f, 0.27f, 1.0f);
    c[ImGuiCol_FrameBg] = ImVec4(0.17f, 0.18f, 0.21f, 1.0f);
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.22f, 0.24f, 0.29f, 1.0f);
    c[ImGuiCol_FrameBgActive] = ImVec4(0.25f, 0.28f, 0.34f, 1.0f);
    c[ImGuiCol_TitleBg] = ImVec4(0.085f, 0.09f, 0.105f, 1.0f);
    c[ImGuiCol_TitleBgActive] = ImVec4(0.12f, 0.15f, 0.21f, 1.0f);
    c[ImGuiCol_MenuBarBg] = ImVec4(0.085f, 0.09f, 0.105f, 1.0f);
    c[ImGuiCol_Button] = ImVec4(0.20f, 0.25f, 0.33f, 1.0f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.26f, 0.36f, 0.50f, 1.0f);
    c[ImGuiCol_ButtonActive] = accent;
    c[ImGuiCol_Header] = ImVec4(0.20f, 0.25f, 0.33f, 1.0f);
    c[ImGuiCol_HeaderHovered] = ImVec4(0.26f, 0.36f, 0.50f, 1.0f);
    c[ImGuiCol_HeaderActive] = accent;
    c[ImGuiCol_SliderGrab] = accent;
    c[ImGuiCol_SliderGrabActive] = ImVec4(0.45f, 0.72f, 1.0f, 1.0f);
    c[ImGuiCol_CheckMark] = ImVec4(0.45f, 0.75f, 1.0f, 1.0f);
    c[ImGuiCol_PlotHistogram] = ImVec4(0.40f, 0.70f, 1.0f, 1.0f);
    c[ImGuiCol_TableHeaderBg] = ImVec4(0.15f, 0.16f, 0.19f, 1.0f);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(1.0f, 1.0f, 1.0f, 0.03f);
    c[ImGuiCol_Separator] = ImVec4(0.25f, 0.27f, 0.32f, 1.0f);
    s.ScaleAllSizes(scale);
}

void load_fonts(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    const float px = std::round(16.0f * scale);
    static const char* candidates[] = {
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    };
    for (const char* f : candidates) {
        std::error_code ec;
        if (fs::exists(f, ec)) {
            ImFontConfig cfg;
            cfg.OversampleH = 2;
            cfg.PixelSnapH = true;
            if (io.Fonts->AddFontFromFileTTF(f, px, &cfg)) return;
        }
    }
    // No system font: ImGui's built-in one, scaled to a readable size.
    ImFontConfig cfg;
    cfg.SizePixels = std::round(13.0f * std::max(1.0f, scale));
    io.Fonts->AddFontDefault(&cfg);
}

struct PanelRects {
    Rect controls, image, conv, compare, status;
    Rect heads;                                    // ViT only: the layers x heads grid under the image
    Rect split_sidebar, split_right, split_conv, split_heads;  // draggable gaps
};

PanelRects compute_layout(AppState& app) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float W = vp->Size.x, H = vp->Size.y;
    const float s = app.ui_scale;
    const float gap = std::round(6.0f * s);
    const float menu_h = ImGui::GetFrameHeight();
    const float status_h = ImGui::GetTextLineHeight() + 8.0f * s;
    const float top = vp->Pos.y + menu_h + gap, bottom = vp->Pos.y + H - status_h - gap;
    const float x0 = vp->Pos.x + gap, x1 = vp->Pos.x + W - gap;
    Layout& L = app.layout;
    float sw = std::clamp(L.sidebar_w * s, 220.0f * s, std::max(220.0f * s, W * 0.4f));
    float rw = std::clamp(L.right_frac, 0.15f, 0.7f) * W;
    const float min_img = 200.0f * s;
    if (W - sw - rw - 4 * gap < min_img) rw = std::max(120.0f * s, W - sw - 4 * gap - min_img);
    const float ch = (bottom - top - gap) * std::clamp(L.conv_frac, 0.15f, 0.85f);
    PanelRects p;
    p.controls = {x0, top, sw, bottom - top};
    p.split_sidebar = {x0 + sw, top, gap, bottom - top};
    const float ix = x0 + sw + gap, iw = x1 - rw - gap - ix;
    p.image = {ix, top, iw, bottom - top};
    if (app.vit_shown()) {
        // The heads grid shares the image column: it is about the same query.
        const float hh = std::round((bottom - top - gap) * std::clamp(L.heads_frac, 0.12f, 0.7f));
        p.image.h = bottom - top - gap - hh;
        p.split_heads = {ix, top + p.image.h, iw, gap};
        p.heads = {ix, top + p.image.h + gap, iw, hh};
    }
    p.split_right = {ix + iw, top, gap, bottom - top};
    const float rx = x1 - rw;
    p.conv = {rx, top, rw, ch};
    p.split_conv = {rx, top + ch, rw, gap};
    p.compare = {rx, top + ch + gap, rw, bottom - top - ch - gap};
    p.status = {vp->Pos.x, vp->Pos.y + H - status_h, W, status_h};
    return p;
}

// Invisible buttons in the gaps between panels: drag to resize.
void draw_splitters(AppState& app, const PanelRects& p) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::Begin("##splitters", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav |
                     ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoScrollWithMouse);
    const ImGuiIO& io = ImGui::GetIO();
    const float W = vp->Size.x;
    auto splitter = [&](const char* id, const Rect& r, bool vertical) -> float {
        ImGui::SetCursorScreenPos(ImVec2(r.x, r.y));
        ImGui::InvisibleButton(id, ImVec2(std::max(r.w, 1.0f), std::max(r.h, 1.0f)));
        if (ImGui::IsItemHovered() || ImGui::IsItemActive())
            ImGui::SetMouseCursor(vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
        if (ImGui::IsItemActive()) {
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(r.x, r.y), ImVec2(r.x + r.w, r.y + r.h),
                                                      ImGui::GetColorU32(ImGuiCol_SeparatorActive), 2.0f);
            return vertical ? io.MouseDelta.x : io.MouseDelta.y;
        }
        return 0.0f;
    };
    const float d1 = splitter("##split_sidebar", p.split_sidebar, true);
    const float d2 = splitter("##split_right", p.split_right, true);
    const float d3 = splitter("##split_conv", p.split_conv, false);
    const float d4 = p.heads.h > 0 ? splitter("##split_heads", p.split_heads, false) : 0.0f;
    if (d4 != 0.0f) {
        const float col_h = p.image.h + p.heads.h;
        app.layout.heads_frac = std::clamp(app.layout.heads_frac - d4 / std::max(col_h, 1.0f), 0.12f, 0.7f);
    }
    if (d1 != 0.0f) app.layout.sidebar_w = std::max(200.0f, app.layout.sidebar_w + d1 / app.ui_scale);
    if (d2 != 0.0f) app.layout.right_frac = std::clamp(app.layout.right_frac - d2 / W, 0.15f, 0.7f);
    if (d3 != 0.0f) {
        const float col_h = p.conv.h + p.compare.h;
        app.layout.conv_frac = std::clamp(app.layout.conv_frac + d3 / std::max(col_h, 1.0f), 0.15f, 0.85f);
    }
    if (d1 != 0.0f || d2 != 0.0f || d3 != 0.0f || d4 != 0.0f) ImGui::MarkIniSettingsDirty();
    ImGui::End();
}

void post_if_dirty(AppState& app) {
    if (!app.request_dirty || !app.image_a) return;
    ComputeRequest req;
    req.id = app.next_request++;
    req.image_a = app.image_a;
    req.image_a_version = app.image_version;
    if (app.ab_mode && app.image_b) req.image_b = app.image_b;
    req.perturb = app.perturb;
    req.sim = app.opts.sim;
    req.model = app.model;
    req.filter = app.opts.filter;
    req.gaussian_sigma = app.opts.gaussian_sigma;
    app.last_posted = req.id;
    app.worker.post(std::move(req));
    app.request_dirty = false;
}

// Takes a finished result. Returns false (with the message) when the model failed.
bool pick_up_result(AppState& app, std::string* error) {
    auto r = app.worker.take();
    if (!r) return true;
    app.forward_passes = r->forward_passes;
    if (!r->error.empty()) {
        *error = r->error;
        app.set_status(r->error, true);  // the last good result stays on screen
        if (r->model_failed && r->id == app.last_posted) {
            // A checkpoint that does not load leaves the model that was there.
            app.model.weights_path = app.model_fallback;
            if (app.opts.filter.rfind("patch_embed[", 0) == 0 && app.model_fallback.empty()) app.opts.filter = "sobel_x";
            request_compute(app);
        }
        return false;
    }
    if (r->vit) {
        app.model_fallback = r->weights_path;
        if (app.result && app.result->weights_path != r->weights_path) app.set_status("Loaded " + r->weights_path);
    }
    if (app.launch_checks_pending) {
        // --query / --layer / --head checked against the model's real grid and size.
        app.launch_checks_pending = false;
        ViewSpec v = app.opts.view;
        if (app.launch_query) {
            v.row = app.launch_query->first;
            v.col = app.launch_query->second;
        } else {
            v.row = r->current->layout.grid_h / 2;
            v.col = r->current->layout.grid_w / 2;
        }
        try {
            (void)view_row(*r->current, v);
        } catch (const std::exception& e) {
            *error = e.what();
            app.set_status(e.what(), true);
            if (app.screenshot_mode) return false;
        }
        if (app.launch_query) {
            app.q_row = app.launch_query->first;
            app.q_col = app.launch_query->second;
            app.have_query = true;
            app.pinned = true;
        }
    }
    const TokenLayout* old = app.grid();
    const TokenLayout& now = r->current->layout;
    if (old && (old->grid_h != now.grid_h || old->grid_w != now.grid_w)) {
        // Keep the query at the same place in the picture on a new grid.
        app.q_row = static_cast<int>((app.q_row + 0.5f) * now.grid_h / old->grid_h);
        app.q_col = static_cast<int>((app.q_col + 0.5f) * now.grid_w / old->grid_w);
    } else if (!app.have_query) {
        app.q_row = now.grid_h / 2;
        app.q_col = now.grid_w / 2;
    }
    app.have_query = true;
    app.q_row = std::clamp(app.q_row, 0, now.grid_h - 1);
    app.q_col = std::clamp(app.q_col, 0, now.grid_w - 1);
    app.result = std::move(r);
    app.settle_frames = 3;
    return true;
}

nlohmann::json rect_json(const Rect& r, float sx, float sy) {
    return {{"x", static_cast<int>(std::lround(r.x * sx))},
            {"y", static_cast<int>(std::lround(r.y * sy))},
            {"w", static_cast<int>(std::lround(r.w * sx))},
            {"h", static_cast<int>(std::lround(r.h * sy))}};
}

// PNG of the back buffer + a sidecar JSON with the panel rectangles in pixels.
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
    j["query"] = {{"row", app.q_row}, {"col", app.q_col}};
    j["forward_passes"] = app.forward_passes;
    j["timing_ms"] = {{"first_frame", app.first_frame_ms}, {"first_result", app.first_result_ms}};
    if (app.result && app.result->vit) {
        const ComputeResult& r = *app.result;
        j["model"] = {{"kind", "vit"},
                      {"weights", r.weights_path},
                      {"layers", r.current->layers},
                      {"heads", r.current->heads},
                      {"tokens", r.current->tokens},
                      {"prefix", r.current->layout.prefix_names},
                      {"input", {r.model_w, r.model_h}}};
    } else {
        j["model"] = {{"kind", "similarity"}};
    }
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
    if (app.ab_mode && app.image_b) j["image_b"] = app.path_b;
    j["filter"] = app.opts.filter;
    j["colormap"] = colormap_names()[static_cast<size_t>(app.opts.colormap)];
    write_file_atomic(path + ".json", j.dump(2) + "\n");
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

// The built-in model's grid follows from the image and patch size, so --query is
// checked before the window opens. Returns the problem as a sentence ("" = fine).
std::string apply_builtin_launch_query(AppState& app, const GuiLaunch& launch) {
    try {
        const PatchGrid g = fit_patch_grid(app.image_a->width, app.image_a->height, app.opts.sim.patch);
        if (!launch.query) return "";
        const auto [qr, qc] = *launch.query;
        if (qr < 0 || qc < 0 || qr >= g.grid_h || qc >= g.grid_w)
            return "The query (" + std::to_string(qr) + ", " + std::to_string(qc) + ") lies outside the " +
                   std::to_string(g.grid_h) + " x " + std::to_string(g.grid_w) + " patch grid; rows run 0.." +
                   std::to_string(g.grid_h - 1) + " and columns 0.." + std::to_string(g.grid_w - 1) + ".";
        app.q_row = qr;
        app.q_col = qc;
        app.have_query = true;
        app.pinned = true;
        return "";
    } catch (const std::exception& e) {
        app.opts.sim.patch = 16;
        return e.what();
    }
}

}  // namespace

// ---- actions ----------------------------------------------------------------------
void request_compute(AppState& app) { app.request_dirty = true; }

void reset_perturbations(AppState& app) {
    app.perturb = Perturbation{};
    app.occluding = false;
    request_compute(app);
}

bool load_image_a(AppState& app, const std::string& path) {
    try {
        auto img = std::make_shared<const Image>(load_image(path));
        app.image_a = std::move(img);
        app.path_a = absolute_path(path);
        ++app.image_version;
        // Geometry that no longer fits the new image is dropped.
        app.perturb.occlusion = PixelRect{};
        app.perturb.dx = std::clamp(app.perturb.dx, -app.image_a->width / 2, app.image_a->width / 2);
        app.perturb.dy = std::clamp(app.perturb.dy, -app.image_a->height / 2, app.image_a->height / 2);
        if (!app.screenshot_mode) app.recent.add(app.path_a);
        app.set_status("Opened " + app.path_a + " (" + std::to_string(app.image_a->width) + " x " +
                       std::to_string(app.image_a->height) + ")");
        request_compute(app);
        return true;
    } catch (const std::exception& e) {
        app.set_status(e.what(), true);
        return false;
    }
}

bool load_image_b(AppState& app, const std::string& path) {
    try {
        app.image_b = std::make_shared<const Image>(load_image(path));
        app.path_b = absolute_path(path);
        app.ab_mode = true;
        if (!app.screenshot_mode) app.recent.add(app.path_b);
        app.set_status("Opened image B " + app.path_b + "; A/B mode is on (B key toggles)");
        request_compute(app);
        return true;
    } catch (const std::exception& e) {
        app.set_status(e.what(), true);
        return false;
    }
}

void open_image_dialog(AppState& app, bool second) {
    const std::string& cur = second && !app.path_b.empty() ? app.path_b : app.path_a;
    const std::string start = cur.empty() ? std::string() : fs::path(cur).parent_path().string();
    app.browser.open(second ? "Open image B" : "Open image", FileBrowser::Mode::OpenFile, start,
                     [&app, second](const std::string& p) {
                         if (second) load_image_b(app, p);
                         else load_image_a(app, p);
                     });
}

void use_checkpoint(AppState& app, const std::string& path) {
    app.model.weights_path = absolute_path(path);
    // Learned filters are per checkpoint: another checkpoint may not have channel c.
    if (app.opts.filter.rfind("patch_embed[", 0) == 0 && app.model.weights_path != app.model_fallback)
        app.opts.filter = "sobel_x";
    app.set_status("Loading " + app.model.weights_path + " ...");
    request_compute(app);
}

void use_builtin_model(AppState& app) {
    if (!app.model.is_vit()) return;
    app.model.weights_path.clear();
    // The learned filters belong to the checkpoint.
    if (app.opts.filter.rfind("patch_embed[", 0) == 0) app.opts.filter = "sobel_x";
    app.set_status("Built-in similarity model");
    request_compute(app);
}

void open_checkpoint_dialog(AppState& app) {
    const std::string& cur = !app.model.weights_path.empty() ? app.model.weights_path : app.model_fallback;
    const std::string start = cur.empty() ? std::string() : fs::path(cur).parent_path().string();
    app.browser.open("Open checkpoint (.safetensors)", FileBrowser::Mode::OpenFile, start,
                     [&app](const std::string& p) { use_checkpoint(app, p); }, FileBrowser::Filter::Checkpoints);
}

void choose_screenshot_dir(AppState& app) {
    app.browser.open("Screenshot folder", FileBrowser::Mode::PickFolder, app.screenshot_dir, [&app](const std::string& p) {
        app.screenshot_dir = p;
        ImGui::MarkIniSettingsDirty();
        app.set_status("Screenshots go to " + p);
    });
}

void export_panels(AppState& app) {
    if (!app.result || !app.result->error.empty() || !app.result->shown || app.heat.empty()) {
        app.set_status("Nothing to export yet: the model is still computing.", true);
        return;
    }
    try {
        const ComputeResult& r = *app.result;
        const std::string base = timestamp_name("kernelscope_" + fs::path(app.path_a).stem().string());
        const std::vector<std::string> parts = {"_heatmap", "_kernel", "_conv"};
        std::string stem = base;
        for (int i = 2;; ++i) {  // never overwrite: all three names must be free
            bool taken = false;
            for (const auto& s : parts) taken |= fs::exists(fs::path(app.screenshot_dir) / (stem + s + ".png"));
            if (!taken) break;
            stem = base + "_" + std::to_string(i);
        }
        auto png = [](const Image& im) { return png_bytes(to_rgb8(im), im.width, im.height); };
        std::vector<std::pair<std::string, std::string>> files;
        files.emplace_back(stem + "_heatmap.png", png(heatmap_overlay(*r.shown, app.heat, r.current->layout, app.opts.colormap,
                                                                      app.opts.opacity, app.q_row, app.q_col)));
        files.emplace_back(stem + "_kernel.png", png(kernel_picture(r.kernel)));
        files.emplace_back(stem + "_conv.png", png(response_picture(r.response)));
        write_files(app.screenshot_dir, files);
        app.set_status("Exported " + stem + "_{heatmap,kernel,conv}.png to " + app.screenshot_dir);
    } catch (const std::exception& e) {
        app.set_status(e.what(), true);
    }
}

// ---- entry point --------------------------------------------------------------------
int run_gui(const GuiLaunch& launch) {
    auto app_ptr = std::make_unique<AppState>();
    AppState& app = *app_ptr;
    app.screenshot_mode = launch.screenshot_path.has_value();
    app.opts = launch.options;
    app.mask_on = launch.options.mass_threshold > 0;
    if (app.mask_on) app.mask_t = launch.options.mass_threshold;
    if (launch.weights_path) {
        app.model.weights_path = absolute_path(*launch.weights_path);
        app.model.config_path = launch.config_path.value_or("");
        app.model.overrides = launch.vit_overrides;
        app.overrides_edit = launch.vit_overrides;
    }
    app.model.resize = launch.vit_resize;
    if (static_cast<int>(app.opts.colormap) >= static_cast<int>(display_colormap_names().size()))
        app.opts.colormap = Colormap::Inferno;
    app.window_w = launch.width;
    app.window_h = launch.height;
    app.screenshot_dir = default_screenshot_dir();
    const bool scripted = launch.script_path.has_value();
    std::vector<ScriptCommand> script_cmds;
    if (scripted) {
        // A scripted run never writes into the user's Pictures; a temp config may say otherwise.
        std::error_code ec;
        app.screenshot_dir = fs::temp_directory_path(ec).string();
        if (ec) app.screenshot_dir = ".";
    }

    auto fail = [](const std::string& msg, int code) {
        std::cerr << "kernelscope: " << msg << "\n";
        return code;
    };
    if (scripted) {
        try {
            script_cmds = parse_script(*launch.script_path);
        } catch (const std::exception& e) {
            return fail(e.what(), 2);
        }
    }

    // Inputs first: a bad image or query is reported before any window opens.
    const std::string path_a = launch.image_path.value_or(default_image());
    if (!load_image_a(app, path_a)) {
        if (app.screenshot_mode || scripted || !launch.image_path) return fail(app.status, 2);
        const std::string err = app.status;
        if (!load_image_a(app, default_image())) return fail(app.status, 2);
        app.set_status(err, true);
    }
    if (launch.second_image_path && !load_image_b(app, *launch.second_image_path)) {
        if (app.screenshot_mode) return fail(app.status, 2);
    }
    if (app.model.is_vit()) {
        // The grid, layers and heads are the checkpoint's: checked when it has loaded.
        app.launch_query = launch.query;
        app.launch_checks_pending = true;
    } else {
        const std::string err = apply_builtin_launch_query(app, launch);
        if (!err.empty()) {
            if (app.screenshot_mode) return fail(err, 2);
            app.set_status(err, true);
        }
    }
    post_if_dirty(app);  // start the model while the window opens

    glfwSetErrorCallback(glfw_error_callback);
    if (!glfwInit())
        return fail("Cannot start the desktop app: no display is available (set DISPLAY, or use 'kernelscope render' for files).", 1);

    // ImGui before the window so imgui.ini can give the window its saved size.
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    register_settings(app);
    if (app.screenshot_mode || (scripted && !script_may_use_config())) {
        io.IniFilename = nullptr;  // a screenshot is reproducible: no saved layout; a script leaves the user's alone
    } else {
        app.config_dir = config_dir();
        if (!app.config_dir.empty()) {
            app.ini_path = app.config_dir + "/imgui.ini";
            io.IniFilename = app.ini_path.c_str();
            ImGui::LoadIniSettingsFromDisk(app.ini_path.c_str());
            app.recent.load(app.config_dir + "/recent.txt");
            if (!app.path_b.empty()) app.recent.add(app.path_b);
            if (!app.path_a.empty()) app.recent.add(app.path_a);
        } else {
            io.IniFilename = nullptr;
        }
    }

    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_RESIZABLE, GLFW_TRUE);
    // Screenshots and scripts get the asked size: scripts address window pixels.
    const bool fixed_size = app.screenshot_mode || scripted;
    if (fixed_size) glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
    const int ww = fixed_size ? launch.width : app.window_w;
    const int wh = fixed_size ? launch.height : app.window_h;
    GLFWwindow* win = glfwCreateWindow(ww, wh, "kernelscope", nullptr, nullptr);
    if (!win) {
        ImGui::DestroyContext();
        glfwTerminate();
        return fail("Cannot open a window with an OpenGL 3.3 core context (no display, or the driver lacks OpenGL 3.3).", 1);
    }
    glfwMakeContextCurrent(win);
    glfwSwapInterval(fixed_size ? 0 : 1);
    g_app = &app;
    glfwSetDropCallback(win, drop_callback);

    float xs = 1.0f, ys = 1.0f;
    glfwGetWindowContentScale(win, &xs, &ys);
    app.ui_scale = fixed_size ? 1.0f : std::clamp(std::max(xs, ys), 1.0f, 4.0f);
    apply_theme(app.ui_scale);
    load_fonts(app.ui_scale);
    ImGui_ImplGlfw_InitForOpenGL(win, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    std::string err;
    if (!app.renderer.init(&err)) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext();
        glfwDestroyWindow(win);
        glfwTerminate();
        g_app = nullptr;
        return fail(err, 1);
    }

    std::unique_ptr<ScriptPlayer> script;
    if (scripted) script = std::make_unique<ScriptPlayer>(std::move(script_cmds), win, drop_callback, save_script_screenshot);

    g_stop = 0;
    auto old_int = std::signal(SIGINT, on_stop_signal);
    auto old_term = std::signal(SIGTERM, on_stop_signal);
    int exit_code = 0;
    int settled_frames = 0;
    const auto t_start = std::chrono::steady_clock::now();
    while (!glfwWindowShouldClose(win) && !app.quit && !g_stop) {
        const bool busy = app.worker.busy();
        // A few frames after a new result let auto-sized items (tables) settle before
        // the loop goes back to waiting for events.
        const bool settling = app.settle_frames > 0;
        if (settling) --app.settle_frames;
        if (script || app.screenshot_mode || busy || settling || app.occluding || app.screenshot_countdown > 0) glfwPollEvents();
        else glfwWaitEventsTimeout(0.25);
        if (script) script->before_frame(app);

        if (!app.dropped.empty()) {
            auto files = std::move(app.dropped);
            app.dropped.clear();
            // A checkpoint (or a pickle, refused by the loader with how to convert it)
            // becomes the model; images are A and B.
            std::vector<std::string> images;
            for (const auto& f : files) {
                if (FileBrowser::is_checkpoint_name(f) || looks_like_pickle(f, "")) use_checkpoint(app, f);
                else images.push_back(f);
            }
            if (!images.empty()) load_image_a(app, images[0]);
            if (images.size() > 1) load_image_b(app, images[1]);
        }
        post_if_dirty(app);
        std::string model_error;
        if (!pick_up_result(app, &model_error) && app.screenshot_mode) {
            exit_code = 2;
            std::cerr << "kernelscope: " << model_error << "\n";
            break;
        }

        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        if (script) script->apply_pointer();
        if (app.screenshot_mode) {
            // Scripts and tests get the same picture whatever the pointer does.
            io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
            for (bool& d : io.MouseDown) d = false;
        }
        ImGui::NewFrame();
        app.renderer.new_frame();
        app.rects.clear();

        draw_menu_bar(app);
        const PanelRects pr = compute_layout(app);
        draw_splitters(app, pr);
        draw_controls(app, pr.controls);
        draw_image_panel(app, pr.image);
        if (pr.heads.h > 0) draw_heads_grid_panel(app, pr.heads);
        draw_conv_panel(app, pr.conv);
        draw_compare_panel(app, pr.compare);
        draw_status_bar(app, pr.status);
        draw_help(app);
        app.browser.draw();
        handle_shortcuts(app);
        app.rects["window"] = Rect{0, 0, io.DisplaySize.x, io.DisplaySize.y};

        ImGui::Render();
        int fw = 0, fh = 0;
        glfwGetFramebufferSize(win, &fw, &fh);
        glViewport(0, 0, fw, fh);
        glClearColor(0.06f, 0.065f, 0.075f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

        if (app.screenshot_mode) {
            const bool done = app.result && app.result->id == app.last_posted && !app.worker.busy() && !app.request_dirty;
            settled_frames = done ? settled_frames + 1 : 0;
            if (settled_frames >= 3) {  // a few frames so every auto-sized item has settled
                try {
                    save_window_png(app, win, *launch.screenshot_path, true);
                } catch (const std::exception& e) {
                    std::cerr << "kernelscope: " << e.what() << "\n";
                    exit_code = 2;
                }
                break;
            }
            if (std::chrono::steady_clock::now() - t_start > std::chrono::seconds(300)) {
                std::cerr << "kernelscope: The model did not finish within 300 s; try a larger patch size.\n";
                exit_code = 1;
                break;
            }
        } else {
            if (app.screenshot_countdown > 0 && --app.screenshot_countdown == 0) save_screenshot_interactive(app, win);
            if (app.export_requested) {
                app.export_requested = false;
                export_panels(app);
            }
            int cw = 0, chh = 0;
            glfwGetWindowSize(win, &cw, &chh);
            if (cw > 0 && chh > 0 && (cw != app.window_w || chh != app.window_h)) {
                app.window_w = cw;
                app.window_h = chh;
                ImGui::MarkIniSettingsDirty();
            }
        }
        if (script) {
            script->after_frame(app);
            if (script->failed()) {
                std::cerr << "kernelscope: " << script->error() << "\n";
                exit_code = script->exit_code();
                break;
            }
        }
        glfwSwapBuffers(win);
        const double since_launch = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - app.launched).count();
        if (app.first_frame_ms < 0) app.first_frame_ms = since_launch;
        if (app.first_result_ms < 0 && app.result && app.result->error.empty()) app.first_result_ms = since_launch;
    }

    std::signal(SIGINT, old_int);
    std::signal(SIGTERM, old_term);
    if (g_stop && (app.screenshot_mode || script)) exit_code = 1;
    if (!app.ini_path.empty()) ImGui::SaveIniSettingsToDisk(app.ini_path.c_str());
    app.renderer.shutdown();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    g_app = nullptr;
    app_ptr.reset();  // joins the worker; textures are freed while the context is current
    glfwDestroyWindow(win);
    glfwTerminate();
    return exit_code;
}

}  // namespace ks::gui
