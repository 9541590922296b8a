#pragma once
// Mean attention distance (Dosovitskiy et al. 2020; attention/views.h) in the pixels of the
// user's original image as well as in model-input pixels. The model sees a resized
// (and maybe cropped) copy, so one model-input pixel spans `scale` original pixels,
// possibly different across and down when the whole image is squeezed to the input.
#include <vector>

#include "attention/attention_set.h"
#include "image/model_input.h"

namespace ks {

struct PixelScale {
    double x = 1.0, y = 1.0;   // original pixels per model-input pixel, across and down
};

// For an original w x h image shown to a model_w x model_h input with `mode`: Whole
// stretches each axis on its own; ShorterSideCrop scales both by the same factor
// (the shorter side fits) and crops, so x == y.
PixelScale original_pixel_scale(int original_w, int original_h, int model_w, int model_h, VitResize mode);

// The mean attention distance (attention/views.h) with patch offsets measured as
// (dx * patch * scale.x, dy * patch * scale.y). scale {1, 1} gives exactly
// views.h's mean_attention_distance (model-input pixels). Returns [layers][heads].
std::vector<float> mean_attention_distance_scaled(const AttentionSet& a, PixelScale scale);

// Both at once, for plots that label either axis.
struct MeanDistances {
    int layers = 0, heads = 0;
    std::vector<float> model_px;      // [layers][heads], model-input pixels
    std::vector<float> original_px;   // [layers][heads], original-image pixels
};
MeanDistances mean_distances(const AttentionSet& a, PixelScale scale);

}  // namespace ks
