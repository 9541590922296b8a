#pragma once
// Image B brought to image A's size for a side-by-side comparison, by one stated rule:
// the largest centred part of B with A's aspect ratio (a centre crop), resized to A's
// size. Never stretched, so a round object stays round.
#include "image/image.h"

namespace ks {

// The centred crop of `src` with the aspect ratio w : h (as large as `src` allows).
Image centre_crop_to_aspect(const Image& src, int w, int h);
// centre_crop_to_aspect, then a bilinear resize to exactly w x h; `src` as it is when
// it already has that size.
Image match_size_centre_crop(const Image& src, int w, int h);

}  // namespace ks
