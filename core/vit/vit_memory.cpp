#include "vit/vit_memory.h"

namespace ks {

double vit_attention_bytes(const VitConfig& c) {
    const double n = static_cast<double>(c.prefix_names.size()) + static_cast<double>(c.grid_h) * c.grid_w;
    return static_cast<double>(c.layers) * c.heads * n * n * sizeof(float);
}

}  // namespace ks
