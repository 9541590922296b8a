// libFuzzer target: the app's settings files as read back at start (app/gui/settings_check):
// imgui.ini's text and recent.txt's. Whatever comes out must be safe to hand to Dear
// ImGui: every value in range, no table section with a column count outside 1..64.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "settings_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const ks::gui::CheckedIni c = ks::gui::check_imgui_ini(text);
    const ks::gui::SavedLayout& l = c.layout;
    if (l.right_frac && !(*l.right_frac >= 0.15f && *l.right_frac <= 0.45f)) __builtin_trap();
    if (l.conv_frac && !(*l.conv_frac >= 0.2f && *l.conv_frac <= 0.8f)) __builtin_trap();
    if (l.sidebar_w && !(std::isfinite(*l.sidebar_w) && *l.sidebar_w >= 0.0f && *l.sidebar_w <= 2000.0f)) __builtin_trap();
    if (l.window_w && (*l.window_w < 800 || *l.window_w > 8192)) __builtin_trap();
    // The checked text must check clean again: nothing it keeps would be left out.
    if (!ks::gui::check_imgui_ini(c.imgui_text).problems.empty()) __builtin_trap();
    ks::gui::check_recent_list(text, 12);
    return 0;
}
