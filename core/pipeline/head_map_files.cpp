#include "pipeline/head_map_files.h"

#include <algorithm>

#include "attention/head_maps.h"
#include "image/downscale.h"
#include "io/file_output.h"
#include "io/input_error.h"

namespace ks {

namespace {

void check_layout(const TokenLayout& lay) {
    if (lay.grid_h < 1 || lay.grid_w < 1 || lay.patch < 1)
        throw InputError("This model has no patch grid to draw head maps on.");
}

}  // namespace

std::string head_map_file_name(int layer, int head) {
    return "attn-layer" + std::to_string(layer) + "-head" + std::to_string(head) + ".png";
}

Image head_map_background(const Image& image, const TokenLayout& lay) {
    check_layout(lay);
    const int w = lay.grid_w * lay.patch, h = lay.grid_h * lay.patch;
    if (image.width == w && image.height == h) return image;
    // Bilinear alone would skip most pixels of a photo many times the maps' size.
    const int side = 2 * std::max(w, h);
    return resize(image.width > side || image.height > side ? downscale_to_fit(image, side) : image, w, h);
}

Image head_map_picture(const std::vector<float>& map, const TokenLayout& lay, const HeadMapStyle& style, const Image& under) {
    check_layout(lay);
    const int gh = lay.grid_h, gw = lay.grid_w, p = lay.patch;
    if (map.size() != static_cast<size_t>(gh) * gw) throw InputError("A head map does not have the patch grid's size.");
    const bool blend = style.opacity > 0.0f;
    if (blend && (under.width != gw * p || under.height != gh * p))
        throw InputError("The image under the head maps does not have their size.");
    const auto [lo_it, hi_it] = std::minmax_element(map.begin(), map.end());
    const float lo = *lo_it, span = *hi_it > lo ? *hi_it - lo : 1.0f;
    Image out;
    out.width = gw * p;
    out.height = gh * p;
    out.rgb.resize(static_cast<size_t>(out.width) * out.height * 3);
    const float a = std::clamp(style.opacity, 0.0f, 1.0f);
    for (int y = 0; y < out.height; ++y)
        for (int x = 0; x < out.width; ++x) {
            // Nearest: the pixel takes its patch's value, as DINO's interpolate(scale_factor=patch, mode="nearest").
            const auto c = colormap_rgb(style.colormap, (map[static_cast<size_t>(y / p) * gw + x / p] - lo) / span);
            for (int ch = 0; ch < 3; ++ch)
                out.at(x, y, ch) = blend ? (1 - a) * under.at(x, y, ch) + a * c[ch] : c[ch];
        }
    return out;
}

std::vector<std::pair<std::string, std::string>> head_map_files(const AttentionSet& a, int layer, int query_token,
                                                                const Image& image, const HeadMapStyle& style,
                                                                const std::string& folder) {
    const std::vector<std::vector<float>> maps = head_maps(a, layer, query_token);
    const Image under = head_map_background(image, a.layout);
    auto png = [](const Image& img) { return png_bytes(to_rgb8(img), img.width, img.height); };
    std::vector<std::pair<std::string, std::string>> files;
    for (size_t h = 0; h < maps.size(); ++h)
        files.emplace_back(folder + head_map_file_name(layer, static_cast<int>(h)),
                           png(head_map_picture(maps[h], a.layout, style, under)));
    files.emplace_back(folder + "image.png", png(under));
    return files;
}

}  // namespace ks
