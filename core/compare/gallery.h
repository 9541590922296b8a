#pragma once
// The gallery: one query over N images, each image one input of the comparison engine
// (B off). Images of another size are first brought to the first image's shape by
// input B's rule (match_size_centre_crop: centre crop to its aspect ratio, then resize).
// Per image, its family's kernel at the query (ModelFamily::kernel_at_query: an
// attention row at (layer, head) over the patch grid, or a ResNet's effective kernel
// |g| over its input pixels, normalised to sum 1); then the mean kernel over the images
// and each image's total-variation distance to it, TV = 1/2 sum |k_i - mean|.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compare/comparison_engine.h"

namespace ks {

// Gallery images are read box-reduced to at most this many pixels: a ViT or a ResNet sees
// 224 px, and the built-in model's rows (kept per image so the query moves freely) grow
// with the square of its patch count.
constexpr long long kGalleryMaxPixels = 512LL * 512;
Image load_gallery_image(const std::string& path);   // InputError on a bad file

struct GalleryRequest {
    uint64_t id = 0;
    std::vector<std::shared_ptr<const Image>> images;   // as loaded; the first sets the shape
    std::vector<std::string> names;                     // one per image (for the files and the UI)
    // Model, built-in parameters, filter, a ResNet's stage and query (query_row / _col on
    // the family's query grid, < 0: the centre). Its image and B fields are not used.
    ComparisonRequest base;
    ViewSpec view;                                      // layer (-1: the last) and head; a patch query
    // Keep every image's result, so that moving the query over an attention model reads
    // rows without a model run (costs each image's attention in memory).
    bool keep_results = true;
};

struct GalleryResult {
    uint64_t id = 0;
    std::string family;                       // the model_families() row
    bool query_runs_model = false;            // the family's: a query move needs a new run
    std::string error;                        // non-empty: nothing else is valid
    std::vector<std::string> names;
    // Per image (B off): what the model saw and its conv kernel; null when not kept.
    std::vector<std::shared_ptr<const ComparisonResult>> results;
    std::vector<std::shared_ptr<const DisplayPicture>> pictures;   // each input as the model saw it
    std::vector<ConvKernel> fixed_kernels;    // the fixed conv kernel built on each image
    std::string fixed_filter;
    int grid_h = 0, grid_w = 0;               // the query grid (patch grid, or a ResNet stage's)
    float grid_cover_x = 1, grid_cover_y = 1; // the share of each picture the query grid covers
    // At the query (read_gallery_kernels):
    ViewSpec view;                            // resolved; row / col = the query
    std::vector<QueryKernel> kernels;         // one per image, all the same shape
    QueryKernel mean;                         // float32 of the double mean
    std::vector<double> tv;                   // TV(kernel_i, mean), the mean taken in double
    std::vector<size_t> order;                // images by tv, largest first
    double seconds = 0;
};

// The images brought to the first one's shape (centre crop, then resize).
std::vector<std::shared_ptr<const Image>> gallery_inputs(const std::vector<std::shared_ptr<const Image>>& images);

// Mean kernel (float32 of the double mean) and each kernel's TV distance to the double
// mean; the kernels must share one shape (InputError otherwise).
void mean_and_distances(const std::vector<QueryKernel>& kernels, QueryKernel* mean, std::vector<double>* tv);

// Reads every kept result's kernel at `v` (an attention family; a ResNet's kernels are
// those of the run's own query), then the mean, the distances and the order.
void read_gallery_kernels(GalleryResult& g, const ViewSpec& v);

class Gallery {
public:
    explicit Gallery(std::shared_ptr<const ClassNames> class_names = nullptr) : engine_(std::move(class_names)) {}
    // Every image through the engine. Null when the hooks' cancel flag stopped it; a bad
    // input gives a result whose `error` says why in one sentence.
    std::shared_ptr<GalleryResult> run(const GalleryRequest& req, const EngineHooks& hooks = {});

private:
    void run_all(const GalleryRequest& req, const EngineHooks& hooks, GalleryResult& out);
    ComparisonEngine engine_;
    uint64_t next_version_ = 1;
};

}  // namespace ks
