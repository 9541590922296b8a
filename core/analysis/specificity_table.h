#pragma once
// data_specificity.csv as `analyze` writes it (header
// `kind,layer,head,specificity,std,images,queries`) as rows: made from a run's totals
// (what the CSV and data_specificity.png are written from) or read back from the file
// (the app's Analyses window draws the same figure from them: specificity_plot.h).
#include <string>
#include <vector>

#include "analysis/data_specificity.h"

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

// One row per (kind, layer, head) of `t`, in its order.
std::vector<SpecificityRow> specificity_rows(const std::vector<SpecificityTotals>& t);

}  // namespace ks
