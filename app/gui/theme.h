#pragma once
// The look: a dark theme with one accent colour, and a readable font scaled for HiDPI.
#include <imgui.h>

namespace ks::gui {

void apply_theme(float scale);
// DejaVu Sans (or Noto) at 16 px x scale; ImGui's built-in font when neither is installed.
void load_fonts(float scale);
// The same face at about twice the size, for the kernel-change numbers (null until load_fonts).
ImFont* big_font();

}  // namespace ks::gui
