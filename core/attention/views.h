#pragma once
// Views onto an attention set: which row the user looks at (a patch, a prefix token,
// rollout), reduced over heads, and mapped onto the patch grid.
#include <string>
#include <vector>

#include "attention/attention_set.h"

namespace ks {

enum class HeadReduce { Single, Mean, Max };
enum class QueryKind { Patch, Prefix, Rollout };

struct ViewSpec {
    int layer = 0;
    HeadReduce reduce = HeadReduce::Single;
    int head = 0;                     // for Single
    QueryKind kind = QueryKind::Patch;
    int row = 0, col = 0;             // for Patch
    int prefix = 0;                   // for Prefix (0 = CLS) and Rollout (which prefix row of R; -1 = mean over patch rows)
};

// The query's token index (Patch/Prefix); throws InputError when out of range.
int query_token(const AttentionSet& a, const ViewSpec& v);
// The index of a prefix token by name ("cls", "dist", "reg0", ...); InputError naming
// the tokens the model has when there is no such token.
int prefix_index(const TokenLayout& layout, const std::string& name);
// One N-long weighting. Max over heads is not a distribution, so it is not renormalised.
std::vector<float> view_row(const AttentionSet& a, const ViewSpec& v);
// The patch part of an N-long row, as gh x gw row-major.
std::vector<float> patch_heatmap(const std::vector<float>& row, const TokenLayout& layout);

// Abnar & Zuidema: Abar_l = 0.5 mean_h A_l + 0.5 I, rows renormalised,
// R = Abar_L ... Abar_1. Returns N x N row-major. `upto` = last layer included (-1 = all).
std::vector<float> attention_rollout(const AttentionSet& a, int upto = -1);

// Dosovitskiy et al.: per layer and head, mean over patch queries of
// sum_j a_ij ||pos_i - pos_j|| (input pixels), patch keys only, weights renormalised.
// Returns [layers][heads].
std::vector<float> mean_attention_distance(const AttentionSet& a);
// The same average over a given patch-to-patch distance table [np][np] (in any unit),
// for every layer and head: each query patch's attention-weighted distance over the
// patches, averaged over the query patches.
std::vector<float> mean_attention_distance(const AttentionSet& a, const std::vector<float>& patch_distances);

}  // namespace ks
