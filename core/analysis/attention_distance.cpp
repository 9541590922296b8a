#include "analysis/attention_distance.h"

#include <algorithm>
#include <cmath>

#include "attention/views.h"

namespace ks {

PixelScale original_pixel_scale(int original_w, int original_h, int model_w, int model_h, VitResize mode) {
    if (original_w <= 0 || original_h <= 0 || model_w <= 0 || model_h <= 0) return {};
    if (mode == VitResize::Whole)
        return {static_cast<double>(original_w) / model_w, static_cast<double>(original_h) / model_h};
    // As preprocess_vit and model_view_of_original: the shorter side fits, the rest is cropped.
    const double s = std::max(static_cast<double>(model_w) / original_w, static_cast<double>(model_h) / original_h);
    return {1.0 / s, 1.0 / s};
}

std::vector<float> mean_attention_distance_scaled(const AttentionSet& a, PixelScale scale) {
    if (scale.x == 1.0 && scale.y == 1.0) return mean_attention_distance(a);  // one definition, bit for bit
    const TokenLayout& lay = a.layout;
    const int np = lay.num_patches(), gw = std::max(1, lay.grid_w);
    std::vector<float> dist(static_cast<size_t>(np) * np);
    for (int i = 0; i < np; ++i)
        for (int j = 0; j < np; ++j) {
            const double dy = static_cast<double>(i / gw - j / gw) * lay.patch * scale.y;
            const double dx = static_cast<double>(i % gw - j % gw) * lay.patch * scale.x;
            dist[static_cast<size_t>(i) * np + j] = static_cast<float>(std::sqrt(dx * dx + dy * dy));
        }
    return mean_attention_distance(a, dist);
}

MeanDistances mean_distances(const AttentionSet& a, PixelScale scale) {
    MeanDistances m;
    m.layers = a.layers;
    m.heads = a.heads;
    m.model_px = mean_attention_distance(a);
    if (scale.x == scale.y) {
        // One factor for both axes (a crop): every distance scales by it, so the second
        // pass over all rows is not needed.
        m.original_px.resize(m.model_px.size());
        for (size_t i = 0; i < m.model_px.size(); ++i) m.original_px[i] = static_cast<float>(m.model_px[i] * scale.x);
    } else {
        m.original_px = mean_attention_distance_scaled(a, scale);
    }
    return m;
}

}  // namespace ks
