#include "draw/colormap.h"

#include <cmath>

namespace ks {

namespace {

// matplotlib's tables, exact to 8 bits (tools/make_colormap_tables.py).
const std::array<ColormapTable, 6> kTables = {{
#include "colormap_tables.inc"
}};

}  // namespace

const std::vector<std::string>& colormap_names() {
    static const std::vector<std::string> names = {"viridis", "magma", "inferno", "turbo", "gray", "diverging"};
    return names;
}

bool parse_colormap(const std::string& s, Colormap* out) {
    const auto& names = colormap_names();
    for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == s) { *out = static_cast<Colormap>(i); return true; }
    return false;
}

const ColormapTable& colormap_table(Colormap c) { return kTables[static_cast<size_t>(c)]; }

std::array<float, 3> colormap_rgb(Colormap c, float t) {
    if (!(t >= 0.0f)) t = 0.0f;  // also catches NaN
    if (t > 1.0f) t = 1.0f;
    const auto& e = colormap_table(c)[static_cast<size_t>(std::lround(t * 255.0f))];
    return {e[0] / 255.0f, e[1] / 255.0f, e[2] / 255.0f};
}

}  // namespace ks
