#pragma once
// An in-app file dialog drawn with ImGui: folders first, then image files (the
// extension filter can be switched off), keyboard navigation (Up/Down, Enter opens,
// Backspace goes up, Escape cancels) and a path field that accepts a typed path.
#include <functional>
#include <string>
#include <vector>

namespace ks::gui {

class FileBrowser {
public:
    enum class Mode { OpenFile, PickFolder };
    // Opens the dialog; `on_done` gets the chosen path when the user confirms.
    void open(const std::string& title, Mode mode, const std::string& start_dir,
              std::function<void(const std::string&)> on_done);
    bool is_open() const { return visible_; }
    // Call every frame (after the panels) while the app runs.
    void draw();

    static bool is_image_name(const std::string& name);

private:
    struct Entry {
        std::string name;
        bool dir = false;
        unsigned long long size = 0;
    };
    void list(const std::string& dir);
    void activate(const Entry& e);
    void confirm(const std::string& path);
    void submit_typed();

    bool visible_ = false;
    bool request_popup_ = false;
    bool focus_path_ = false;
    bool scroll_to_selected_ = false;
    Mode mode_ = Mode::OpenFile;
    std::string title_;
    std::string dir_;
    char path_buf_[2048] = {0};
    std::vector<Entry> entries_;
    int selected_ = -1;
    bool all_files_ = false;
    bool show_hidden_ = false;
    std::string error_;
    std::function<void(const std::string&)> on_done_;
};

}  // namespace ks::gui
