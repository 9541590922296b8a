#pragma once
// data_specificity.png: the model's kind (attention: a dot per head at each layer, as
// the mean attention distance plot places them) against depth, and every model-free
// kind (one kernel per query, no layers) as a labelled horizontal line across the
// plot, the fixed conv's at 0. Drawn from the totals alone, so a merge draws it too.
#include <vector>

#include "analysis/data_specificity.h"
#include "draw/plot.h"

namespace ks {

// "data specificity: mean TV distance to the folder-mean kernel (unitless, 0 to 1)": the y axis's title.
extern const char* const kSpecificityAxisTitle;

// `t` in data_specificity.csv order; the first is the model's kind.
Figure data_specificity_figure(const std::vector<SpecificityTotals>& t);

}  // namespace ks
