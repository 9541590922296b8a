#pragma once
// The model `kernelscope analyze` runs: the one place it tells a ViT from a ResNet (by the
// checkpoint's tensor names, cnn/checkpoint_kind.h).
//   ViT:    pass 1 measures mean attention distance, Fourier dL and the kernel sums of
//           attention and the model-free kinds at its patch grid; pass 2 their departures.
//   ResNet: data specificity only: the effective kernel per stage and the model-free kinds
//           at its 3 x 3 query grid (analysis/resnet_specificity.h), on a 224 x 224 input.
//           Mean attention distance and Fourier dL measure a ViT's tokens, so a ResNet
//           run writes neither (analysis.json says so under "measures").
#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli_analyze_specificity.h"
#include "analysis/folder_analysis.h"
#include "cnn/resnet_model.h"
#include "image/image.h"
#include "vit/vit_model.h"

namespace ks {

struct AnalyzeModel {
    std::optional<VitModel> vit;
    std::optional<ResnetModel> resnet;
    static constexpr int kResnetInputSize = 224;

    // `config` and `layers` are a ViT's (refused with a ResNet, one sentence).
    static AnalyzeModel load(const std::string& weights, const std::string& config, const std::string& layers);
    int input_w() const;
    int input_h() const;
    std::vector<KernelShape> specificity_shapes() const;
    // analysis.json's fields for the model: family, measures, shape, model, model_input, grid.
    nlohmann::json identity() const;
    // What one image costs beyond a ViT's forward pass ("" for a ViT).
    std::string cost_words() const;
    // One image: pass 1 adds its numbers to `totals` (a ViT's) and its kernels to the sums;
    // pass 2 measures its kernels against the mean. `model_done` is called once the model
    // has run (forward, and a ResNet's backward passes), before the single-threaded
    // measures: the caller decodes the next image then, on the core the measures leave
    // free, instead of taking a core from the model's threads. Throws Cancelled when
    // `stop` is set.
    void analyse(const Image& image, const std::string& name, const ImageLoadInfo& info, VitResize resize, int pass,
                 const std::atomic<bool>& stop, const std::function<void()>& model_done, AnalysisTotals& totals,
                 SpecificityRun& spec) const;
};

}  // namespace ks
