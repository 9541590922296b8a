#include "layout_audit.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace ks::gui {

namespace {

// Half a pixel of tolerance for rounding; a letter must lose a whole pixel to count.
constexpr float kTolerancePx = 0.5f;
constexpr float kLetterLossPx = 1.0f;

// "Title###id" shows as "Title"; a child's own name ("##notes_5A3B01C2", made by
// BeginChild from its label and id) as "##notes", after its parent's.
std::string shown_name(const ImGuiWindow* w) {
    std::string own = w->Name;
    const bool child = (w->Flags & ImGuiWindowFlags_ChildWindow) && w->ParentWindow &&
                       !(w->Flags & (ImGuiWindowFlags_Popup | ImGuiWindowFlags_Tooltip));
    if (child) {
        const std::string parent = w->ParentWindow->Name;
        if (own.compare(0, parent.size() + 1, parent + "/") == 0) own.erase(0, parent.size() + 1);
        const size_t u = own.rfind('_');
        if (u != std::string::npos && own.size() - u == 9 &&
            std::all_of(own.begin() + static_cast<long>(u) + 1, own.end(), [](unsigned char c) { return std::isxdigit(c); }))
            own.erase(u);
        return shown_name(w->ParentWindow) + " / " + own;
    }
    const size_t id = own.find("###");
    return id == std::string::npos || id == 0 ? own : own.substr(0, id);
}

bool drawn_this_frame(const ImGuiWindow* w) { return w->Active && !w->Hidden && !w->SkipItems && !w->Collapsed; }

bool is_tooltip(const ImGuiWindow* w) { return (w->Flags & ImGuiWindowFlags_Tooltip) != 0; }

// A tooltip is named after the window it was opened from ("Controls / tooltip").
std::string tooltip_name(const ImGuiWindow* w) {
    const ImGuiWindow* from = w->ParentWindowInBeginStack;
    return from && from != w ? shown_name(from) + " / tooltip" : std::string("tooltip");
}

float line_height() {
    const ImGuiContext& g = *GImGui;
    return g.FontSize + g.Style.ItemSpacing.y;
}

// A tooltip can neither scroll nor be moved: whatever of it lies off the screen is lost.
void tooltip_off_screen(const ImGuiWindow* w, std::vector<TextCut>& out) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const ImVec2 a = w->Pos, b(w->Pos.x + w->Size.x, w->Pos.y + w->Size.y);
    const float over = std::max({vp->Pos.x - a.x, b.x - (vp->Pos.x + vp->Size.x), vp->Pos.y - a.y, b.y - (vp->Pos.y + vp->Size.y)});
    if (over > kTolerancePx) out.push_back({tooltip_name(w), "tooltip", over});
}

// "Readouts at the query / table ##readout": a scrolling table lives in a child window
// named after its label; another has no name of its own, only its window's.
std::string table_name(const ImGuiTable* t) {
    if (!t->InnerWindow || t->InnerWindow == t->OuterWindow) return shown_name(t->OuterWindow) + " / table";
    const std::string inner = shown_name(t->InnerWindow);
    const size_t s = inner.rfind(" / ");
    return inner.substr(0, s) + " / table " + inner.substr(s + 3);
}

}  // namespace

std::vector<TextCut> windows_cut() {
    std::vector<TextCut> out;
    const ImGuiContext& g = *GImGui;
    for (const ImGuiWindow* w : g.Windows) {
        if (!drawn_this_frame(w) || (w->Flags & ImGuiWindowFlags_NoBackground)) continue;
        const bool tip = is_tooltip(w);
        if (tip) tooltip_off_screen(w, out);
        const std::string name = tip ? tooltip_name(w) : shown_name(w);
        // CursorMaxPos is the far corner of everything laid out this frame (labels
        // included); InnerClipRect is what is drawn. A window that scrolls on an axis
        // does not cut on it, unless it is a tooltip (which cannot be scrolled).
        const float over_x = w->DC.CursorMaxPos.x - w->InnerClipRect.Max.x;
        if (over_x > kTolerancePx && (tip || !w->ScrollbarX)) out.push_back({name, "right edge", over_x});
        // Without a scrollbar ImGui adds one as soon as content is taller, so only a
        // NoScrollbar window (or a tooltip) hides what lies below its bottom. The main
        // menu bar is a window that is all menu bar: it has no content region to check.
        const bool can_scroll_y = !tip && (w->ScrollbarY || !(w->Flags & ImGuiWindowFlags_NoScrollbar));
        const bool bar_only = (w->Flags & ImGuiWindowFlags_MenuBar) && w->InnerRect.GetHeight() < 1.0f;
        const float over_y = w->DC.CursorMaxPos.y - w->InnerClipRect.Max.y;
        if (over_y > kTolerancePx && !can_scroll_y && !bar_only) out.push_back({name, "bottom edge", over_y});
    }
    return out;
}

std::vector<TextCut> table_cells_cut() {
    std::vector<TextCut> out;
    ImGuiContext& g = *GImGui;
    for (int n = 0; n < g.Tables.GetMapSize(); ++n) {
        const ImGuiTable* t = g.Tables.TryGetMapData(n);
        if (!t || t->LastFrameActive != g.FrameCount || !t->OuterWindow || !drawn_this_frame(t->OuterWindow)) continue;
        const std::string where = table_name(t);
        for (int c = 0; c < t->ColumnsCount; ++c) {
            const ImGuiTableColumn& col = t->Columns[c];
            if (!col.IsEnabled) continue;
            // Each cell is clipped at its column's right border (MaxX), and at the edge
            // of the view of a table that scrolls sideways (ClipRect): a column that
            // starts in view and whose text runs past that edge shows it cut, scrollbar
            // or not. The content extents of the body rows are recorded per column;
            // headers are elided with "..." by ImGui itself, so they are not counted.
            const float right = std::min(col.MaxX, col.ClipRect.Max.x);
            const float over = std::max(col.ContentMaxXFrozen, col.ContentMaxXUnfrozen) - right;
            if (over <= kTolerancePx || col.WorkMinX >= col.ClipRect.Max.x) continue;
            const char* name = ImGui::TableGetColumnName(t, c);
            const std::string col_name = name && *name ? "'" + std::string(name) + "'" : std::to_string(c);
            out.push_back({where + " column " + col_name, "table cell", over});
        }
    }
    return out;
}

namespace {

struct GlyphBox {
    float u0, v0, u1, v1, x0, y0, x1, y1;
    float advance;  // to the next letter's origin
    unsigned cp;
};

std::vector<GlyphBox> atlas_glyphs() {
    std::vector<GlyphBox> boxes;
    const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    for (const ImFont* f : atlas->Fonts)
        for (const ImFontGlyph& gl : f->Glyphs)
            if (gl.Visible && gl.U1 > gl.U0 && gl.V1 > gl.V0)
                boxes.push_back({gl.U0, gl.V0, gl.U1, gl.V1, gl.X0, gl.Y0, gl.X1, gl.Y1, gl.AdvanceX, gl.Codepoint});
    return boxes;
}

const GlyphBox* glyph_holding(const std::vector<GlyphBox>& boxes, float u0, float v0, float u1, float v1) {
    constexpr float e = 1e-6f;
    for (const GlyphBox& b : boxes)
        if (u0 >= b.u0 - e && u1 <= b.u1 + e && v0 >= b.v0 - e && v1 <= b.v1 + e) return &b;
    return nullptr;
}

// A quad as ImFont::RenderText writes one per letter: indices a, a+1, a+2, a, a+2, a+3
// over an axis-aligned rectangle, textured from the font atlas.
// (Indices count from the command's VtxOffset.)
bool letter_quad(const ImDrawList* dl, const ImDrawCmd& cmd, unsigned i, const ImDrawVert** v) {
    const ImDrawIdx* id = dl->IdxBuffer.Data + i;
    const unsigned a = id[0];
    if (id[1] != a + 1 || id[2] != a + 2 || id[3] != a || id[4] != a + 2 || id[5] != a + 3) return false;
    if (cmd.VtxOffset + a + 3 >= static_cast<unsigned>(dl->VtxBuffer.Size)) return false;
    *v = dl->VtxBuffer.Data + cmd.VtxOffset + a;
    const ImDrawVert* q = *v;
    return q[0].pos.y == q[1].pos.y && q[2].pos.y == q[3].pos.y && q[0].pos.x == q[3].pos.x && q[1].pos.x == q[2].pos.x &&
           q[2].uv.x > q[0].uv.x && q[2].uv.y > q[0].uv.y;
}

// Screen pixels per pixel of the baked font, from the axis the clip took less of.
float draw_scale(const GlyphBox& b, const ImDrawVert* q) {
    const float shown_w = (q[2].uv.x - q[0].uv.x) / (b.u1 - b.u0), shown_h = (q[2].uv.y - q[0].uv.y) / (b.v1 - b.v0);
    return shown_h >= shown_w ? (q[2].pos.y - q[0].pos.y) / (shown_h * (b.y1 - b.y0))
                              : (q[2].pos.x - q[0].pos.x) / (shown_w * (b.x1 - b.x0));
}

// Whether the letter was trimmed where its draw command's clip rectangle ends (the edge
// of its window, child, or table column) rather than inside it, by a widget's own frame.
// Such a cut is the region's: a window or column that cannot show it is reported by the
// other checks, and one that scrolls shows it on scrolling.
bool trimmed_at_region_edge(const GlyphBox& b, const ImDrawVert* q, const ImVec4& clip) {
    constexpr float e = 1e-6f, px = 0.5f;
    return (q[0].uv.x > b.u0 + e && std::fabs(q[0].pos.x - clip.x) < px) ||
           (q[2].uv.x < b.u1 - e && std::fabs(q[2].pos.x - clip.z) < px) ||
           (q[0].uv.y > b.v0 + e && std::fabs(q[0].pos.y - clip.y) < px) ||
           (q[2].uv.y < b.v1 - e && std::fabs(q[2].pos.y - clip.w) < px);
}

// How many pixels of the letter the clip took off (0: drawn whole). RenderText trims a
// letter's quad and its texture coordinates together when it crosses a clip rectangle.
float pixels_lost(const GlyphBox& b, const ImDrawVert* q) {
    const float shown_w = (q[2].uv.x - q[0].uv.x) / (b.u1 - b.u0), shown_h = (q[2].uv.y - q[0].uv.y) / (b.v1 - b.v0);
    return std::max((1.0f - shown_w) * (b.x1 - b.x0), (1.0f - shown_h) * (b.y1 - b.y0)) * draw_scale(b, q);
}

std::string utf8(unsigned cp) {
    char s[5] = {0, 0, 0, 0, 0};
    ImTextCharToUtf8(s, cp);
    return s;
}

// One window's draw list: every letter the clip cut, with the run of letters it ends
// (the text as shown, spaces restored from the gaps).
void scan_letters(const ImGuiWindow* w, const std::vector<GlyphBox>& boxes, ImTextureID font_tex, std::vector<TextCut>& out) {
    const ImDrawList* dl = w->DrawList;
    for (const ImDrawCmd& cmd : dl->CmdBuffer) {
        if (cmd.UserCallback || cmd.TextureId != font_tex) continue;
        std::string run;
        float run_top = 0, pen = 0;  // the run's line and where its next letter would start
        unsigned next = 0;
        for (unsigned i = cmd.IdxOffset; i + 6 <= cmd.IdxOffset + cmd.ElemCount;) {
            const ImDrawVert* q = nullptr;
            const GlyphBox* b = letter_quad(dl, cmd, i, &q) ? glyph_holding(boxes, q[0].uv.x, q[0].uv.y, q[2].uv.x, q[2].uv.y) : nullptr;
            if (!b) {
                i += 3;
                continue;
            }
            // Letters of one line follow each other in the buffer; a space (no quad of its
            // own) moves the next letter's origin past where the last one ended.
            const float sc = draw_scale(*b, q);
            const float origin = q[0].pos.x - b->x0 * sc, top = q[0].pos.y - b->y0 * sc;
            if (i != next || std::fabs(top - run_top) > 1.0f) run.clear();
            else if (origin - pen > 1.0f) run += ' ';
            run += utf8(b->cp);
            run_top = top;
            pen = origin + b->advance * sc;
            next = i + 6;
            const float lost = pixels_lost(*b, q);
            if (lost > kLetterLossPx && !trimmed_at_region_edge(*b, q, cmd.ClipRect)) out.push_back({shown_name(w) + " text '" + run + "'", "clipped letters", lost});
            i += 6;
        }
    }
}

}  // namespace

std::vector<TextCut> letters_clipped() {
    std::vector<TextCut> out;
    const ImGuiContext& g = *GImGui;
    const std::vector<GlyphBox> boxes = atlas_glyphs();
    const ImTextureID font_tex = ImGui::GetIO().Fonts->TexID;
    for (const ImGuiWindow* w : g.Windows)
        if (drawn_this_frame(w) && w->DrawList) scan_letters(w, boxes, font_tex, out);
    // One entry per cut text, not per letter: a run cut along its length (a line clipped
    // at its bottom) reports each letter with the run so far; keep the longest.
    std::vector<TextCut> merged;
    for (const TextCut& c : out) {
        const std::string stem = merged.empty() ? std::string() : merged.back().where.substr(0, merged.back().where.size() - 1);
        if (!merged.empty() && c.where.compare(0, stem.size(), stem) == 0)
            merged.back() = {c.where, c.kind, std::max(c.over_px, merged.back().over_px)};
        else
            merged.push_back(c);
    }
    return merged;
}

std::vector<TextCut> scroll_boxes_cut() {
    std::vector<TextCut> out;
    const ImGuiContext& g = *GImGui;
    const float line = line_height();
    for (const ImGuiWindow* w : g.Windows) {
        if (!drawn_this_frame(w) || !(w->Flags & ImGuiWindowFlags_ChildWindow) || !w->ScrollbarY) continue;
        if (w->Flags & (ImGuiWindowFlags_Popup | ImGuiWindowFlags_Tooltip)) continue;
        const float shown = w->InnerClipRect.GetHeight();
        if (shown >= kMinScrollBoxLines * line) continue;
        out.push_back({shown_name(w) + " (shows " + std::to_string(static_cast<int>(shown / line)) + " lines)", "scroll box",
                       w->ContentSize.y - shown});
    }
    return out;
}

std::vector<TextCut> text_cut() {
    std::vector<TextCut> all = windows_cut();
    for (auto part : {table_cells_cut(), letters_clipped(), scroll_boxes_cut()}) all.insert(all.end(), part.begin(), part.end());
    return all;
}

}  // namespace ks::gui
