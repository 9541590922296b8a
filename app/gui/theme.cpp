#include "theme.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "draw/plot.h"

namespace ks::gui {

namespace fs = std::filesystem;

void apply_theme(float scale) {
    ImGui::StyleColorsDark();
    ImGuiStyle& s = ImGui::GetStyle();
    s.WindowRounding = 6.0f;
    s.ChildRounding = 4.0f;
    s.FrameRounding = 4.0f;
    s.PopupRounding = 4.0f;
    s.GrabRounding = 4.0f;
    s.ScrollbarRounding = 6.0f;
    s.TabRounding = 4.0f;
    s.WindowPadding = ImVec2(12, 10);
    s.FramePadding = ImVec2(8, 4);
    s.ItemSpacing = ImVec2(8, 6);
    s.ItemInnerSpacing = ImVec2(6, 4);
    s.WindowBorderSize = 1.0f;
    s.FrameBorderSize = 0.0f;
    s.WindowTitleAlign = ImVec2(0.0f, 0.5f);
    s.GrabMinSize = 8.0f;   // a narrow handle leaves the value under it readable
    ImVec4* c = s.Colors;
    const ImVec4 accent(0.30f, 0.62f, 0.95f, 1.0f);
    c[ImGuiCol_Text] = ImVec4(0.90f, 0.91f, 0.93f, 1.0f);
    c[ImGuiCol_TextDisabled] = ImVec4(0.55f, 0.57f, 0.62f, 1.0f);
    // The plots' background (core's PlotTheme): the head palette is checked against it, and
    // the Analyses window's exported pictures look as the window does.
    const Rgb& bg = plot_theme().background;
    c[ImGuiCol_WindowBg] = ImVec4(bg[0], bg[1], bg[2], 1.0f);
    c[ImGuiCol_PopupBg] = ImVec4(0.12f, 0.125f, 0.145f, 0.98f);
    c[ImGuiCol_Border] = ImVec4(0.22f, 0.23f, 0.27f, 1.0f);
    c[ImGuiCol_FrameBg] = ImVec4(0.17f, 0.18f, 0.21f, 1.0f);
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.22f, 0.24f, 0.29f, 1.0f);
    c[ImGuiCol_FrameBgActive] = ImVec4(0.25f, 0.28f, 0.34f, 1.0f);
    c[ImGuiCol_TitleBg] = ImVec4(0.085f, 0.09f, 0.105f, 1.0f);
    c[ImGuiCol_TitleBgActive] = ImVec4(0.12f, 0.15f, 0.21f, 1.0f);
    c[ImGuiCol_MenuBarBg] = ImVec4(0.085f, 0.09f, 0.105f, 1.0f);
    c[ImGuiCol_Button] = ImVec4(0.20f, 0.25f, 0.33f, 1.0f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.26f, 0.36f, 0.50f, 1.0f);
    c[ImGuiCol_ButtonActive] = accent;
    c[ImGuiCol_Header] = ImVec4(0.20f, 0.25f, 0.33f, 1.0f);
    c[ImGuiCol_HeaderHovered] = ImVec4(0.26f, 0.36f, 0.50f, 1.0f);
    c[ImGuiCol_HeaderActive] = accent;
    c[ImGuiCol_SliderGrab] = ImVec4(accent.x, accent.y, accent.z, 0.45f);   // the value stays readable under the handle
    c[ImGuiCol_SliderGrabActive] = ImVec4(0.45f, 0.72f, 1.0f, 1.0f);
    c[ImGuiCol_CheckMark] = ImVec4(0.45f, 0.75f, 1.0f, 1.0f);
    c[ImGuiCol_PlotHistogram] = ImVec4(0.40f, 0.70f, 1.0f, 1.0f);
    c[ImGuiCol_TableHeaderBg] = ImVec4(0.15f, 0.16f, 0.19f, 1.0f);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(1.0f, 1.0f, 1.0f, 0.03f);
    c[ImGuiCol_Separator] = ImVec4(0.25f, 0.27f, 0.32f, 1.0f);
    s.ScaleAllSizes(scale);
}

namespace {
ImFont* g_big_font = nullptr;
}  // namespace

ImFont* big_font() { return g_big_font; }

void load_fonts(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    const float px = std::round(16.0f * scale);
    static const char* candidates[] = {
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    };
    for (const char* f : candidates) {
        std::error_code ec;
        if (fs::exists(f, ec)) {
            ImFontConfig cfg;
            cfg.OversampleH = 2;
            cfg.PixelSnapH = true;
            if (io.Fonts->AddFontFromFileTTF(f, px, &cfg)) {
                g_big_font = io.Fonts->AddFontFromFileTTF(f, std::round(30.0f * scale), &cfg);
                return;
            }
        }
    }
    // No system font: ImGui's built-in one, scaled to a readable size.
    ImFontConfig cfg;
    cfg.SizePixels = std::round(13.0f * std::max(1.0f, scale));
    io.Fonts->AddFontDefault(&cfg);
    ImFontConfig big;
    big.SizePixels = std::round(26.0f * std::max(1.0f, scale));
    g_big_font = io.Fonts->AddFontDefault(&big);
}

}  // namespace ks::gui
