#pragma once
// Small pure computations the desktop app shows for any attention model, kept here
// so that every number on screen can be tested without a window:
// the per-layer/per-head rows of one query (the heads grid), the DINO mask of a
// heatmap, and how an RGB (learned) kernel is coloured and applied.
#include <array>
#include <vector>

#include "attention/attention_set.h"
#include "conv/conv_filters.h"
#include "image/image.h"

namespace ks {

// The patch part of row `query_token` for every layer and head: [layers][heads][gh*gw].
std::vector<float> head_grid_rows(const AttentionSet& a, int query_token);

// DINO's mask over weights: the smallest set of entries whose weights sum to at least t.
// Returns a 0/1 mask of size n.
std::vector<unsigned char> attention_mass_mask(const float* w, int n, float t);

// DINO's mask over a patch heatmap: the weights are renormalised over the patches
// first (prefix tokens are not on the image), then the fewest patches holding at
// least t of the mass are kept (1) and the rest dropped (0). t <= 0: all kept.
std::vector<unsigned char> heatmap_mass_mask(const std::vector<float>& heatmap, float t);

// A kernel as k x k RGB in 0..1: an RGB kernel (channels = 3) shows each channel's
// weight around mid-gray, 0.5 + 0.5 w / max|w| (as kernel_picture colours it); a
// one-channel kernel is gray at the same scale.
Image kernel_rgb(const ConvKernel& k);

// y(p) = sum_c sum_u w_c(u) x_c(p+u) for an RGB kernel (each input channel with its
// own kernel channel, summed, as a conv layer's output channel does); a one-channel
// kernel is applied to the luminance.
Plane kernel_response(const Image& x, const ConvKernel& k);

// (x - mean) / std per channel: what a ViT's patch embedding is applied to.
Image normalised_image(const Image& x, const std::array<float, 3>& mean, const std::array<float, 3>& std);

}  // namespace ks
