#pragma once
// Fitting an image to a patch grid: both sides become multiples of the patch size,
// at most kMaxPatchesPerSide patches a side, aspect ratio kept as closely as possible.
#include "image/image.h"

namespace ks {

constexpr int kMinPatch = 4;
constexpr int kMaxPatch = 32;
constexpr int kMaxPatchesPerSide = 64;

struct PatchGrid {
    int patch = 16;
    int grid_h = 0;
    int grid_w = 0;
    int width() const { return grid_w * patch; }
    int height() const { return grid_h * patch; }
};

// The grid an image of this size gets. Throws InputError for a patch outside 4..32.
PatchGrid fit_patch_grid(int width, int height, int patch);
// The image resized (bilinear) to exactly the grid's pixel size.
Image resize_to_grid(const Image& img, const PatchGrid& grid);

}  // namespace ks
