#pragma once
// The one entry point the CLI (and later the app) uses for ResNets:
//
//   ks::ResnetModel m = ks::load_resnet("resnet50.safetensors");       // throws InputError
//   ks::ResnetRun r = ks::run_resnet(m, ks::load_image("cat.jpg"), {});  // forward, gates kept
//   std::vector<float> g = ks::effective_kernel(m.weights, r.forward, 3, row, col);
//
// Preprocessing is the ViT path's (image/model_input.h: shorter side, centre crop, ImageNet mean/std);
// since a CNN takes any size, ResnetInput::whole keeps the photo's own size instead.
#include <array>
#include <string>
#include <vector>

#include "cnn/resnet_backward.h"
#include "cnn/resnet_forward.h"
#include "cnn/resnet_weights.h"
#include "conv/conv_filters.h"
#include "image/image.h"

namespace ks {

struct ResnetModel {
    std::string path;
    ResnetWeights weights;
    // conv1's learned RGB kernels as filters ("conv1[c]"), without BatchNorm.
    std::vector<ConvKernel> conv1_filters() const;
};

struct ResnetInput {
    int size = 224;        // square side for the crop
    bool whole = false;    // keep the image's own size (no resize, no crop)
    std::array<float, 3> mean{0.485f, 0.456f, 0.406f};
    std::array<float, 3> std{0.229f, 0.224f, 0.225f};
};

struct ResnetRun {
    Image input;                // what the network saw, RGB 0..1, before normalisation
    std::vector<float> chw;     // the normalised input [3][H][W]
    ResnetForward forward;
};

ResnetModel load_resnet(const std::string& weights_path);

// Checks the settings (size 8..4096, std > 0) with one-sentence InputErrors, then
// preprocesses and runs the forward pass up to `last_stage`, keeping the gates.
ResnetRun run_resnet(const ResnetModel& m, const Image& image, const ResnetInput& in, int last_stage = 4);

// Parses "layer1".."layer4" (or "1".."4") to 1..4; InputError otherwise.
int parse_stage(const std::string& name);

}  // namespace ks
