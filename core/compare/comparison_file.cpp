#include "compare/comparison_file.h"

namespace ks {

const char* b_mode_name(BMode m) {
    switch (m) {
        case BMode::Second: return "second";
        case BMode::Off: return "off";
        default: return "perturbed";
    }
}

nlohmann::json comparison_json(const ComparisonSummary& s) {
    nlohmann::json j = {{"image_a", s.image_a},
                        {"b_mode", b_mode_name(s.b_mode)},
                        {"image_b", s.b_mode == BMode::Second ? s.image_b : std::string()},
                        {"query", {{"row", s.query_row}, {"col", s.query_col}}},
                        {"kernel_change", kernel_changes_json(s.changes)}};
    if (s.b_mode == BMode::Perturbed) {
        const Perturbation& p = s.perturb;
        j["perturbation"] = {{"noise", p.noise_sigma},
                             {"noise_seed", p.noise_seed},
                             {"brightness", p.brightness},
                             {"contrast", p.contrast},
                             {"shift", {p.dx, p.dy}},
                             {"occlusion", {p.occlusion.x, p.occlusion.y, p.occlusion.w, p.occlusion.h}}};
    }
    return j;
}

}  // namespace ks
