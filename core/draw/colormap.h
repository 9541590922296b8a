#pragma once
// Colormaps as 256-entry RGB tables. The same tables feed the PNG exports (core) and
// the lookup textures of the heatmap shader (app), so screen and file agree.
#include <array>
#include <string>
#include <vector>

#include "image/image.h"

namespace ks {

enum class Colormap { Viridis, Magma, Inferno, Turbo, Gray, Diverging };

using ColormapTable = std::array<std::array<unsigned char, 3>, 256>;

const std::vector<std::string>& colormap_names();   // same order as the enum
bool parse_colormap(const std::string& s, Colormap* out);
const ColormapTable& colormap_table(Colormap c);

// Maps t in [0,1] (clamped) to RGB 0..1.
std::array<float, 3> colormap_rgb(Colormap c, float t);

}  // namespace ks
