#include "panel_widgets.h"

#include <imgui_internal.h>  // CalcItemWidth: the width the next item will get

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "panel_util.h"  // elided

namespace ks::gui {

ImU32 diverging_u32(float t) {
    const auto c = colormap_rgb(Colormap::Diverging, t);
    return IM_COL32(static_cast<int>(c[0] * 255 + 0.5f), static_cast<int>(c[1] * 255 + 0.5f),
                    static_cast<int>(c[2] * 255 + 0.5f), 255);
}

void set_query(AppState& app, int r, int c) {
    const TokenLayout* g = app.grid();
    if (!g) return;
    app.q_row = std::clamp(r, 0, g->grid_h - 1);
    app.q_col = std::clamp(c, 0, g->grid_w - 1);
}

// A spinner: an arc turning with time (frames are drawn continuously while busy).
void draw_spinner(ImDrawList* dl, ImVec2 c, float radius, ImU32 col) {
    const float t = static_cast<float>(ImGui::GetTime()) * 6.0f;
    dl->PathClear();
    dl->PathArcTo(c, radius, t, t + 4.2f, 24);
    dl->PathStroke(col, 0, std::max(2.0f, radius * 0.25f));
}

// Over the image while the worker runs: what it does and how far it got. The last
// picture stays visible underneath, so the window keeps answering.
void draw_progress_overlay(AppState& app, ImVec2 p0, ImVec2 p1) {
    const WorkerProgress p = app.worker.progress();
    if (!p.busy) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const std::string t = p.phase + "...";
    const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
    const float line = ImGui::GetTextLineHeight();
    const float bar_w = std::max(ts.x, 180.0f), w = bar_w + line * 2.0f + 24.0f, h = line * 2.0f + 22.0f;
    const ImVec2 a(std::max(p0.x + 8, p1.x - w - 8), p0.y + 8);
    dl->AddRectFilled(a, ImVec2(a.x + w, a.y + h), IM_COL32(10, 12, 16, 210), 6.0f);
    draw_spinner(dl, ImVec2(a.x + 10 + line * 0.8f, a.y + h * 0.5f), line * 0.7f, IM_COL32(255, 220, 120, 255));
    const float tx = a.x + 20 + line * 1.6f;
    dl->AddText(ImVec2(tx, a.y + 8), IM_COL32(255, 220, 120, 255), t.c_str());
    const ImVec2 b0(tx, a.y + 14 + line), b1(tx + bar_w, a.y + 14 + line + line * 0.6f);
    dl->AddRectFilled(b0, b1, IM_COL32(60, 64, 74, 255), 3.0f);
    if (p.fraction >= 0)
        dl->AddRectFilled(b0, ImVec2(b0.x + (b1.x - b0.x) * std::clamp(p.fraction, 0.0f, 1.0f), b1.y), IM_COL32(255, 200, 90, 255), 3.0f);
    else {  // unknown length: a block sliding back and forth
        const float u = 0.5f + 0.5f * std::sin(static_cast<float>(ImGui::GetTime()) * 3.0f), bw = (b1.x - b0.x) * 0.25f;
        const float x = b0.x + u * (b1.x - b0.x - bw);
        dl->AddRectFilled(ImVec2(x, b0.y), ImVec2(x + bw, b1.y), IM_COL32(255, 200, 90, 255), 3.0f);
    }
}

// A kernel value as its cell shows it: whole numbers without decimals.
static std::string kernel_cell_text(float v) {
    char buf[16];
    if (std::fabs(v - std::round(v)) < 1e-6f) std::snprintf(buf, sizeof buf, "%d", static_cast<int>(std::round(v)));
    else std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

// Numbers inside the cells of a magnified kernel when they fit.
void draw_kernel_numbers(ImDrawList* dl, const ConvKernel& k, ImVec2 p0, float cell, float vmax) {
    if (k.size > 7) return;
    // Every number or none: the cells must hold the widest one with a margin.
    float widest = 0;
    for (float v : k.w) widest = std::max(widest, ImGui::CalcTextSize(kernel_cell_text(v).c_str()).x);
    if (cell < widest + 6.0f || cell < ImGui::GetTextLineHeight() + 4.0f) return;
    for (int r = 0; r < k.size; ++r)
        for (int c = 0; c < k.size; ++c) {
            const float v = k.at(r, c);
            const std::string t = kernel_cell_text(v);
            const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
            const auto col = colormap_rgb(Colormap::Diverging, 0.5f + 0.5f * v / vmax);
            const float lum = 0.299f * col[0] + 0.587f * col[1] + 0.114f * col[2];
            const ImU32 tc = lum > 0.55f ? IM_COL32(20, 20, 20, 255) : IM_COL32(245, 245, 245, 255);
            dl->AddText(ImVec2(p0.x + (c + 0.5f) * cell - ts.x * 0.5f, p0.y + (r + 0.5f) * cell - ts.y * 0.5f), tc, t.c_str());
        }
}

float kernel_vmax(const ConvKernel& k) {
    float m = 0;
    for (float v : k.w) m = std::max(m, std::fabs(v));
    return m > 0 ? m : 1.0f;
}

namespace {

// A word wider than the line (a long path or file name) in pieces that fit, cut after
// the last '/', '_' or '-' that fits, else after the last whole UTF-8 character that fits.
std::vector<std::string> split_long_word(const std::string& word, float width) {
    std::vector<std::string> pieces;
    std::string rest = word;
    while (!rest.empty() && ImGui::CalcTextSize(rest.c_str()).x > width) {
        size_t fit = 0, soft = 0;
        for (size_t i = 1; i <= rest.size(); ++i) {
            if (i < rest.size() && (static_cast<unsigned char>(rest[i]) & 0xC0) == 0x80) continue;  // inside a character
            if (ImGui::CalcTextSize(rest.c_str(), rest.c_str() + i).x > width) break;
            fit = i;
            const char c = rest[i - 1];
            if (c == '/' || c == '_' || c == '-') soft = i;
        }
        if (fit == 0) fit = std::min(rest.size(), size_t{1});  // narrower than one character
        const size_t cut = soft > 0 ? soft : fit;
        pieces.push_back(rest.substr(0, cut));
        rest.erase(0, cut);
    }
    if (!rest.empty()) pieces.push_back(rest);
    return pieces;
}

}  // namespace

std::vector<std::string> wrap_at_spaces(const std::string& text, float width) {
    std::vector<std::string> lines;
    std::string line;
    size_t i = 0;
    while (i <= text.size()) {
        const size_t j = std::min(text.find(' ', i), text.size());
        const std::vector<std::string> pieces = split_long_word(text.substr(i, j - i), width);
        for (size_t p = 0; p < pieces.size(); ++p) {
            // Pieces of one word join with nothing between them, words with a space.
            const std::string candidate = line.empty() ? pieces[p] : line + (p == 0 ? " " : "") + pieces[p];
            if (!line.empty() && ImGui::CalcTextSize(candidate.c_str()).x > width) {
                lines.push_back(line);
                line = pieces[p];
            } else {
                line = candidate;
            }
        }
        i = j + 1;
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

void text_wrapped_at_spaces(const std::string& text, ImVec4 color, float wrap_width) {
    const float width = std::max(20.0f, wrap_width > 0 ? wrap_width : ImGui::GetContentRegionAvail().x);
    // Lines after the first start where the first did (SetCursorScreenPos callers).
    const float x0 = ImGui::GetCursorScreenPos().x;
    for (const std::string& l : wrap_at_spaces(text, width)) {
        ImGui::SetCursorScreenPos(ImVec2(x0, ImGui::GetCursorScreenPos().y));
        if (color.w > 0) ImGui::TextColored(color, "%s", l.c_str());
        else ImGui::TextUnformatted(l.c_str());
    }
}

namespace {

// `line` with "..." after it, shortened at a space when both do not fit.
std::string with_ellipsis(const std::string& line, float width) {
    const std::string dotted = line + "...";
    return ImGui::CalcTextSize(dotted.c_str()).x <= width ? dotted : elided(dotted, width);
}

}  // namespace

bool text_block_clamped(const std::vector<std::string>& paragraphs, ImVec4 color, float width, float height) {
    std::vector<std::string> lines;
    for (const std::string& p : paragraphs)
        for (std::string& l : wrap_at_spaces(p, width)) lines.push_back(std::move(l));
    const float line_h = ImGui::GetTextLineHeightWithSpacing();
    // The last line needs only its text height, not the spacing after it.
    const size_t fit = static_cast<size_t>(std::max(0.0f, std::floor((height + ImGui::GetStyle().ItemSpacing.y) / line_h)));
    const bool cut = lines.size() > fit;
    if (cut) {
        lines.resize(fit);
        if (!lines.empty()) lines.back() = with_ellipsis(lines.back(), width);
    }
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    for (const std::string& l : lines) {
        ImGui::SetCursorScreenPos(ImVec2(p0.x, ImGui::GetCursorScreenPos().y));
        if (color.w > 0) ImGui::TextColored(color, "%s", l.c_str());
        else ImGui::TextUnformatted(l.c_str());
    }
    const ImVec2 p1(p0.x + width, ImGui::GetCursorScreenPos().y);
    if (cut && ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(p0, p1)) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
        for (const std::string& p : paragraphs) ImGui::TextUnformatted(p.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    return cut;
}

std::string combo_preview(const std::string& text) {
    // BeginCombo draws the preview from the frame's left padding to the arrow button.
    const float room = ImGui::CalcItemWidth() - ImGui::GetFrameHeight() - ImGui::GetStyle().FramePadding.x;
    return elided(text, room);
}

bool fitted_combo(const char* label, int* current, const std::vector<std::string>& items) {
    const int n = static_cast<int>(items.size());
    const std::string full = *current >= 0 && *current < n ? items[static_cast<size_t>(*current)] : std::string();
    const std::string shown = combo_preview(full);
    bool chosen = false;
    if (ImGui::BeginCombo(label, shown.c_str())) {
        for (int i = 0; i < n; ++i)
            if (ImGui::Selectable(items[static_cast<size_t>(i)].c_str(), i == *current)) {
                *current = i;
                chosen = true;
            }
        ImGui::EndCombo();
    } else if (shown != full && ImGui::IsItemHovered()) {
        ImGui::SetTooltip("%s", full.c_str());
    }
    return chosen;
}

void draw_kernel_cells(AppState& app, GLuint_t tex, int k, ImVec2 p0, float side, float vmax) {
    QuadDraw q;
    q.p0 = p0;
    q.p1 = ImVec2(p0.x + side, p0.y + side);
    q.heat = tex;
    q.heat_w = q.heat_h = k;
    q.lut = app.renderer.lut(Colormap::Diverging);
    q.vmin = -vmax;
    q.vmax = vmax;
    q.glyph = true;
    q.cell_border_px = k > 15 ? 0.0f : 1.0f;
    app.renderer.draw(q);
}

}  // namespace ks::gui
