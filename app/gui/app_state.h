#pragma once
// Everything the desktop app remembers between frames. The draw_* functions in
// panels.cpp read and change it; gui_main.cpp owns the loop, the window and files.
#include <imgui.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compute.h"
#include "config.h"
#include "file_browser.h"
#include "gl_util.h"
#include "measures.h"
#include "perturb.h"
#include "render.h"

namespace ks::gui {

// Screen rectangle in ImGui coordinates (x, y, w, h).
struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
};

struct Layout {
    float sidebar_w = 340.0f;   // unscaled pixels
    float right_frac = 0.37f;   // share of the window width for the right column
    float conv_frac = 0.46f;    // share of the right column's height for the conv panel
};

struct AppState {
    // ---- session ----
    bool screenshot_mode = false;
    float ui_scale = 1.0f;
    std::string config_dir;
    std::string ini_path;
    std::string screenshot_dir;
    RecentFiles recent;
    int window_w = 1600, window_h = 1000;
    Layout layout;
    bool quit = false;
    bool show_help = false;

    // ---- inputs ----
    std::shared_ptr<const Image> image_a;
    std::string path_a;
    uint64_t image_version = 0;
    std::shared_ptr<const Image> image_b;
    std::string path_b;
    bool ab_mode = false;

    // ---- model / view settings ----
    RenderOptions opts;                // sim params, filter, colormap, opacity
    bool smooth = false;
    bool show_outline = true;
    bool show_footprint = true;
    Perturbation perturb;

    // ---- query ----
    int q_row = 0, q_col = 0;
    bool pinned = false;
    bool have_query = false;           // false until the first result places it

    // ---- computation ----
    ComputeWorker worker;
    uint64_t next_request = 1;
    uint64_t last_posted = 0;
    bool request_dirty = true;
    std::shared_ptr<const ComputeResult> result;   // what is on screen

    // Derived from result + query (UI thread, cheap).
    uint64_t tex_result_id = 0;
    int tex_q_row = -1, tex_q_col = -1;
    std::vector<float> row;            // current attention row at the query (N)
    std::vector<float> heat;           // its patch part, gh x gw
    float heat_min = 0, heat_max = 1;
    RowStats attn_stats, conv_stats;
    double conv_entropy = 0;           // of |w| / sum |w|
    double change_attention = 0, change_conv = 0;
    bool change_valid = false;

    Texture image_tex, heat_tex, kernel_tex, response_tex;

    // ---- interaction ----
    bool occluding = false;            // Shift+drag in progress
    ImVec2 occ_start{0, 0};            // image pixels
    FileBrowser browser;
    std::vector<std::string> dropped;  // paths from drag-and-drop, handled next frame
    int screenshot_countdown = 0;      // frames to wait before reading back (menus close)
    bool export_requested = false;

    // ---- status line ----
    std::string status;
    bool status_error = false;

    // ---- drawing ----
    Renderer renderer;
    std::map<std::string, Rect> rects;  // panel rectangles this frame (for the screenshot sidecar)

    const TokenLayout* grid() const { return result && result->current ? &result->current->layout : nullptr; }
    void set_status(const std::string& s, bool error = false) { status = s; status_error = error; }
};

// panels.cpp
void draw_menu_bar(AppState& app);
void draw_controls(AppState& app, const Rect& r);
void draw_image_panel(AppState& app, const Rect& r);
void draw_conv_panel(AppState& app, const Rect& r);
void draw_compare_panel(AppState& app, const Rect& r);
void draw_status_bar(AppState& app, const Rect& r);
void draw_help(AppState& app);
void handle_shortcuts(AppState& app);

// gui_main.cpp: actions shared by menus, shortcuts and panels.
bool load_image_a(AppState& app, const std::string& path);   // bad file: status line, current image stays
bool load_image_b(AppState& app, const std::string& path);
void open_image_dialog(AppState& app, bool second);
void choose_screenshot_dir(AppState& app);
void export_panels(AppState& app);
void request_compute(AppState& app);   // marks the model inputs changed
void reset_perturbations(AppState& app);
std::vector<std::string> display_colormap_names();  // the sequential maps offered for heatmaps

}  // namespace ks::gui
