#include "conv/learned_filters.h"

#include <string>

#include "io/input_error.h"

namespace ks {

std::vector<ConvKernel> learned_patch_filters(const std::vector<float>& w, int dim, int patch) {
    const size_t per = static_cast<size_t>(3) * patch * patch;
    if (dim <= 0 || patch <= 0 || w.size() != per * dim)
        throw InputError("The patch-embedding weight does not have the shape [hidden, 3, patch, patch].");
    std::vector<ConvKernel> out;
    out.reserve(static_cast<size_t>(dim));
    for (int c = 0; c < dim; ++c) {
        ConvKernel k;
        k.name = "patch_embed[" + std::to_string(c) + "]";
        k.size = patch;
        k.channels = 3;
        // The weight's per-channel layout [3][p][p] is exactly ConvKernel's [channels][k][k].
        k.w.assign(w.begin() + static_cast<std::ptrdiff_t>(per * c), w.begin() + static_cast<std::ptrdiff_t>(per * (c + 1)));
        out.push_back(std::move(k));
    }
    return out;
}

}  // namespace ks
