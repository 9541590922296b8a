#pragma once
// DINO's visualize_attention.py saves, for one query (the CLS token of the last layer),
// every head's attention over the patches as its own map. head_maps is that computation
// for any layer and query token; pipeline/head_map_files.h turns the maps into PNGs.
#include <vector>

#include "attention/attention_set.h"

namespace ks {

// [heads][gh * gw]: for each head of `layer`, the patch part of row `query_token`
// (row-major over the grid, prefix tokens left out; not renormalised, as DINO's maps).
// Throws InputError when the layer or token does not exist, or when `a` holds no
// matrices (a ResNet's stage layout: nothing has heads there).
std::vector<std::vector<float>> head_maps(const AttentionSet& a, int layer, int query_token);

}  // namespace ks
