#include "settings_ini.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "settings_check.h"

namespace ks::gui {

namespace {

// ---- imgui.ini section for the app's own state ----
// The section is read by load_saved_settings (checked, with the rest of the file) before
// ImGui sees the text, which then holds ImGui's own sections only: ImGui's handler for
// it has nothing to open.
void* ini_open(ImGuiContext*, ImGuiSettingsHandler*, const char*) { return nullptr; }

void ini_read_line(ImGuiContext*, ImGuiSettingsHandler*, void*, const char*) {}

void apply_layout(const SavedLayout& l, AppState& app) {
    if (l.window_w && l.window_h) {
        app.window_w = *l.window_w;
        app.window_h = *l.window_h;
    }
    if (l.sidebar_w) app.layout.sidebar_w = *l.sidebar_w;
    if (l.right_frac) app.layout.right_frac = *l.right_frac;
    if (l.conv_frac) app.layout.conv_frac = *l.conv_frac;
    if (l.heads_frac) app.layout.heads_frac = *l.heads_frac;
    if (l.screenshot_dir) app.screenshot_dir = *l.screenshot_dir;
    if (l.smooth) app.smooth = *l.smooth;
}

// Sets a file that failed a check aside as FILE.bad (the user's copy is kept; the app
// writes a good one when it saves), and says so once: on stderr and in the status line.
void report(AppState& app, const std::string& path, const std::vector<std::string>& problems) {
    if (problems.empty()) return;
    std::error_code ec;
    std::filesystem::rename(path, path + ".bad", ec);
    std::cerr << "kernelscope: " << settings_message(path, problems, !ec) << "\n";
    app.set_status(settings_status(path, problems.size(), !ec), true);
}

void ini_write_all(ImGuiContext*, ImGuiSettingsHandler* h, ImGuiTextBuffer* buf) {
    const auto* app = static_cast<const AppState*>(h->UserData);
    buf->appendf("[%s][State]\n", h->TypeName);
    buf->appendf("Window=%d,%d\n", app->window_w, app->window_h);
    buf->appendf("Sidebar=%.1f\n", app->layout.sidebar_w);
    buf->appendf("RightFrac=%.4f\n", app->layout.right_frac);
    buf->appendf("ConvFrac=%.4f\n", app->layout.conv_frac);
    buf->appendf("HeadsFrac=%.4f\n", app->layout.heads_frac);
    buf->appendf("ScreenshotDir=%s\n", app->screenshot_dir.c_str());
    buf->appendf("Smooth=%d\n", app->smooth ? 1 : 0);
    buf->append("\n");
}

}  // namespace

void load_saved_settings(AppState& app) {
    std::string problem;
    std::vector<std::string> problems;
    const std::optional<std::string> ini = read_settings_file(app.ini_path, kMaxIniBytes, &problem);
    CheckedIni checked = ini ? check_imgui_ini(*ini) : CheckedIni{};
    if (!problem.empty()) checked.problems.push_back(problem);
    apply_layout(checked.layout, app);
    // Always from memory: ImGui would otherwise read the file itself, unchecked, at its first frame.
    ImGui::LoadIniSettingsFromMemory(checked.imgui_text.c_str(), checked.imgui_text.size());
    report(app, app.ini_path, checked.problems);
    // Not a regular file and still there (it could not be set aside): ImGui must never
    // write to it (opening a FIFO to write blocks), so this session saves nothing.
    struct stat st {};
    if (::lstat(app.ini_path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        ImGui::GetIO().IniFilename = nullptr;
        app.ini_path.clear();
    }
    const std::string recent = app.config_dir + "/recent.txt";
    report(app, recent, app.recent.load(recent));
}

void register_settings(AppState& app) {
    ImGuiSettingsHandler h;
    h.TypeName = "KernelScope";
    h.TypeHash = ImHashStr("KernelScope");
    h.ReadOpenFn = ini_open;
    h.ReadLineFn = ini_read_line;
    h.WriteAllFn = ini_write_all;
    h.UserData = &app;
    ImGui::GetCurrentContext()->SettingsHandlers.push_back(h);
}

}  // namespace ks::gui
