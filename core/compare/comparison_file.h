#pragma once
// comparison.json: what was compared (image A, what B is, the query) and the kernel
// changes by kind. One writer for the app's Ctrl+E and `kernelscope render`, so the
// same flags give the same keys and numbers.
#include <string>

#include <nlohmann/json.hpp>

#include "compare/comparison_at_query.h"

namespace ks {

struct ComparisonSummary {
    std::string image_a;
    BMode b_mode = BMode::Perturbed;
    std::string image_b;          // the second image's path (b_mode Second), else ""
    Perturbation perturb;         // B = A perturbed's (b_mode Perturbed)
    int query_row = 0, query_col = 0;
    KernelChanges changes;
};

const char* b_mode_name(BMode m);   // "perturbed", "second", "off"
nlohmann::json comparison_json(const ComparisonSummary& s);

}  // namespace ks
