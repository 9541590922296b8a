#pragma once
// Resizing a ViT's learned position embedding to another patch grid, the way
// timm's resample_abs_pos_embed and Hugging Face's interpolate_pos_encoding do
// when upsampling: torch.nn.functional.interpolate(mode="bicubic",
// align_corners=False), cubic convolution with a = -0.75, edge samples repeated.
// (timm passes antialias=True, which only changes the result when shrinking.)
#include <vector>

namespace ks {

// `src` is [gh][gw][dim] row-major (one embedding per patch); returns
// [new_h][new_w][dim]. Same size returns a copy.
std::vector<float> resample_pos_grid(const std::vector<float>& src, int gh, int gw, int dim, int new_h, int new_w);

}  // namespace ks
