#pragma once
// A CNN's effective kernel as a picture over the input it was taken on.
#include <vector>

#include "image/image.h"

namespace ks {

// The same from its parts: g [3][H][W] over `input` (H x W, RGB 0..1), the query's
// cell (row, col) of a stage of this stride outlined.
Image effective_kernel_picture(const std::vector<float>& g, const Image& input, int row, int col, int stride, float opacity);

}  // namespace ks
