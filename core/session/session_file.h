#pragma once
// A session: what a user would save of the app and open again to see the same thing —
// the inputs, the model, the query, the view, the conv filter, the perturbation, the
// built-in model's parameters, the display options and the layout. One plain struct
// and its file (JSON, written atomically, read with bounded size and nesting; every
// value checked, so a bad file is one sentence and nothing else).
#include <optional>
#include <string>
#include <vector>

#include "attention/query_comparison.h"
#include "attention/similarity_attention.h"
#include "attention/views.h"
#include "conv/bilateral.h"
#include "conv/dynamic_conv.h"
#include "draw/colormap.h"
#include "image/model_input.h"
#include "image/perturb.h"
#include "vit/vit_config.h"

namespace ks {

// What input B of the comparison is: A perturbed, the second image, or none.
enum class SessionInputB { Perturbed, Second, Off };

struct SessionSettings {
    struct Inputs {
        std::string image_a;                 // an absolute path
        std::string image_b;                 // "" = no second image
        SessionInputB b = SessionInputB::Perturbed;
    } inputs;
    struct Model {
        std::string checkpoint;              // "" = the built-in similarity model
        std::string config;                  // the checkpoint's config.json ("" = the one beside it)
        std::string second_checkpoint;       // a ResNet beside the ViT ("" = none)
        VitOverrides overrides;
        VitResize resize = VitResize::ShorterSideCrop;
        int stage = 3;                       // a ResNet: the query is on layer<stage>'s grid
    } model;
    struct Query {
        int row = 0, col = 0;                // on the model's grid
        bool pinned = false;                 // false: it follows the pointer
    } query;
    ViewSpec view;                           // layer, head or reduction, query kind
    struct Filter {
        std::string name = "sobel_x";        // conv/filter_choice.h, or a checkpoint's "patch_embed[c]" / "conv1[c]"
        float gaussian_sigma = 1.0f;
        std::vector<float> user_weights;     // k x k; empty = none yet
        BilateralParams bilateral;
        DynamicConvParams dynamic;
    } filter;
    Perturbation perturbation;               // of B = A perturbed
    SimilarityParams similarity;             // the built-in model
    struct Display {
        Colormap colormap = Colormap::Inferno;
        float opacity = 0.6f;
        bool smooth = false, outline = true, footprint = true;
        bool mask = false;                   // the mass-threshold mask
        float mask_threshold = 0.6f;
        HeatOptions heat;
        bool heads_in_centre = false;        // the centre shows every layer and head (V)
        float zoom = 1.0f;                   // one zoom for A, B and B - A
        float zoom_x = 0.5f, zoom_y = 0.5f;  // the image point at the pictures' centre (0..1)
        bool analyses = false;               // the Analyses window is open
    } display;
    struct Layout {
        float sidebar = 0.0f;                // unscaled pixels; 0 = a share of the window
        float right = 0.25f, conv = 0.5f, heads = 0.5f;   // shares of the window
    } layout;
};

// The file's text. Floats are written in the fewest digits that read back to the same float.
std::string session_to_json(const SessionSettings& s);
// Throws InputError with one sentence naming `name` and the bad entry.
SessionSettings session_from_json(const std::string& text, const std::string& name);

void save_session_file(const std::string& path, const SessionSettings& s);   // atomically
SessionSettings load_session_file(const std::string& path);                 // at most 1 MiB

}  // namespace ks
