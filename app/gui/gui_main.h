#pragma once
// Entry point of the desktop front end. app/main.cpp parses the command line and
// calls run_gui (run_gui.cpp); everything window-related lives behind this one function.
#include <optional>
#include <string>
#include <utility>

#include "pipeline/render.h"
#include "compare/comparison.h"
#include "vit/vit_config.h"
#include "image/model_input.h"

namespace ks::gui {

struct GuiLaunch {
    std::optional<std::string> image_path;         // none: the bundled sample image
    std::optional<std::pair<int, int>> query;      // (row, col) on the patch grid; none: the centre
    RenderOptions options;                         // model, view (layer, head, query kind), filter, colormap,
                                                   // opacity, mass threshold (as `render`)
    std::string prefix_query;                      // --query dist / regN: resolved once the model is loaded
    std::optional<std::string> screenshot_path;    // set: render a few frames, save PNG (+ .json sidecar), exit
    std::optional<std::string> second_image_path;  // image B for A/B mode
    std::optional<std::string> script_path;        // --script: play input events from this file (tests)
    std::optional<std::string> session_path;       // --session: a saved session to open (the only input flag then)
    std::optional<std::string> weights_path;       // ViT or ResNet checkpoint (.safetensors); none: the built-in model
    std::optional<std::string> config_path;        // its config.json (none: the one beside the weights)
    int stage = 3;                                 // a ResNet checkpoint: the query is on layer<stage>'s grid
    std::optional<std::string> beside_path;        // a ResNet in the second slot, beside the ViT of weights_path
    VitOverrides vit_overrides;                    // --heads, --image-size, --mean, --std
    VitResize vit_resize = VitResize::ShorterSideCrop;
    int width = 1600;                              // window size; with a screenshot this is the PNG size
    int height = 1000;
    bool window_given = false;
    float ui_scale = 0.0f;
    int frames = 0;                                // --frames N --report-fps: measure N hover frames, print, exit                         // --ui-scale (0: the monitor's content scale)                     // --window: also overrides the saved window size
    std::string b_mode;                            // --b perturbed | second | off ("" = perturbed, or second with --image-b)
    Perturbation b_perturb = default_perturbation();   // B = A perturbed
};

// Returns 0 on success. On failure prints one sentence to stderr and returns 2 for bad
// input (unreadable image or checkpoint, query / layer / head outside the model,
// unwritable screenshot) and 1 when
// no window/OpenGL context can be created (no display).
int run_gui(const GuiLaunch& launch);

}  // namespace ks::gui

namespace ks {
using gui::GuiLaunch;
using gui::run_gui;
}  // namespace ks
