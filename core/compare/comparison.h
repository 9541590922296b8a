#pragma once
// The comparison's request and result: one query over input A and input B (A
// perturbed, a second image, or none), for one model. ComparisonEngine
// (comparison_engine.h) turns a request into a result; everything drawn or exported
// about the two inputs is read from the result (comparison_at_query.h for the query).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analysis/folder_analysis.h"
#include "attention/attention_set.h"
#include "attention/similarity_attention.h"
#include "cnn/effective_kernel.h"
#include "cnn/resnet_model.h"
#include "conv/bilateral.h"
#include "conv/conv_filters.h"
#include "conv/dynamic_conv.h"
#include "image/image.h"
#include "image/perturb.h"
#include "vit/vit_model.h"

namespace ks {

// Which model computes the attention.
struct ModelSpec {
    std::string weights_path;                 // empty: the built-in similarity model
    std::string config_path;                  // the checkpoint's config.json (empty: the one beside it)
    VitOverrides overrides;                   // command-line heads / image size / mean / std
    VitResize resize = VitResize::ShorterSideCrop;
    // A ResNet beside a ViT (the second model slot): its effective kernel at the same
    // image point as the ViT's query is shown next to the attention. Empty: none.
    std::string second_weights_path;
    bool has_checkpoint() const { return !weights_path.empty(); }   // a checkpoint (any family) rather than the built-in model
};

// What input B of the comparison is.
enum class BMode : int { Perturbed = 0, Second = 1, Off = 2 };

struct ComparisonRequest {
    uint64_t id = 0;                          // increases with every request
    std::shared_ptr<const Image> image_a;     // the reference input
    uint64_t image_a_version = 0;             // changes whenever image_a is replaced
    std::shared_ptr<const Image> image_b;     // B = the second image (else null)
    Perturbation perturb;                     // B = A perturbed (identity otherwise)
    SimilarityParams sim;
    ModelSpec model;
    std::string filter = "sobel_x";           // a bank filter, "user", "bilateral", or "patch_embed[c]" of the checkpoint
    float gaussian_sigma = 1.0f;
    std::vector<float> user_weights;          // "user": k x k, row-major
    BilateralParams bilateral;                // "bilateral"
    DynamicConvParams dynamic;                // "dynamic"
    // A ResNet checkpoint: the stage whose output the query is on (1..4 = layer1..layer4)
    // and the query: a cell of that stage's grid, or (second slot) of the ViT's patch
    // grid, mapped to the stage grid by position (< 0: the centre).
    int cnn_stage = 3;
    int query_row = -1, query_col = -1;
    bool analyses = false;                    // the Analyses window is open: the built-in model's distances too
};

// The app keeps two forward passes' attention (clean A and input B) within
// kAttentionBudgetBytes (vit/vit_memory.h): when a large input would pass it, B is not
// run and the app says so (a smaller --image-size brings it back).

// The longer side of the pictures the UI uploads: a window shows at most a few
// megapixels, and uploading a 12 MP photo (plus converting it) would stall a frame.
constexpr int kDisplayMaxSide = 2048;

// 8-bit RGB, ready for glTexImage (rows top to bottom, no padding).
struct DisplayPicture {
    int width = 0, height = 0;
    std::vector<unsigned char> rgb;
};
std::shared_ptr<const DisplayPicture> display_picture(const Image& img);   // converted off the UI thread

struct ComparisonResult {
    uint64_t id = 0;
    std::string family;                       // the model_families() row that computed it (model_family.h)
    std::shared_ptr<const Image> shown;       // input B as the model saw it (A perturbed, or the second
                                              // image centre-cropped and resized to A); = shown_a when B is off
    std::shared_ptr<const Image> shown_a;     // input A as the model saw it (clean)
    std::shared_ptr<const AttentionSet> current;    // attention of `shown`
    std::shared_ptr<const AttentionSet> reference;  // attention of clean A (kernel change is measured against it)
    ConvKernel kernel;                        // the filter used on `shown`
    ConvKernel kernel_reference;              // the filter used on clean A (built independently: same by construction)
    Plane response;                           // conv response of luminance(shown)
    bool response_reduced = false;            // computed at display resolution (shown is larger than kDisplayMaxSide)
    std::shared_ptr<const Image> shown_display;   // `shown` area-reduced to kDisplayMaxSide (= shown when it fits)
    // A data-dependent filter has no kernel of its own: the UI reads the kernel at the
    // query from these luminances (of `shown` and of the clean reference input), so
    // moving the query needs no new request. `kernel` is then the one at the centre.
    bool data_dependent = false;
    BilateralParams bilateral;
    DynamicConvParams dynamic;
    std::string filter;                       // the filter the result was computed with (the request's)
    // Luminance of B and of clean A, always: the comparison reads the conv response and
    // the data-dependent (bilateral) kernel around the query from them.
    std::shared_ptr<const Plane> lum_shown, lum_reference;
    Plane response_a;                         // a learned filter's response on A's model input (B's is `response`)
    std::string error;                        // non-empty: nothing else is valid
    std::string warning;                      // shown in the status line; the result is still valid
    bool model_failed = false;                // with error: the checkpoint could not be loaded
    // What the UI uploads, prepared here so the UI thread never converts a full-size
    // image: `shown` and `response` area-reduced to kDisplayMaxSide. Every number (readouts,
    // hover values, exports) still reads the full-resolution `shown` / `response`.
    std::shared_ptr<const DisplayPicture> shown_picture, shown_a_picture, response_picture;
    bool response_signed = true;              // of the full-resolution response: diverging, else gray
    double seconds = 0.0;
    uint64_t forward_passes = 0;              // model runs by the worker so far (tests assert caching)

    // ---- ViT only (vit == null for the built-in model) ----
    std::shared_ptr<const VitModel> vit;
    std::shared_ptr<const std::vector<ConvKernel>> learned;  // the patch-embedding filters
    std::string weights_path;
    VitResize resize = VitResize::ShorterSideCrop;
    std::vector<std::string> description;     // configuration as understood ("assumed: ..." lines)
    std::vector<std::pair<int, float>> top5;  // empty without a classifier head
    std::vector<std::string> top5_names;      // beside top5: ImageNet's names for a 1000-class head, else ""
    std::vector<float> mean_distance;         // [layers][heads], of `current`, input pixels
    // The paper's analyses of each input (Analyses window): mean attention distance in
    // model-input and original pixels, and (ViT) the Fourier dL(k) of every sub-block.
    std::shared_ptr<const ImageAnalysis> analysis_a, analysis_b;
    int model_w = 0, model_h = 0;             // the model's input size
    int crop_x = 0, crop_y = 0;               // where `shown` starts inside image A (crop mode)
    // Pixels of `shown` per kernel pixel: a learned filter acts on the model input, so
    // its p x p footprint covers exactly one patch of the picture.
    float kernel_px = 1.0f;
    std::string learned_prefix = "patch_embed";   // names of the learned filters: "patch_embed[c]" or "conv1[c]"

    // ---- ResNet (cnn: the model; cnn2: a ResNet in the second slot beside a ViT) ----
    // The fields below hold the effective kernel of whichever is loaded.
    // `current` / `reference` then hold the layout (the stage grid) and no matrices: a
    // CNN has no attention, and its kernel at a query needs one backward pass, so only
    // the query's "row" exists -- the effective kernel's |g| pooled onto the grid.
    std::shared_ptr<const ResnetModel> cnn, cnn2;
    std::string second_weights_path;
    std::string second_error;                 // the second slot's checkpoint failed: why (the rest is valid)
    int cnn_stage = 0, cnn_row = -1, cnn_col = -1, cnn_stride = 0;
    int cnn_grid_h = 0, cnn_grid_w = 0;
    int cnn_src_row = -1, cnn_src_col = -1;   // the query asked for (on the model's own grid)
    std::vector<float> cnn_row_a, cnn_row_b;              // [grid_h * grid_w], sum 1
    std::shared_ptr<const std::vector<float>> g_a, g_b;   // effective kernels [3][H][W] over the normalised inputs
    std::shared_ptr<const Image> cnn_input_a, cnn_input_b;   // what the network saw (H x W, 0..1)
    EffectiveKernelReadouts readouts_a, readouts_b;
    double cnn_change = 0.0;                              // kernel_change(g_a, g_b): TV of the normalised |g|
    std::shared_ptr<const DisplayPicture> g_a_picture, g_b_picture;
    uint64_t backward_passes = 0;
};

bool same_perturbation(const Perturbation& a, const Perturbation& b);
// Input B's perturbation when nothing else is asked: A with Gaussian noise of sigma 0.15.
inline Perturbation default_perturbation() {
    Perturbation p;
    p.noise_sigma = 0.15f;
    return p;
}
// Cell i of a grid of `from` cells, as the cell under the same point of a grid of `to`.
inline int map_cell(int i, int from, int to) {
    return std::clamp(static_cast<int>((i + 0.5) * to / std::max(1, from)), 0, std::max(0, to - 1));
}

}  // namespace ks
