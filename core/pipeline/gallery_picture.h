#pragma once
// gallery.png: every image of a gallery with its kernel at the query drawn over it (one
// colour scale for all, the query outlined), its TV distance to the mean kernel, and
// under each the fixed conv kernel as built on that image -- identical under every one,
// which is the point of the picture -- then the mean kernel. Images in the gallery's
// order (the largest distance first).
#include <string>

#include "compare/gallery.h"
#include "image/image.h"

namespace ks {

Image gallery_picture(const GalleryResult& g, const std::string& title);

// The pieces, for the app's gallery window (which draws what the file shows):
// one colour scale for every kernel and the mean (their largest value);
float gallery_scale(const GalleryResult& g);
// a picture fitted into side x side (area-reduced, then resized; black for none);
Image gallery_tile_base(const DisplayPicture* p, int side);
// kernel i's map (i = g.kernels.size(): the mean kernel, opaque) over a tile, t = v / scale,
// with the query outlined.
void draw_gallery_kernel(Image& tile, const GalleryResult& g, size_t i, float scale);

}  // namespace ks
