#pragma once
// Small drawing helpers shared by the panel files (panel_*.cpp):
// fixed panel windows, number formatting, section headers.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app_state.h"

namespace ks::gui {

inline constexpr ImGuiWindowFlags kPanelFlags =
    ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;

inline const ImU32 kQueryColor = IM_COL32(51, 255, 255, 255);      // cyan, as core's exported outline
inline const ImU32 kFootprintColor = IM_COL32(255, 214, 10, 255);   // amber
inline const ImU32 kOcclusionColor = IM_COL32(255, 90, 90, 255);

// `text` as is when it is at most `width` wide, else its longest start that fits with
// "..." after it, ending at a space when it can (whole UTF-8 characters).
inline std::string elided(const std::string& text, float width) {
    if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
    const float dots = ImGui::CalcTextSize("...").x;
    size_t keep = 0;
    for (size_t i = 1; i <= text.size(); ++i) {
        if (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // inside a character
        if (ImGui::CalcTextSize(text.c_str(), text.c_str() + i).x + dots > width) break;
        keep = i;
    }
    // End at a space when one fits, so a number is never shortened.
    const size_t space = text.rfind(' ', keep);
    if (space != std::string::npos && space > 0 && keep < text.size()) keep = space;
    return text.substr(0, keep) + "...";
}

// A fixed panel at `r`. The visible part of the title ("Title###id") is shortened to the
// panel's width, so a narrow panel's title bar ends in "..." rather than mid-word.
inline bool begin_panel(const std::string& title, const Rect& r, ImGuiWindowFlags extra = 0) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h), ImGuiCond_Always);
    const size_t id = title.find("###");
    const std::string shown = title.substr(0, id), rest = id == std::string::npos ? "###" + title : title.substr(id);
    const float room = r.w - 2.0f * ImGui::GetStyle().FramePadding.x - 2.0f;
    return ImGui::Begin((elided(shown, room) + rest).c_str(), nullptr, kPanelFlags | extra);
}

inline std::string fmt(double v) {
    char buf[32];
    const double a = std::fabs(v);
    if (v == 0.0) std::snprintf(buf, sizeof buf, "0");
    else if (a >= 1000.0 || a < 1e-3) std::snprintf(buf, sizeof buf, "%.3e", v);
    else std::snprintf(buf, sizeof buf, "%.4f", v);
    return buf;
}

inline ImVec2 fit(float w, float h, float box_w, float box_h) {
    if (w <= 0 || h <= 0 || box_w <= 0 || box_h <= 0) return ImVec2(0, 0);
    const float s = std::min(box_w / w, box_h / h);
    return ImVec2(std::floor(w * s), std::floor(h * s));
}

inline void section(const char* label) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_PlotHistogram));
    ImGui::PushTextWrapPos(0.0f);  // headers hold no numbers, so ImGui's own wrap is safe
    ImGui::TextUnformatted(label);
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::Separator();
}

// Before an item meant to follow on the same line: it stays on the line when `w` more
// pixels fit before the panel's right edge, else it starts the next line (a narrow
// sidebar or a large UI scale would otherwise cut it).
inline void same_line_if_fits(float w) {
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w <= right) ImGui::SameLine();
}
inline float button_width(const char* label) {  // Button's and SmallButton's (same horizontal padding)
    return ImGui::CalcTextSize(label, nullptr, true).x + 2.0f * ImGui::GetStyle().FramePadding.x;
}
inline float checkbox_width(const char* label) {  // also a radio button's
    return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
}

inline void help_marker(const char* text) {
    same_line_if_fits(ImGui::CalcTextSize("(?)").x);
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
        ImGui::TextUnformatted(text);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

// Centred message in an empty panel.
inline void panel_message(const char* text, bool error = false) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float wrap = std::min(avail.x - 20.0f, ImGui::GetFontSize() * 30.0f);
    const ImVec2 ts = ImGui::CalcTextSize(text, nullptr, false, wrap);
    ImGui::SetCursorPos(ImVec2(ImGui::GetCursorPosX() + (avail.x - ts.x) * 0.5f, ImGui::GetCursorPosY() + (avail.y - ts.y) * 0.5f));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
    if (error) ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", text);
    else ImGui::TextDisabled("%s", text);
    ImGui::PopTextWrapPos();
}

inline bool result_ready(const AppState& app) {
    return app.result && app.result->error.empty() && app.result->current && app.result->shown;
}

inline void record_rect(AppState& app, const std::string& name, ImVec2 p0, ImVec2 size) {
    app.rects[name] = Rect{p0.x, p0.y, size.x, size.y};
}

inline void record_window(AppState& app, const std::string& name) {
    const ImVec2 p = ImGui::GetWindowPos(), s = ImGui::GetWindowSize();
    record_rect(app, name, p, s);
}

}  // namespace ks::gui
