#include "attention/position_code.h"

#include <cmath>

namespace ks {

std::vector<float> position_code_2d(int grid_h, int grid_w) {
    const int F = kPositionFrequencies, D = 4 * F;
    std::vector<float> pe(static_cast<size_t>(grid_h) * grid_w * D);
    // Each (sin, cos) pair has norm 1, so the 2F pairs give norm sqrt(2F); scale to 1
    // so that lambda alone sets the balance between content and position.
    const float scale = 1.0f / std::sqrt(2.0f * F);
    for (int r = 0; r < grid_h; ++r) {
        for (int c = 0; c < grid_w; ++c) {
            float* out = pe.data() + (static_cast<size_t>(r) * grid_w + c) * D;
            for (int k = 0; k < F; ++k) {
                const float omega = 1.0f / std::pow(100.0f, static_cast<float>(k) / F);
                out[4 * k + 0] = scale * std::sin(r * omega);
                out[4 * k + 1] = scale * std::cos(r * omega);
                out[4 * k + 2] = scale * std::sin(c * omega);
                out[4 * k + 3] = scale * std::cos(c * omega);
            }
        }
    }
    return pe;
}

}  // namespace ks
