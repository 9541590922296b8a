#pragma once
// One render: image + model settings + query + filter -> every number and picture the
// CLI exports and the GUI shows. Pure computation; writing files is the caller's.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "attention/attention_set.h"
#include "conv/bilateral.h"
#include "conv/dynamic_conv.h"
#include "draw/colormap.h"
#include "draw/response_picture.h"
#include "conv/conv_filters.h"
#include "conv/convolution.h"
#include "image/image.h"
#include "io/class_names.h"
#include "attention/similarity_attention.h"
#include "attention/views.h"

namespace ks {

struct RenderOptions {
    SimilarityParams sim;
    ViewSpec view;                    // query (row, col on the patch grid), layer, head
    std::string filter = "sobel_x";   // a bank name, "user", "bilateral" or "patch_embed[c]"
    float gaussian_sigma = 1.0f;
    std::vector<float> user_weights;  // filter "user": k x k, row-major
    BilateralParams bilateral;        // filter "bilateral"
    DynamicConvParams dynamic;        // filter "dynamic" (conv/dynamic_conv.h)
    ConvMode conv_mode = ConvMode::Luminance;
    Colormap colormap = Colormap::Inferno;
    float opacity = 0.6f;
    float mass_threshold = 0.0f;      // > 0: also the DINO mask keeping this much of the heatmap's mass
    // Names of a classifier's outputs (ImageNet-1k's, from the data folder); null or of
    // another length than the checkpoint's classifier: the top logits carry indices only.
    std::shared_ptr<const ClassNames> class_names;
};

struct RenderResult {
    Image image;              // the input at its own resolution
    AttentionSet attention;
    std::vector<float> row;   // the viewed N-long row
    std::vector<float> heatmap;  // gh x gw
    ConvKernel kernel;        // a data-dependent filter: the kernel at (kernel_x, kernel_y)
    bool data_dependent = false;
    int kernel_x = -1, kernel_y = -1;   // image pixel the data-dependent kernel belongs to
    Plane response;           // conv response on luminance (first channel for PerChannel)
    Image response_rgb;       // PerChannel only
    std::vector<unsigned char> mass_mask;  // gh x gw 0/1, when opt.mass_threshold > 0
    // What the summary says about the model: "similarity" with its parameters, or a
    // checkpoint's configuration as understood and its top-5 logits.
    std::string model_name = "similarity";
    std::vector<std::string> model_description;
    std::vector<std::pair<int, float>> top_logits;
    std::vector<std::string> top_logit_names;   // beside top_logits: the class names, "" where unknown
    std::vector<float> fourier_high_frequency;   // per block (ViT only): dL at the largest k
};

// Attention from the built-in model; the query must lie on the grid (InputError otherwise).
RenderResult render_builtin(const Image& image, const RenderOptions& opt);
// Fills row/heatmap/kernel/response/mask for r.attention and r.image. The filter is
// looked up in `extra_filters` (a checkpoint's learned filters) first, then the bank,
// "user" and "bilateral"; the bilateral kernel is the one at the query patch's centre
// pixel (the image centre for a CLS or rollout query).
// A learned (RGB) filter is applied to `learned_input` when given (what the patch
// embedding sees: the normalised model input), else to r.image.
void finish_render(RenderResult& r, const RenderOptions& opt, const std::vector<ConvKernel>& extra_filters = {},
                   const Image* learned_input = nullptr);

// Pictures, all 8-bit RGB at the stated size.
// The heatmap over the image at the image's own size, patch-exact, query patch outlined.
Image heatmap_overlay(const Image& image, const std::vector<float>& heatmap, const TokenLayout& layout,
                      Colormap cmap, float opacity, int query_row, int query_col);
// to_rgb8(heatmap_overlay(...)) without the float picture between.
std::vector<unsigned char> heatmap_overlay_rgb8(const Image& image, const std::vector<float>& heatmap, const TokenLayout& layout,
                                                Colormap cmap, float opacity, int query_row, int query_col);
// Kernel magnified to `cell` px per weight, diverging colormap symmetric about 0.
Image kernel_picture(const ConvKernel& k, int cell = 32);
// The summary.json text for a render.
std::string render_summary_json(const RenderResult& r, const RenderOptions& opt);
// Everything `kernelscope render` writes, as (file name, bytes).
std::vector<std::pair<std::string, std::string>> render_files(const RenderResult& r, const RenderOptions& opt);

}  // namespace ks
