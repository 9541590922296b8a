#pragma once
// Where this frame shows text cut: a label or widget that ends past the visible area
// of its window, a table cell wider than its column, a tooltip larger than the screen
// or off it, letters drawn only in part inside a widget's frame, content below the
// bottom of a region that cannot scroll, or a scroll box too small to read. Read from
// Dear ImGui's own records of what was laid out and drawn this frame (per-window and
// per-column extents, the draw lists' glyphs), so it covers every item of every panel
// without each panel measuring its labels. The screenshot sidecar carries it as `cut`
// and the GUI tests assert it is empty. Text ending in "..." (elided on purpose) and
// regions that scroll on purpose are not cut.
#include <string>
#include <vector>

namespace ks::gui {

struct TextCut {
    std::string where;   // e.g. "Readouts at the query / table ##readout column 'conv w'"
    std::string kind;    // "right edge", "bottom edge", "table cell", "tooltip", "clipped letters", "scroll box"
    float over_px = 0;   // how far the content reaches past what is shown (a scroll box: the height hidden)
};

// Call after ImGui::Render() (e.g. at screenshot time): the glyph check reads the
// frame's draw lists.
std::vector<TextCut> text_cut();

// The separate checks, for tests and for reading what each covers.
std::vector<TextCut> windows_cut();       // right edge (no horizontal scrollbar), bottom edge (cannot scroll), tooltips
std::vector<TextCut> table_cells_cut();   // a cell's content wider than its column (tables clip each column)
// Glyphs drawn in part: text clipped inside a frame (combo, slider, field, button). A
// letter the frame's edge misses entirely (cut exactly between two letters) leaves no
// trace in the draw list: combos are kept whole by fitted_combo / combo_preview instead.
std::vector<TextCut> letters_clipped();
std::vector<TextCut> scroll_boxes_cut();  // a child region that must scroll yet shows fewer than kMinScrollBoxLines

// A child region that must scroll to show its text, yet is shorter than this many lines,
// reads as text cut mid-line (the conv panel's old notes box at 1024 x 700 showed 6); a
// list worth scrolling (the file dialog's) is far taller.
inline constexpr float kMinScrollBoxLines = 8.0f;

}  // namespace ks::gui
