#include "image/patch_grid.h"

#include <algorithm>
#include <cmath>

namespace ks {

PatchGrid fit_patch_grid(int width, int height, int patch) {
    if (patch < kMinPatch || patch > kMaxPatch) {
        throw InputError("Patch size " + std::to_string(patch) + " is outside the allowed range " +
                         std::to_string(kMinPatch) + ".." + std::to_string(kMaxPatch) + ".");
    }
    if (width <= 0 || height <= 0) throw InputError("Cannot fit an empty image to a patch grid.");
    PatchGrid g;
    g.patch = patch;
    // Round each side to the nearest whole number of patches, then shrink both by the
    // same factor if either exceeds the cap, so the aspect ratio is kept.
    double gw = std::max(1.0, std::round(static_cast<double>(width) / patch));
    double gh = std::max(1.0, std::round(static_cast<double>(height) / patch));
    const double scale = std::min(1.0, kMaxPatchesPerSide / std::max(gw, gh));
    if (scale < 1.0) {
        gw = std::max(1.0, std::round(static_cast<double>(width) / patch * scale));
        gh = std::max(1.0, std::round(static_cast<double>(height) / patch * scale));
    }
    g.grid_w = std::min(static_cast<int>(gw), kMaxPatchesPerSide);
    g.grid_h = std::min(static_cast<int>(gh), kMaxPatchesPerSide);
    return g;
}

Image resize_to_grid(const Image& img, const PatchGrid& grid) {
    return resize(img, grid.width(), grid.height(), Interp::Bilinear);
}

}  // namespace ks
