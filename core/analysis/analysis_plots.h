#pragma once
// The figures `kernelscope analyze` writes beside its CSVs, from the totals alone (so a
// merge draws them too):
//   mean_attention_distance.png: layer on x, one dot per head (model-input pixels), the
//                                layer mean as a line (Dosovitskiy et al., Fig. 7);
//   fourier.png:                 high-frequency dL (largest k) against depth: input, then
//                                per block the MSA (red, shaded band) and MLP (blue)
//                                sub-block outputs (Park & Kim, Fig. 2 / Fig. 8);
//   fourier_curves.png:          dL(k) for k = 0..max of every sub-block's token maps,
//                                coloured from dark (input) to bright (last block).
#include <string>
#include <utility>
#include <vector>

#include "analysis/folder_analysis.h"
#include "image/image.h"

namespace ks {

std::vector<std::pair<std::string, Image>> analysis_plots(const AnalysisTotals& t);

}  // namespace ks
