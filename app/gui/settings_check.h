#pragma once
// The app's settings files, checked as they are read back at start: imgui.ini (Dear
// ImGui's [Window] and [Table] sections and the app's own [KernelScope][State]) and
// recent.txt. A crash, a sync tool, another version or a hostile hand may have written
// them, and ImGui 1.86 trusts what it reads ("[Table][0x12345678,-5]" sizes a chunk from
// that count and crashed every start; a NaN panel split put the panels at x =
// -2147483648 and was saved again). Whatever fails a check is left out, so its default
// stands, and is named once. No ImGui here, so the unit tests run it.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ks::gui {

constexpr size_t kMaxIniBytes = 1u << 20;      // imgui.ini: a few KB in practice
constexpr size_t kMaxRecentBytes = 64u << 10;  // recent.txt: 12 paths of at most 4096 bytes
constexpr size_t kMaxSettingsLine = 4096;      // PATH_MAX

// The app's own section; an empty optional keeps the default.
struct SavedLayout {
    std::optional<int> window_w, window_h;
    std::optional<float> sidebar_w, right_frac, conv_frac, heads_frac;
    std::optional<std::string> screenshot_dir;
    std::optional<bool> smooth;
};

struct CheckedIni {
    std::string imgui_text;             // ImGui's own sections, for LoadIniSettingsFromMemory
    SavedLayout layout;
    std::vector<std::string> problems;  // what was left out, e.g. "line 7 (RightFrac=nan)"
};
CheckedIni check_imgui_ini(const std::string& text);

struct CheckedRecent {
    std::vector<std::string> items;
    std::vector<std::string> problems;
};
// Absolute paths of at most kMaxSettingsLine bytes without control characters, no
// duplicates, at most `max_items`; an entry that exists must be a regular file (a FIFO or
// a device in the list would block or flood the app when chosen).
CheckedRecent check_recent_list(const std::string& text, size_t max_items);

// The settings file's text: nullopt when it is missing, or when it is not a regular file
// or larger than `max_bytes` (then `problem` says so and it is not read).
std::optional<std::string> read_settings_file(const std::string& path, size_t max_bytes, std::string* problem);

// The one sentence for stderr and the status line: "The settings file P was not used as
// it was (line 3 (RightFrac=nan), ...); the defaults stand for that, and the file was
// kept as P.bad."
std::string settings_message(const std::string& path, const std::vector<std::string>& problems, bool backed_up);
// The same, short enough for the status line at 1024 px: "imgui.ini was not usable as
// saved (5 entries); the defaults stand, and it was kept as imgui.ini.bad."
std::string settings_status(const std::string& path, size_t problems, bool backed_up);

}  // namespace ks::gui
