#pragma once
// data_specificity.csv as `analyze` writes it (header
// `kind,layer,head,specificity,std,images,queries`), read back for the app's Analyses
// window, and its figure: depth (layer or stage) on x, specificity on y, a dot per head
// of each model kind, the model-free kinds (bilateral, dynamic, fixed conv: exactly 0)
// as labelled horizontal reference lines.
#include <string>
#include <vector>

#include "draw/plot.h"

namespace ks {

struct SpecificityRow {
    std::string kind;
    int layer = 0, head = 0;
    double specificity = 0, std = 0;
    long long images = 0, queries = 0;
};

// InputError (one sentence naming `what` and the line) on a wrong header, an unknown
// kind, a number that does not parse or lies outside its range (specificity 0..1).
std::vector<SpecificityRow> parse_specificity_csv(const std::string& text, const std::string& what);

Figure specificity_csv_figure(const std::vector<SpecificityRow>& rows, const std::string& title);

}  // namespace ks
