// The Gallery window: one query over many images (core/compare/gallery.h). Each image
// with its kernel at the query (hovering any image moves the query on all of them; a
// click pins it), sorted by its TV distance to the mean kernel (the largest first), the
// mean kernel last, and under each image the fixed conv kernel as built on it -- the
// same weights under every one. Computed by the GalleryWorker, never on this thread;
// an attention model's query move only re-reads rows, a ResNet's runs the model again.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app_state.h"
#include "conv/filter_choice.h"
#include "image_folder.h"
#include "panel_util.h"
#include "pipeline/gallery_picture.h"
#include "pipeline/render.h"

namespace ks::gui {

namespace fs = std::filesystem;

void open_gallery(AppState& app, const std::vector<std::string>& paths) {
    GalleryState& g = app.gallery;
    g.paths = paths;
    g.open = true;
    g.posted_key.clear();   // posts a job on the next update
    g.row = app.have_query ? app.q_row : -1;
    g.col = app.have_query ? app.q_col : -1;
    g.pinned = false;
    app.set_status("Gallery: " + std::to_string(paths.size()) + " images.");
}

void open_gallery_dialog(AppState& app) {
    app.browser.open("Folder of images for the gallery", FileBrowser::Mode::PickFolder, app.screenshot_dir,
                     [&app](const std::string& dir) {
                         try {
                             const FolderListing l = list_images(dir, "");
                             if (l.images.empty()) throw InputError("No image files (png, jpg, jpeg, bmp, tga, gif) under '" + dir + "'.");
                             std::vector<std::string> paths;
                             for (const auto& n : l.images) paths.push_back((fs::path(dir) / n).string());
                             open_gallery(app, paths);
                         } catch (const std::exception& e) {
                             app.set_status(e.what(), true);
                         }
                     });
}

namespace {

// The request from the app's settings: its model, its fixed conv (the last bank filter
// while a data-dependent one is chosen), its layer and head, the gallery's query.
GalleryRequest gallery_request_now(const AppState& app) {
    GalleryRequest req;
    ComparisonRequest& b = req.base;
    b.model = app.model;
    b.model.second_weights_path.clear();
    b.sim = app.opts.sim;
    b.filter = is_data_dependent(app.opts.filter) ? app.last_bank_filter : app.opts.filter;
    b.gaussian_sigma = app.opts.gaussian_sigma;
    b.user_weights = app.opts.user_weights;
    b.cnn_stage = app.cnn_stage;
    b.query_row = app.gallery.row;
    b.query_col = app.gallery.col;
    req.view = app.opts.view;
    req.view.kind = QueryKind::Patch;
    return req;
}

// Everything a job depends on; the query only when the family's query runs the model.
std::string gallery_job_key(const AppState& app, const GalleryRequest& r) {
    const ComparisonRequest& b = r.base;
    char buf[256];
    std::snprintf(buf, sizeof buf, "|%d|%d|%.9g|%.9g|%d|%d|%u|%.9g|%d|%d|%d", static_cast<int>(b.model.resize), b.sim.patch,
                  b.sim.tau, b.sim.lambda, static_cast<int>(b.sim.score), static_cast<int>(b.sim.projection), b.sim.seed,
                  b.gaussian_sigma, b.cnn_stage, b.model.overrides.heads, b.model.overrides.image_size);
    std::string k = b.model.weights_path + "|" + b.model.config_path + "|" + b.filter + buf;
    for (float w : b.user_weights) k += "," + std::to_string(w);
    for (const auto& p : app.gallery.paths) k += "\n" + p;
    const auto& res = app.gallery.result;
    if (res && res->error.empty() && res->query_runs_model) k += "\nq" + std::to_string(b.query_row) + "," + std::to_string(b.query_col);
    return k;
}

std::string read_key_now(const AppState& app) {
    const ViewSpec& v = app.opts.view;
    return std::to_string(v.layer) + "," + std::to_string(static_cast<int>(v.reduce)) + "," + std::to_string(v.head) + "," +
           std::to_string(app.gallery.row) + "," + std::to_string(app.gallery.col);
}

void take_gallery_result(AppState& app) {
    GalleryState& g = app.gallery;
    auto out = g.worker.take();
    if (!out) return;
    g.skipped = out->skipped;
    g.error = out->gallery->error;
    if (!g.error.empty()) {
        app.set_status("Gallery: " + g.error, true);
        return;
    }
    g.result = out->gallery;
    g.row = g.result->view.row;
    g.col = g.result->view.col;
    g.read_key = read_key_now(app);
    g.tiles_key.clear();
    if (!g.skipped.empty()) app.set_status("Gallery: skipped " + g.skipped.front() + (g.skipped.size() > 1 ? " (and more)" : ""), true);
}

}  // namespace

void update_gallery(AppState& app) {
    GalleryState& g = app.gallery;
    if (!g.open || g.paths.empty()) return;
    take_gallery_result(app);
    GalleryRequest req = gallery_request_now(app);
    const std::string key = gallery_job_key(app, req);
    if (key != g.posted_key) {
        g.posted_key = key;
        g.worker.post(GalleryJob{g.paths, std::move(req)});
        return;
    }
    // An attention model's query or view moved: re-read the rows kept in the result.
    if (g.result && !g.result->query_runs_model && read_key_now(app) != g.read_key && !g.worker.busy()) {
        ViewSpec v = gallery_request_now(app).view;
        v.row = g.row < 0 ? g.result->grid_h / 2 : std::clamp(g.row, 0, g.result->grid_h - 1);
        v.col = g.col < 0 ? g.result->grid_w / 2 : std::clamp(g.col, 0, g.result->grid_w - 1);
        read_gallery_kernels(*g.result, v);
        g.read_key = read_key_now(app);
        g.tiles_key.clear();
    }
}

namespace {

// The tiles' textures for the result, the query and the side shown: each picture with
// its kernel (one colour scale), the mean kernel, each image's fixed conv kernel.
void upload_gallery_tiles(GalleryState& g, int side) {
    const GalleryResult& r = *g.result;
    const std::string key = std::to_string(r.id) + "|" + g.read_key + "|" + std::to_string(side) + "|" + std::to_string(r.kernels.size());
    if (key == g.tiles_key) return;
    g.tiles_key = key;
    if (g.bases_result != r.id || g.tile_side != side || g.bases.size() != r.pictures.size()) {
        g.bases.clear();
        for (const auto& p : r.pictures) g.bases.push_back(gallery_tile_base(p.get(), side));
        g.bases_result = r.id;
        g.tile_side = side;
        g.fixed.clear();
        for (const ConvKernel& k : r.fixed_kernels) {
            const Image kp = kernel_picture(k, std::max(2, 48 / std::max(1, k.size)));
            g.fixed.emplace_back().upload_rgb8(to_rgb8(kp).data(), kp.width, kp.height, false);
        }
    }
    const float scale = gallery_scale(r);
    g.tiles.resize(r.kernels.size());
    for (size_t i = 0; i < r.kernels.size(); ++i) {
        Image t = g.bases[i];
        draw_gallery_kernel(t, r, i, scale);
        g.tiles[i].upload_rgb8(to_rgb8(t).data(), t.width, t.height, false);
    }
    Image m = g.bases.empty() ? gallery_tile_base(nullptr, side) : g.bases[0];
    draw_gallery_kernel(m, r, r.kernels.size(), scale);
    g.mean_tex.upload_rgb8(to_rgb8(m).data(), m.width, m.height, false);
}

// The query under the pointer on a tile drawn at p0 with size `size` (false: outside the grid).
bool cell_under_pointer(const GalleryResult& r, ImVec2 p0, ImVec2 size, int* row, int* col) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const float fx = (m.x - p0.x) / (size.x * r.grid_cover_x), fy = (m.y - p0.y) / (size.y * r.grid_cover_y);
    if (fx < 0 || fy < 0 || fx >= 1 || fy >= 1) return false;
    *row = std::min(r.grid_h - 1, static_cast<int>(fy * r.grid_h));
    *col = std::min(r.grid_w - 1, static_cast<int>(fx * r.grid_w));
    return true;
}

// One image's cell: its tile (hover moves the query, a click pins it), name, distance,
// and its fixed conv kernel.
void draw_gallery_cell(AppState& app, size_t i, float side) {
    GalleryState& g = app.gallery;
    const GalleryResult& r = *g.result;
    const bool is_mean = i >= r.kernels.size();
    const Texture& tex = is_mean ? g.mean_tex : g.tiles[i];
    ImGui::BeginGroup();
    const float s = side / std::max(tex.width(), tex.height());
    const ImVec2 size(tex.width() * s, tex.height() * s), p0 = ImGui::GetCursorScreenPos();
    ImGui::Image(tex.imgui_id(), size);
    int row = 0, col = 0;
    if (ImGui::IsItemHovered() && cell_under_pointer(r, p0, size, &row, &col)) {
        if (!g.pinned) g.row = row, g.col = col;
        if (ImGui::IsItemClicked()) {
            g.row = row;
            g.col = col;
            g.pinned = !g.pinned;
        }
    }
    const std::string name = is_mean ? "mean kernel (" + std::to_string(r.kernels.size()) + " images)" : r.names[i];
    ImGui::TextUnformatted(elided(name, side).c_str());
    if (!is_mean) {
        ImGui::TextDisabled("TV to the mean %s", fmt(r.tv[i]).c_str());
        if (i < g.fixed.size()) {
            const Texture& f = g.fixed[i];
            const float ks = ImGui::GetTextLineHeight() * 2.0f;
            ImGui::Image(f.imgui_id(), ImVec2(ks, ks));
            ImGui::SameLine();
            ImGui::TextDisabled("%s", elided("fixed conv: " + r.fixed_filter, side - ks - 8).c_str());
        }
    }
    ImGui::EndGroup();
}

void draw_gallery_header(AppState& app) {
    GalleryState& g = app.gallery;
    const WorkerProgress p = g.worker.progress();
    if (ImGui::SmallButton("Choose a folder...")) open_gallery_dialog(app);
    ImGui::SameLine();
    if (p.busy) {
        ImGui::ProgressBar(p.fraction < 0 ? 0.0f : p.fraction, ImVec2(ImGui::GetFontSize() * 14, 0), (p.phase + "...").c_str());
        ImGui::SameLine();
    }
    if (!g.result) return;
    const GalleryResult& r = *g.result;
    const bool rows = r.mean.w == r.grid_w && r.mean.h == r.grid_h;
    ImGui::TextDisabled("%zu images, query (%d, %d)%s%s; sorted by TV to the mean kernel, largest first%s", r.kernels.size(),
                        r.view.row, r.view.col,
                        rows ? (", layer " + std::to_string(r.view.layer) + ", head " + std::to_string(r.view.head)).c_str() : "",
                        g.pinned ? " (pinned: click to follow the mouse)" : "", g.skipped.empty() ? "" : "; some images could not be read");
}

}  // namespace

void draw_gallery_window(AppState& app) {
    GalleryState& g = app.gallery;
    if (!g.open) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(vp->Size.x * 0.8f, vp->Size.y * 0.85f), ImGuiCond_Appearing);
    if (!ImGui::Begin("Gallery###gallery", &g.open, ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    record_window(app, "gallery_window");
    draw_gallery_header(app);
    if (!g.result) {
        panel_message(g.paths.empty() ? "Choose a folder of images, or drop three or more images on the window."
                                      : !g.error.empty() ? g.error.c_str() : "Computing...", !g.error.empty());
        ImGui::End();
        return;
    }
    const size_t n = g.result->kernels.size() + 1;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float gap = ImGui::GetStyle().ItemSpacing.x, text = 4.6f * ImGui::GetTextLineHeightWithSpacing();
    // The column count whose tiles are largest with every cell in view (down to a
    // readable minimum, then the grid scrolls).
    float side = 64;
    size_t cols = 1;
    for (size_t c = 1; c <= n; ++c) {
        const size_t rows = (n + c - 1) / c;
        const float s = std::min((avail.x - gap * c) / c, (avail.y - rows * (text + gap)) / rows);
        if (s > side) side = s, cols = c;
    }
    if (side <= 64) cols = std::max<size_t>(1, static_cast<size_t>(avail.x / (side + gap)));
    upload_gallery_tiles(g, std::clamp(static_cast<int>(std::ceil(side / 32.0f)) * 32, 64, 512));
    ImGui::BeginChild("##gallery_grid", ImVec2(0, 0), false);
    record_rect(app, "gallery_grid", ImGui::GetWindowPos(), ImGui::GetWindowSize());
    for (size_t k = 0; k < n; ++k) {
        if (k % cols != 0) ImGui::SameLine();
        draw_gallery_cell(app, k + 1 < n ? g.result->order[k] : g.result->kernels.size(), side);
    }
    ImGui::EndChild();
    ImGui::End();
}

nlohmann::json gallery_state_json(const AppState& app) {
    const GalleryState& g = app.gallery;
    nlohmann::json j = {{"open", g.open}, {"images", g.paths.size()}, {"busy", g.worker.busy()}, {"error", g.error}, {"skipped", g.skipped}};
    if (!g.result) return j;
    const GalleryResult& r = *g.result;
    nlohmann::json names = nlohmann::json::array(), tv = nlohmann::json::array();
    for (size_t i : r.order) {
        names.push_back(r.names[i]);
        tv.push_back(r.tv[i]);
    }
    bool same = true;   // the fixed conv built on each image: identical weights
    for (const ConvKernel& k : r.fixed_kernels) same = same && k.w == r.fixed_kernels[0].w;
    j.update({{"family", r.family}, {"computed", r.kernels.size()}, {"query", {{"row", r.view.row}, {"col", r.view.col}}},
              {"layer", r.view.layer}, {"head", r.view.head}, {"grid", {{"rows", r.grid_h}, {"cols", r.grid_w}}},
              {"kernel_shape", {r.mean.h, r.mean.w}}, {"names_by_tv", names}, {"tv_by_tv", tv}, {"fixed_filter", r.fixed_filter},
              {"fixed_conv_identical", same}, {"pinned", g.pinned}});
    return j;
}

}  // namespace ks::gui
