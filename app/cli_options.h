#pragma once
// Command-line flags shared by `render`, `--screenshot` and the GUI launch.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/render.h"
#include "vit/vit_config.h"
#include "image/model_input.h"

namespace ks {

struct CliOptions {
    std::optional<std::string> image;      // none: the bundled sample
    std::optional<std::string> image_b;    // second image for A/B (GUI)
    std::optional<std::string> out_dir;    // render
    std::optional<std::string> screenshot; // GUI one-shot
    std::optional<std::string> script;     // GUI: input events to play (tests)
    std::optional<std::string> weights;    // ViT or ResNet checkpoint (.safetensors)
    std::optional<std::string> beside;     // app: a ResNet shown beside the ViT of --weights
    std::optional<std::string> config;     // config.json for the checkpoint
    VitOverrides vit_overrides;            // --heads, --image-size, --mean, --std
    VitResize vit_resize = VitResize::ShorterSideCrop;
    bool query_given = false;
    std::string prefix_name;               // --query dist / reg0 / ...: resolved once the model is known
    bool layer_given = false;
    std::optional<std::string> stage;      // ResNet: layer1..layer4 (render --weights resnet.safetensors)
    RenderOptions render;
    // render: every head's map of the query at the layer (DINO's attn-head PNGs), in heads/;
    // with the overlay, drawn over the image at --opacity.
    bool head_maps = false;
    bool head_maps_overlay = false;
    bool help = false;
    // GUI only: the window size, what input B is, and the noise of "B = A perturbed".
    std::optional<std::pair<int, int>> window;
    std::optional<std::string> b_mode;     // perturbed | second | off
    std::optional<float> b_noise;
    std::optional<float> ui_scale;
    int frames = 0;                        // --frames N (with --report-fps)
    bool report_fps = false;
};

// Parses argv[first..]; throws InputError with one sentence on a bad flag or value.
CliOptions parse_cli(const std::vector<std::string>& args);

// A flag's whole-number value in lo..hi (64-bit), else one sentence naming the flag.
long long parse_whole(const std::string& flag, const std::string& v, long long lo, long long hi);

// Help texts listing every flag.
std::string main_help();
std::string render_help();

}  // namespace ks
