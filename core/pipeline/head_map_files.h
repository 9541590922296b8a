#pragma once
// Every head's map for one query at one layer as PNG files, as DINO's
// visualize_attention.py saves them: one attn-head picture per head, each patch
// nearest-upsampled to patch x patch pixels (so a ViT's maps have its input size), plus
// the image they lie over. `kernelscope render --head-maps` and the app's
// File > Export head maps both write these.
#include <string>
#include <utility>
#include <vector>

#include "attention/attention_set.h"
#include "image/image.h"
#include "draw/colormap.h"

namespace ks {

struct HeadMapStyle {
    Colormap colormap = Colormap::Inferno;
    float opacity = 0.0f;   // 0: the map alone (as DINO's); > 0: blended over the image at this opacity
};

// "attn-layer{layer}-head{head}.png".
std::string head_map_file_name(int layer, int head);

// `image` (what the model saw, any size) brought to the maps' size, grid_w * patch x
// grid_h * patch: area-averaged first when it is much larger (no aliasing), then bilinear.
Image head_map_background(const Image& image, const TokenLayout& layout);

// One map (grid_h x grid_w) coloured on its own min..max (DINO's plt.imsave scales each
// map so), every patch a patch x patch block of one colour. With opacity > 0 it is
// blended over `under`, which must have the maps' size (head_map_background).
Image head_map_picture(const std::vector<float>& map, const TokenLayout& layout, const HeadMapStyle& style,
                       const Image& under);

// The files, named folder + "attn-layer{L}-head{h}.png" for every head of `layer` at row
// `query_token`, and folder + "image.png" (DINO's img.png: `image` at the maps' size).
// InputError as head_maps() for a layer, token or model without heads.
std::vector<std::pair<std::string, std::string>> head_map_files(const AttentionSet& a, int layer, int query_token,
                                                                const Image& image, const HeadMapStyle& style,
                                                                const std::string& folder);

}  // namespace ks
