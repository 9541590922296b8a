#pragma once
// Turning the user's image into what a model sees: resized (and cropped) to the
// model's input size, then normalised per channel with the model's mean/std. Both
// model families use it (vit/, cnn/), so it sits below them; the names still say
// ViT, the first family that used it.
#include <array>
#include <vector>

#include "image/image.h"

namespace ks {

enum class VitResize {
    ShorterSideCrop,  // scale so the shorter side fits, then centre-crop (torchvision Resize + CenterCrop)
    Whole,            // scale the whole image to the input size (aspect ratio not kept)
};

struct VitInput {
    Image shown;              // the model's view, RGB 0..1, before normalisation (heatmaps go over this)
    std::vector<float> chw;   // normalised [3][height][width]
};

// An image already at width x height is used as is, whatever the mode.
// Resizing is bicubic; a large reduction is first box-averaged down to at most
// twice the target so that fine detail does not alias.
VitInput preprocess_vit(const Image& img, int width, int height, VitResize mode,
                        const std::array<float, 3>& mean, const std::array<float, 3>& std);

// Normalisation alone, for an image already at the input size.
std::vector<float> normalise_chw(const Image& img, const std::array<float, 3>& mean, const std::array<float, 3>& std);

// The part of the original image the model saw, at the original resolution: the whole
// image for VitResize::Whole, the centred crop for ShorterSideCrop. Heatmaps are drawn
// over it so they keep the user's resolution.
Image model_view_of_original(const Image& original, int model_w, int model_h, VitResize mode);

}  // namespace ks
