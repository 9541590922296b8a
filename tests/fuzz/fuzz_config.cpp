// libFuzzer target: configuration resolution. The first bytes pick the weights' sizes
// (hidden, patch, position rows, prefix tokens, layers) and the overrides; the rest is
// the text of config.json or preprocessor_config.json. A resolved configuration must
// be consistent, and the position embedding is then resampled to the input grid as
// the forward pass does. Only InputError may come out.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "io/input_error.h"
#include "vit/vit_config.h"
#include "vit/vit_pos_embed.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 8) return 0;
    ks::VitWeights w;
    w.layout = static_cast<ks::VitLayout>(data[0] % 4);
    w.layout_name = "fuzz";
    w.hidden = 4 * (1 + data[1] % 8);
    w.patch = 1 + data[2] % 32;
    const int prefix = data[3] % 4;
    if (prefix >= 1) w.cls.assign(static_cast<size_t>(w.hidden), 0.1f);
    if (prefix >= 2) w.dist.assign(static_cast<size_t>(w.hidden), 0.1f);
    w.registers = prefix >= 3 ? data[3] / 64 : 0;
    w.pos_tokens = 1 + data[4] + 256 * (data[5] % 4);
    w.blocks.resize(1 + data[6] % 4);
    w.mlp = 4 * w.hidden;
    ks::VitOverrides ov;
    const uint8_t o = data[7];
    if (o & 1) ov.heads = 1 + (o >> 4);
    if (o & 2) ov.image_size = w.patch * (1 + (o >> 3));
    const bool preprocessor = o & 4;
    try {
        ks::VitConfigHints h;
        const std::string text(reinterpret_cast<const char*>(data) + 8, size - 8);
        if (preprocessor) ks::parse_preprocessor_config(text, "preprocessor_config.json", h);
        else ks::parse_model_config(text, "config.json", h);
        const ks::VitConfig c = ks::resolve_config(w, h, ov);
        if (c.heads <= 0 || c.hidden % c.heads != 0 || c.grid_h * c.patch != c.image_h || c.grid_w * c.patch != c.image_w ||
            static_cast<int64_t>(c.pos_grid_h) * c.pos_grid_w + c.pos_prefix != w.pos_tokens)
            __builtin_trap();
        const std::vector<float> grid(static_cast<size_t>(c.pos_grid_h) * c.pos_grid_w * c.hidden, 0.5f);
        if (static_cast<int64_t>(c.grid_h) * c.grid_w <= 4096) {
            const auto g = ks::resample_pos_grid(grid, c.pos_grid_h, c.pos_grid_w, c.hidden, c.grid_h, c.grid_w);
            if (g.size() != static_cast<size_t>(c.grid_h) * c.grid_w * c.hidden) __builtin_trap();
        }
        c.describe();
    } catch (const ks::InputError&) {
    }
    return 0;
}
