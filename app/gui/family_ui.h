#pragma once
// The app's side of the model families (core/compare/model_family.h): one row per
// family with what the UI draws and writes differently for it -- its model section, the
// words for its kernel at a query, which panel takes the right column's middle, what
// it can step through, what the screenshot sidecar and the script's `state` say about
// it. The panels call through the row of the result on screen instead of asking which
// family it is. Rows: family_ui_builtin.cpp, family_ui_vit.cpp, family_ui_resnet.cpp;
// the table is in family_ui.cpp (docs/ARCHITECTURE.md: adding a family).
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

#include "attention/views.h"

namespace ks {
struct ComparisonResult;
struct ModelFamily;
}  // namespace ks

namespace ks::gui {

struct AppState;
struct Rect;

struct FamilyUi {
    const char* family;            // the model_families() id it draws
    const char* short_name;        // the status line: "ViT 120 ms"
    // Its part of the Model section: the built-in model's parameters, a ViT's overrides,
    // a ResNet's stage. A checkpoint's part comes under its name and resize choice.
    void (*draw_model_section)(AppState& app);
    const char* resize_help;       // what "crop" and "whole" mean for its input (checkpoints)

    // Its kernel at the query, in the comparison's words.
    const char* comparison_title;  // the centre panel's title on a wide window
    const char* change_caption, *change_caption_short;   // its box in the change strip
    const char* difference_caption;                       // over B - A
    const char* local_caption, *local_caption_short;     // over the 7 x 7 row around q
    std::string (*colorbar_caption)(const ComparisonResult& r);   // what the colour bar measures
    const char* readout_name;      // the readouts' columns: "attn A", "attn B"
    const char* readout_alone;     // the one column when B is off: "attention"

    // The panel between the conv panel and the readouts (null: none, the readouts take it),
    // and the least height it needs, in text lines (0: the user's split alone).
    void (*draw_side_panel)(AppState& app, const Rect& r);
    float side_panel_lines;

    // What there is to step through and look at.
    bool has_attention;            // attention rows: rollout, head maps, the Analyses window
    bool has_heads;                // layers x heads: the "All heads" centre view (V), , and .
    const char* layer_name;        // what [ and ] step through ("layer", "stage"); null: nothing
    // [ and ] when they do more than move the viewed layer (a ResNet: a new stage, a new
    // request); null: the attention's layers.
    void (*step_layer)(AppState& app, int d);
    // Why a window or an export that reads attention has nothing to show (has_attention false).
    const char* no_attention_analyses, *no_attention_head_maps;
    const char* model_pixel_note;  // the Analyses' unit tooltip: what one model pixel is
    // The learned filters in the filter combo (null: the family has none).
    const char* learned_filters_label, *learned_filters_tooltip;

    // --query / --layer / --head against the first result's grid; throws InputError.
    // Null: the attention's check (a prefix token by name, the view's row must exist).
    void (*check_launch_view)(AppState& app, const ComparisonResult& r, ViewSpec& v);
    // The model in the screenshot sidecar (full: tokens, prefix names, input size) and in
    // the script's `state` (brief).
    void (*model_json)(const AppState& app, nlohmann::json& j, bool full);
};

// Every family's row, in model_families() order (family_ui.cpp).
const std::vector<FamilyUi>& family_uis();
const FamilyUi& family_ui_by_id(const std::string& id);   // throws std::out_of_range
// The row of the result on screen; the built-in model's while there is none (or it failed).
const FamilyUi& family_ui(const AppState& app);
// The row whose Model section is drawn: the built-in model's without a checkpoint, the
// result's once the checkpoint asked for is on screen, and while it loads the catch-all
// row (core's table: a checkpoint nothing else holds goes to the ViT loader).
const FamilyUi& model_section_ui(const AppState& app);
// The core row of the result on screen (the second model slot is its property).
const ModelFamily& shown_model_family(const AppState& app);

// Each family's row (family_ui_*.cpp).
// The captions every attention model's row shares (the built-in model's and a ViT's).
void set_attention_captions(FamilyUi& f);

FamilyUi builtin_family_ui();
FamilyUi vit_family_ui();
FamilyUi resnet_family_ui();

// The second model slot's part of the Model section (a ResNet beside a ViT): drawn when
// the core row of the result on screen hosts the slot (family_ui_resnet.cpp).
void draw_second_slot_section(AppState& app);
// The ResNet's sidecar part, also written for a ResNet in the second slot beside a ViT.
void add_resnet_json(const ComparisonResult& r, nlohmann::json& j);

}  // namespace ks::gui
