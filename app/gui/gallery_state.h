#pragma once
// What the Gallery window (View > Gallery, or three or more images dropped at once)
// remembers: its images, its worker and last result, its query (one for every image),
// and the textures drawn. panel_gallery.cpp reads and changes it.
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "gallery_worker.h"
#include "gl_util.h"

namespace ks::gui {

struct AppState;

struct GalleryState {
    bool open = false;
    std::vector<std::string> paths;             // the images, in the order given
    GalleryWorker worker;
    std::string posted_key;                     // what the last posted job computes (gallery_job_key)
    std::shared_ptr<GalleryResult> result;      // the last one taken; its kernels re-read at the query
    std::vector<std::string> skipped;           // images the last job could not read
    std::string error;
    int row = -1, col = -1;                     // the query on the model's grid (< 0: the centre)
    bool pinned = false;
    std::string read_key;                       // the view and query result->kernels were read at
    // Textures: each tile's picture with its kernel (re-blended when the query moves), the
    // mean kernel, each image's fixed conv kernel.
    std::string tiles_key;
    int tile_side = 0;
    std::vector<Image> bases;                   // each picture fitted into tile_side (per result)
    uint64_t bases_result = 0;
    std::deque<Texture> tiles, fixed;
    Texture mean_tex;
};

// panel_gallery.cpp
void open_gallery(AppState& app, const std::vector<std::string>& paths);   // opens the window and computes
void open_gallery_dialog(AppState& app);                                   // View > Gallery: pick a folder
void update_gallery(AppState& app);       // once a frame: takes a result, posts a job when its inputs changed
void draw_gallery_window(AppState& app);
nlohmann::json gallery_state_json(const AppState& app);   // the script state's "gallery"

}  // namespace ks::gui
