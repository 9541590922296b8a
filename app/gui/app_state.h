#pragma once
// Everything the desktop app remembers between frames. The draw_* functions in
// the panel_*.cpp files read and change it; run_gui.cpp owns the loop and the window.
#include <imgui.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compare/comparison_at_query.h"
#include "compute_worker.h"
#include "config.h"
#include "export_numbers.h"
#include "file_browser.h"
#include "gallery_state.h"
#include "gl_util.h"
#include "image_loader.h"
#include "picture_zoom.h"
#include "analysis/measures.h"
#include "analysis/specificity_table.h"
#include "image/perturb.h"
#include "pipeline/render.h"
#include "attention/query_comparison.h"
#include "conv/kernel_character.h"
#include "attention/views.h"
#include "session/session_file.h"

namespace ks::gui {

// Screen rectangle in ImGui coordinates (x, y, w, h).
struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
};

struct Layout {
    float sidebar_w = 0.0f;     // unscaled pixels; 0 = adapt to the window (a share of its width)
    float right_frac = 0.25f;   // share of the window width for the right column
    float conv_frac = 0.5f;     // share of the right column's height for the conv panel
    float heads_frac = 0.5f;    // share of the rest of the right column for the heads grid (ViT)
};

// What the derived rows were computed for; any change recomputes them.
struct DerivedKey {
    uint64_t result = 0;
    int row = -1, col = -1, layer = -1, head = -1, reduce = -1, kind = -1, prefix = -1, opts = -1;
    bool operator==(const DerivedKey& o) const {
        return result == o.result && row == o.row && col == o.col && layer == o.layer && head == o.head &&
               reduce == o.reduce && kind == o.kind && prefix == o.prefix && opts == o.opts;
    }
};

// What the centre of the window shows: the comparison, or every layer and head (V).
enum class CenterView { Comparison, Heads };

// The heads grid as last drawn (for the screenshot sidecar): thumbnail size, its
// rows (layers) and columns (heads), and which labels were drawn.
struct HeadsGridFit {
    float cell_w = 0, cell_h = 0;
    int rows = 0, cols = 0;
    bool distances_shown = false;      // the mean distance under each thumbnail
    int row_label_every = 0, col_label_every = 0;   // 1 = every layer / head named
};

// AppState comes in parts, each a struct of its own with its writers named at its top:
// what a user would save (File > Save session writes it, session.cpp), the inputs and
// the model's results, what is derived from them (memoised by key), the GPU's copies,
// and the window's transient state. AppState derives from the parts, so a field reads
// `app.opts` wherever it lives, and a function that needs one part can take it alone.

// ---- The settings a user would save ----
// What File > Save session writes and Open session reads back (session.cpp maps it to
// core's SessionSettings: images, checkpoint, query, view, filter, perturbation, display,
// layout). Writers: the controls and menus on user input (panel_*.cpp, actions.cpp,
// view_state.cpp's steps, family_ui_*.cpp's model sections), the command line at launch
// (launch_state.cpp), session.cpp opening a session, gui_main.cpp when a result changes
// what is possible (B off, a checkpoint that failed, a family's default filter), and
// layout.cpp's splitters.
struct UserSettings {
    std::string path_a, path_b;        // the images (install_image in gui_main.cpp sets them with the pixels)
    // Input B of the comparison: A with the perturbations, the second image (centre-
    // cropped to A's aspect ratio, then resized to A's size), or none.
    BMode b_mode = BMode::Perturbed;
    RenderOptions opts;                // sim params, view (layer, head, query kind), filter, colormap, opacity
    ModelSpec model;                   // the model asked for (weights_path empty: built-in)
    int cnn_stage = 3;                 // a ResNet: the query is on layer<cnn_stage>'s grid
    Perturbation perturb;
    // The query: a patch (a cell) of the model's grid; pinned, or following the pointer.
    int q_row = 0, q_col = 0;
    bool pinned = false;
    bool mask_on = false;              // DINO mass-threshold mask over the heatmap
    float mask_t = 0.6f;
    bool smooth = false;
    HeatOptions heat_opts;             // patches only / exclude the query / log scale
    bool show_outline = true;
    bool show_footprint = true;
    CenterView center_view = CenterView::Comparison;
    PictureZoom zoom;                  // wheel zoom / drag pan, one for A, B and B - A
    bool show_analyses = false;        // the Analyses window (A)
    Layout layout;
};

// ---- The inputs and the model's results ----
// Writers: gui_main.cpp (install_image, request_compute, taking each result and its
// policy), launch_state.cpp (the launch's images and checks), session.cpp (the session
// being opened), view_state.cpp (placing the first query).
struct ModelData {
    std::shared_ptr<const Image> image_a, image_b;
    uint64_t image_version = 0;
    ImageLoader loader;                // images opened from the UI load off its thread
    std::string model_fallback;        // checkpoint to return to when a newly chosen one fails ("" = built-in)
    uint64_t analyses_asked_for = 0;   // the result whose (missing) analyses were asked for
    std::pair<int, int> cnn_query_asked{-1, -1};   // the query last asked of the worker (its backward pass)
    // Checks that need the model's patch grid; with --weights it is known only after loading.
    std::optional<std::pair<int, int>> launch_query;
    std::string launch_prefix;         // --query dist / regN, resolved against the loaded model
    bool launch_checks_pending = false;
    bool have_query = false;           // false until the first result places it
    // An opened session's query, view and filter, applied once its model's result is in (session.h).
    std::shared_ptr<const SessionSettings> session_to_finish;

    ComputeWorker worker;
    uint64_t next_request = 1;
    uint64_t last_posted = 0;
    bool request_dirty = true;
    std::shared_ptr<const ComparisonResult> result;   // what is on screen
    // The perturbation each posted request carried (the last few), and the one of the
    // result on screen: B's caption describes the pictures shown, not a slider still moving.
    std::deque<std::pair<uint64_t, Perturbation>> posted_perturb;
    Perturbation shown_perturb;
    // What the user waited for: from the first change after the last result to the
    // result that answers it (the status line's time, beside the model's own).
    std::optional<std::chrono::steady_clock::time_point> wait_started;
    double last_wait_ms = -1;
    uint64_t forward_passes = 0;       // model runs so far (reported in the screenshot sidecar)
};

// ---- Derived from the result and the query, memoised by key (UI thread, cheap) ----
// Writers: view_state.cpp (update_derived, update_heads_grid) and conv_state.cpp
// (update_conv_kernel); each recomputes only when its key changed.
struct DerivedData {
    DerivedKey derived_key;
    ViewSpec view;                     // opts.view resolved against the result (layer -1 = last, clamped)
    // The comparison at the query (core/compare/comparison_at_query.h): the kernel maps
    // of A and B, the conv kernels at the query's pixel, the kernel changes by kind.
    KernelMaps maps;
    ConvAtQuery conv;
    KernelChanges changes;
    uint64_t kernel_key_result = 0;    // what `conv` was read for
    int kernel_key_row = -1, kernel_key_col = -1;
    std::vector<unsigned char> mask;   // gh x gw, 1 = kept by the mass threshold
    float mask_t_used = -1.0f;
    // Heads grid: one thumbnail per layer and head for the current query token,
    // re-uploaded only when the result or that token changes.
    uint64_t grid_result_id = 0;
    int grid_token = -1;
    std::vector<float> grid_rows;      // [layers][heads][gh*gw]
    std::vector<float> grid_max;       // per thumbnail
};

// ---- The GPU's copies: textures, each with the result it shows ----
// Writers: view_state.cpp and conv_state.cpp (the comparison's pictures),
// panel_heads_grid.cpp (the thumbnails), panel_effective_kernel.cpp (a ResNet's g).
struct GpuTextures {
    uint64_t tex_result_id = 0, response_tex_result_id = 0;   // the results image_tex / response_tex show
    int tex_upload_frame = -1;         // ImGui frame of the last image_tex upload
    std::deque<Texture> grid_tex;
    Texture image_tex, heat_tex, kernel_tex, kernel_rgb_tex, kernel_a_rgb_tex, response_tex;
    Texture image_a_tex, heat_a_tex, diff_tex, kernel_a_tex, kernel_diff_tex, resp_a_tex, resp_b_tex, resp_diff_tex;
    Texture local_a_tex, local_b_tex, local_diff_tex;
    Texture spectrum_a_tex, spectrum_c_tex;   // 7 x 7 patches around the query
    Texture g_a_tex, g_b_tex;                 // a ResNet's effective kernels over what it saw (A, B)
    uint64_t g_tex_result_id = 0;
    uint64_t tex_a_result_id = 0;
    bool response_signed = true;       // how response_tex is coloured: diverging, or gray when no value is negative
    Renderer renderer;
};

// ---- The window's own, transient state ----
// Not saved with a session (the preferences among it go to imgui.ini: settings_ini.cpp).
// Writers: run_gui.cpp and gui_main.cpp (the loop, timing, status), the panels for what
// they drew last (rects, heads_fit, the Analyses' numbers), the dialogs and menus
// (browser, exports, screenshot folder, recent files, the Gallery window), script.cpp
// (playing a script).
struct WindowState {
    bool screenshot_mode = false;
    float ui_scale = 1.0f;
    std::string config_dir;
    std::string ini_path;
    std::string screenshot_dir;
    RecentFiles recent;
    int window_w = 1600, window_h = 1000;
    bool quit = false;
    bool show_help = false;
    std::shared_ptr<const AnalysisTotals> folder_totals;   // an `analyze` folder loaded for the band
    std::shared_ptr<const std::vector<SpecificityRow>> folder_specificity;   // its data_specificity.csv, if it has one
    double hf_share_attention = -1, hf_share_conv = -1;     // last drawn (for the sidecar)
    std::string analyses_distance_axis;   // the distance plot's y axis title as last drawn (its unit)
    VitOverrides overrides_edit;       // the overrides being typed; applied to model.overrides on "Apply"
    std::string last_bank_filter = "sobel_x";  // what the user kernel's "copy" preset copies
    HeadsGridFit heads_fit;
    // Start-up timing, reported in the sidecar: launch -> first frame on screen, and
    // launch -> first model result drawn.
    std::chrono::steady_clock::time_point launched = std::chrono::steady_clock::now();
    double first_frame_ms = -1, first_result_ms = -1;
    // The longest frame (events to buffer swap) since the last scripted `state`, which
    // reports and resets it: the GUI test's check that the window never froze.
    double max_frame_ms = 0;
    bool occluding = false;            // Shift+drag in progress
    ImVec2 occ_start{0, 0};            // image pixels
    ImVec2 occ_origin{0, 0}, occ_size{0, 0};  // the picture the drag started on (screen)
    FileBrowser browser;
    std::vector<std::string> dropped;  // paths from drag-and-drop, handled next frame
    int settle_frames = 0;             // frames still to draw without waiting for events
    int screenshot_countdown = 0;      // frames to wait before reading back (menus close)
    bool export_requested = false;
    std::shared_ptr<ExportJob> export_job;   // Ctrl+E in progress (export_numbers.h)
    std::string last_export_dir;
    double last_export_seconds = -1;   // the last finished export's time (script state)
    float last_export_progress = -1;   // its progress when it finished: 1 once every file is written
    bool head_maps_overlay = false;    // File > Export head maps: each map drawn over the image
    std::string session_path;          // the session last saved or opened: the dialogs start in its folder
    // The Gallery window: one query over many images (gallery_state.h; panel_gallery.cpp writes it).
    GalleryState gallery;
    std::string status;                // the status line
    bool status_error = false;
    std::map<std::string, Rect> rects;  // panel rectangles this frame (for the screenshot sidecar)
};

struct AppState : UserSettings, ModelData, DerivedData, GpuTextures, WindowState {
    bool second_image_shown() const { return b_mode == BMode::Second && image_b != nullptr; }
    bool b_shown() const { return b_mode == BMode::Perturbed || second_image_shown(); }   // an input B is compared
    const TokenLayout* grid() const { return result && result->current ? &result->current->layout : nullptr; }
    // A checkpoint's result is on screen (any family; family_ui.h says which and what it draws).
    bool checkpoint_shown() const { return result && result->error.empty() && !result->weights_path.empty(); }
    // The second model slot is filled: a ResNet's effective kernel beside the model's attention.
    bool resnet_beside() const { return checkpoint_shown() && result->cnn2 != nullptr; }
    void set_status(const std::string& s, bool error = false) { status = s; status_error = error; }
};

// A checkpoint's own filters: a ViT's patch embedding or a ResNet's conv1, per output channel.
inline bool is_learned_filter(const std::string& f) { return f.rfind("patch_embed[", 0) == 0 || f.rfind("conv1[", 0) == 0; }

// panel_*.cpp: one draw function per panel
void draw_menu_bar(AppState& app);
void draw_controls(AppState& app, const Rect& r);
void draw_comparison_panel(AppState& app, const Rect& r);   // panel_comparison.cpp: the picture
void draw_readouts_panel(AppState& app, const Rect& r);     // panel_readouts.cpp
void draw_conv_panel(AppState& app, const Rect& r);
void draw_status_bar(AppState& app, const Rect& r);
void draw_help(AppState& app);
void draw_analyses_window(AppState& app);   // panel_analyses.cpp
void handle_shortcuts(AppState& app);
// panel_model.cpp: the model and view sections of the controls.
void draw_model_section(AppState& app);
void draw_view_section(AppState& app);
void draw_filter_combo(AppState& app);
// panel_heads_grid.cpp
void draw_heads_grid_panel(AppState& app, const Rect& r);
void draw_heads_grid_view(AppState& app);   // every layer and head, in the centre's "All heads" tab
// panel_effective_kernel.cpp: a ResNet's effective kernel at the query (in the heads grid's place)
void draw_effective_kernel_panel(AppState& app, const Rect& r);

// conv_state.cpp: the conv kernel on screen, its textures, readouts and kernel change.
bool update_conv_kernel(AppState& app);   // true when it read the kernel anew
std::string conv_change_text(const AppState& app);   // "0 (exactly)" only for a data-agnostic filter
// panel_kernel_editor.cpp: the filter combo's extras: the user kernel's editor, the bilateral parameters.
void draw_user_kernel_editor(AppState& app);
void draw_bilateral_params(AppState& app);
void draw_dynamic_params(AppState& app);
void select_filter(AppState& app, const std::string& name);   // also seeds the user kernel
void step_filter(AppState& app, int d);                       // G / Shift+G: bank, user, bilateral, dynamic

// view_state.cpp: the viewed row and what is derived from it (cheap, UI thread).
void update_derived(AppState& app);
void update_heads_grid(AppState& app);
int query_token_now(const AppState& app);          // token index of the current query (-1: none)
std::string query_label(const AppState& app);      // "patch (3, 4)", "cls", "rollout of cls, layers 0..5"
std::string head_label(const ViewSpec& v);         // "head 2", "mean of heads", "max of heads"
void step_layer(AppState& app, int d);
void step_head(AppState& app, int d);              // cycles head 0..H-1, mean, max
void select_layer_head(AppState& app, int layer, int head);
void set_query_kind(AppState& app, QueryKind kind, int prefix = 0);

// gui_main.cpp: actions shared by menus, shortcuts and panels.
// On the UI thread (launch, before the window opens): bad file: status line, current image stays.
bool load_image_a(AppState& app, const std::string& path);
bool load_image_b(AppState& app, const std::string& path);
// From the UI: starts a load off-thread ("Loading NAME ..."); pick_up_loaded_images, once
// a frame, swaps each finished one in as load_image_a / _b would, or reports its error.
void open_image(AppState& app, const std::string& path, bool second);
// A decoded image as A or B: as a finished load is swapped in (recent files, status line).
void install_image(AppState& app, const std::string& path, std::shared_ptr<const Image> img, bool second);
void pick_up_loaded_images(AppState& app);
void open_image_dialog(AppState& app, bool second);
void choose_screenshot_dir(AppState& app);
void request_compute(AppState& app);   // marks the model inputs changed
void set_b_mode(AppState& app, BMode m);   // "second image" needs one loaded (else says so)
void open_checkpoint_dialog(AppState& app);
// The second model slot: a ResNet whose effective kernel shows beside a ViT's attention ("" empties it).
void use_second_checkpoint(AppState& app, const std::string& path);
void open_second_checkpoint_dialog(AppState& app);
void use_checkpoint(AppState& app, const std::string& path);   // loads off-thread; a bad file keeps the current model
void use_builtin_model(AppState& app);
void reset_perturbations(AppState& app);
std::vector<std::string> display_colormap_names();  // the sequential maps offered for heatmaps

}  // namespace ks::gui
