#pragma once
// The look: a dark theme with one accent colour, and a readable font scaled for HiDPI.
namespace ks::gui {

void apply_theme(float scale);
// DejaVu Sans (or Noto) at 16 px x scale; ImGui's built-in font when neither is installed.
void load_fonts(float scale);

}  // namespace ks::gui
