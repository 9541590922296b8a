#pragma once
// Command-line flags shared by `render`, `--screenshot` and the GUI launch.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compare/comparison.h"
#include "image/perturb.h"
#include "pipeline/render.h"
#include "vit/vit_config.h"
#include "image/model_input.h"

namespace ks {

struct CliOptions {
    std::optional<std::string> image;      // none: the bundled sample
    std::optional<std::string> image_b;    // second image: input B with --b second (the default when given)
    Perturbation perturb = default_perturbation();   // input B with --b perturbed: --noise, --brightness, ...
    std::optional<std::string> out_dir;    // render, gallery
    std::vector<std::string> images;       // gallery: a folder, or image files
    std::optional<std::string> screenshot; // GUI one-shot
    std::optional<std::string> script;     // GUI: input events to play (tests)
    std::optional<std::string> session;    // GUI: a saved session (File > Save session) to open at launch
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
    bool filter_given = false;
    std::vector<std::string> given;        // the flags on the command line, once each (check_flags_for_family)
    // GUI only: the window size, what input B is, and the noise of "B = A perturbed".
    std::optional<std::pair<int, int>> window;
    std::optional<std::string> b_mode;     // perturbed | second | off
    std::optional<float> ui_scale;
    int frames = 0;                        // --frames N (with --report-fps)
    bool report_fps = false;
};

// Where a flag applies: the command (a bit each) and the model family.
enum class CliCommand { App, Render, Gallery };
constexpr unsigned kForApp = 1, kForRender = 2, kForGallery = 4;
enum class FlagFamily {
    Any,          // every model
    Builtin,      // the built-in similarity model's parameters
    Attention,    // models with attention rows: the built-in model and a ViT (layers, heads)
    Checkpoint,   // a checkpoint of any family (its input size, normalisation, resize)
    Vit,
    Resnet,
};
struct FlagInfo {
    std::string name;
    unsigned commands;
    FlagFamily family;
    bool takes_value;
};
std::vector<FlagInfo> cli_flags();   // every flag parse_cli knows (the tests go over each)
bool flag_applies(FlagFamily flag, FlagFamily model);   // model: Builtin, Vit or Resnet
std::string family_phrase(FlagFamily f);                // "a ViT checkpoint", ...

// Parses the flags of `command`; throws InputError with one sentence on a bad flag or
// value, or a flag of another command (never silently ignored).
CliOptions parse_cli(const std::vector<std::string>& args, CliCommand command);
// Once the model's family is known (the checkpoint's tensor names): a given flag that
// does not apply to it is refused with one sentence.
void check_flags_for_family(const CliOptions& o, FlagFamily model);
FlagFamily model_flag_family(const std::optional<std::string>& weights);   // from the checkpoint's tensor names

// A flag's whole-number value in lo..hi (64-bit), else one sentence naming the flag.
long long parse_whole(const std::string& flag, const std::string& v, long long lo, long long hi);

// Help texts listing every flag.
std::string main_help();
std::string render_help();

}  // namespace ks
