#pragma once
// Drawing pieces several panels share: the query setter, the busy spinner and
// progress overlay, kernel cell numbers and the diverging colour as ImGui colours.
#include <imgui.h>

#include <string>
#include <vector>

#include "app_state.h"

namespace ks::gui {

ImU32 diverging_u32(float t);
void set_query(AppState& app, int r, int c);               // clamped to the grid on screen
void draw_spinner(ImDrawList* dl, ImVec2 c, float radius, ImU32 col);
// Over the image while the worker runs: what it does and how far it got.
void draw_progress_overlay(AppState& app, ImVec2 p0, ImVec2 p1);
// Numbers inside the cells of a magnified kernel when they fit.
void draw_kernel_numbers(ImDrawList* dl, const ConvKernel& k, ImVec2 p0, float cell, float vmax);
float kernel_vmax(const ConvKernel& k);                    // max |w|, 1 for an all-zero kernel
// A one-channel k x k kernel (texture `tex`) as magnified cells in the diverging map,
// symmetric about 0 at +-vmax, with cell borders while the cells are large enough.
void draw_kernel_cells(AppState& app, GLuint_t tex, int k, ImVec2 p0, float side, float vmax);
// Text wrapped at spaces only (ImGui's own wrap may break "0.225" after the point), to
// the content region's width; `color` w = 0: the normal text colour.
void text_wrapped_at_spaces(const std::string& text, ImVec4 color = ImVec4(0, 0, 0, 0), float width = 0.0f);
// The lines text_wrapped_at_spaces draws for `text` at `width` (to reserve their height).
std::vector<std::string> wrap_at_spaces(const std::string& text, float width);

// Paragraphs wrapped at spaces to `width`, in at most `height` pixels: when they need more
// lines, the last line that fits ends in "..." and the whole text shows on hover (rather
// than a scroll box too small to read). Returns whether anything was left out.
bool text_block_clamped(const std::vector<std::string>& paragraphs, ImVec4 color, float width, float height);

// What the next combo's frame shows of `text`: all of it, or its start and "..." when the
// frame (the item width, less the arrow) is narrower. ImGui would clip it mid-letter.
std::string combo_preview(const std::string& text);
// ImGui::Combo with that preview, and the whole name on hover when it was shortened.
bool fitted_combo(const char* label, int* current, const std::vector<std::string>& items);

}  // namespace ks::gui
