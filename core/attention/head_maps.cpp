#include "attention/head_maps.h"

#include <string>

#include "io/input_error.h"

namespace ks {

std::vector<std::vector<float>> head_maps(const AttentionSet& a, int layer, int query_token) {
    const size_t n = static_cast<size_t>(a.tokens);
    if (a.heads < 1 || a.data.size() != static_cast<size_t>(a.layers) * a.heads * n * n)
        throw InputError("This model has no attention heads to draw maps of.");
    if (layer < 0 || layer >= a.layers)
        throw InputError("Layer " + std::to_string(layer) + " does not exist; the model has " + std::to_string(a.layers) + ".");
    if (query_token < 0 || query_token >= a.tokens)
        throw InputError("Token " + std::to_string(query_token) + " does not exist; the model has " +
                         std::to_string(a.tokens) + " tokens.");
    const int np = a.layout.num_patches(), pre = a.layout.num_prefix();
    std::vector<std::vector<float>> maps(a.heads);
    for (int h = 0; h < a.heads; ++h) {
        const float* r = a.row(layer, h, query_token) + pre;
        maps[h].assign(r, r + np);
    }
    return maps;
}

}  // namespace ks
