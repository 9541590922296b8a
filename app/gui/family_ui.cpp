#include "family_ui.h"

#include <stdexcept>

#include "app_state.h"
#include "compare/model_family.h"

namespace ks::gui {

const std::vector<FamilyUi>& family_uis() {
    // One line per family, in core's order (model_families()): the catch-all comes last.
    static const std::vector<FamilyUi> table = [] {
        std::vector<FamilyUi> t = {builtin_family_ui(), resnet_family_ui(), vit_family_ui()};
        // A family core knows and the app does not draw would fall back to another's panels.
        const auto& core = model_families();
        bool same = t.size() == core.size();
        for (size_t i = 0; same && i < t.size(); ++i) same = std::string(t[i].family) == core[i].id;
        if (!same) throw std::logic_error("app/gui/family_ui.cpp: the app's family rows differ from model_families()");
        return t;
    }();
    return table;
}

void set_attention_captions(FamilyUi& f) {
    f.comparison_title = "Same query, two inputs: the attention kernel moves, the conv kernel does not###comparison";
    f.change_caption = "attention kernel change at q";
    f.change_caption_short = "attention at q";
    f.difference_caption = "B - A (attention difference)";
    f.local_caption = "Around q (7 x 7 patches): attention | conv response, the kernel's footprint to scale";
    f.local_caption_short = "Around q, 7 x 7 patches: attention | conv response";
    f.readout_name = "attn";
    f.readout_alone = "attention";
    f.has_attention = true;
}

const FamilyUi& family_ui_by_id(const std::string& id) {
    for (const FamilyUi& f : family_uis())
        if (id == f.family) return f;
    throw std::out_of_range("no model family '" + id + "' in the app's table");
}

const FamilyUi& family_ui(const AppState& app) {
    if (!app.result || !app.result->error.empty() || app.result->family.empty()) return family_uis().front();
    return family_ui_by_id(app.result->family);
}

const FamilyUi& model_section_ui(const AppState& app) {
    if (!app.model.has_checkpoint()) return family_uis().front();
    if (app.checkpoint_shown() && app.result->weights_path == app.model.weights_path) return family_ui(app);
    return family_uis().back();
}

const ModelFamily& shown_model_family(const AppState& app) { return family_by_id(family_ui(app).family); }

}  // namespace ks::gui
