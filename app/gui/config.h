#pragma once
// Where the app keeps its state: $XDG_CONFIG_HOME/kernelscope (default
// ~/.config/kernelscope) holds imgui.ini (window size, panel layout, settings)
// and recent.txt (recently opened images, newest first).
#include <string>
#include <vector>

namespace ks::gui {

// The config folder (created if missing; empty string when no HOME is known).
std::string config_dir();

class RecentFiles {
public:
    static constexpr size_t kMax = 12;
    // Reads the list, checked (settings_check.h); returns what was left out, if anything.
    std::vector<std::string> load(const std::string& file);
    void add(const std::string& path);     // moves to front, saves
    void remove(const std::string& path);  // saves
    const std::vector<std::string>& items() const { return items_; }

private:
    void save() const;
    std::string file_;
    std::vector<std::string> items_;
};

// "kernelscope_20240131_153012" (local time).
std::string timestamp_name(const std::string& prefix);
// dir/stem.ext, or dir/stem_2.ext, dir/stem_3.ext ... : the first that does not exist.
std::string unique_path(const std::string& dir, const std::string& stem, const std::string& ext);
// The user's Pictures folder if it exists, else HOME, else ".".
std::string default_screenshot_dir();
std::string absolute_path(const std::string& p);
std::string file_name_of(const std::string& p);

}  // namespace ks::gui
