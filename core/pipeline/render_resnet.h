#pragma once
// A render from a ResNet checkpoint: the forward pass, the effective kernel at one
// query of one stage, and what `kernelscope render` writes for it:
//   effective_kernel.npy  float32 [3,H,W] over the normalised input (H, W: the model input)
//   effective_kernel.png  sum over RGB of g, diverging about 0, over the image the network saw
//   conv1.png             the first layer's learned RGB filters as a grid
//   summary.json          model, stage grid, query, readouts, top-5 logits
// Pure computation: the caller writes the files.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "draw/effective_kernel_picture.h"
#include "cnn/effective_kernel.h"
#include "cnn/resnet_model.h"
#include "io/class_names.h"

namespace ks {

struct ResnetRenderOptions {
    ResnetInput input;
    int stage = 3;                                  // 1..4 = layer1..layer4
    std::optional<std::pair<int, int>> query;       // (row, col) on the stage grid; none = the centre
    float opacity = 0.75f;                          // of the kernel over the image
    std::shared_ptr<const ClassNames> class_names;  // of the classifier's outputs (null: indices only)
};

struct ResnetRender {
    Image input;                    // what the network saw (RGB 0..1)
    int stage = 3, row = 0, col = 0;
    int grid_h = 0, grid_w = 0, channels = 0, stride = 0;
    std::vector<float> g;           // [3][H][W]
    EffectiveKernelReadouts readouts;
    std::vector<std::pair<int, float>> top_logits;
    std::vector<std::string> top_logit_names;   // beside top_logits: "" where unknown
    std::vector<std::string> description;
    std::vector<ConvKernel> conv1;
};

ResnetRender render_resnet(const ResnetModel& m, const Image& image, const ResnetRenderOptions& opt);

// Pictures (8-bit-ready RGB 0..1).
Image effective_kernel_picture(const ResnetRender& r, float opacity);
Image conv1_grid_picture(const std::vector<ConvKernel>& filters, int cell = 6);

std::string resnet_summary_json(const ResnetRender& r, const ResnetRenderOptions& opt);
std::vector<std::pair<std::string, std::string>> resnet_render_files(const ResnetRender& r, const ResnetRenderOptions& opt);

}  // namespace ks
