#pragma once
// An in-app file dialog drawn with ImGui: folders first, then image files or
// checkpoints (the extension filter can be switched off), keyboard navigation (Up/Down, Enter opens,
// Backspace goes up, Escape cancels) and a path field that accepts a typed path.
#include <functional>
#include <string>
#include <vector>

namespace ks::gui {

class FileBrowser {
public:
    enum class Mode { OpenFile, PickFolder };
    // Checkpoints: .safetensors, plus pickled .pth/.bin shown (dimmed) so that choosing
    // one gets the loader's sentence on how to convert it rather than an empty folder.
    enum class Filter { Images, Checkpoints };
    // Opens the dialog; `on_done` gets the chosen path when the user confirms.
    void open(const std::string& title, Mode mode, const std::string& start_dir,
              std::function<void(const std::string&)> on_done, Filter filter = Filter::Images);
    bool is_open() const { return visible_; }
    // Call every frame (after the panels) while the app runs.
    void draw();

    static bool is_image_name(const std::string& name);
    static bool is_checkpoint_name(const std::string& name);   // .safetensors
    static bool is_pickle_name(const std::string& name);       // .pth, .pt, .bin, .ckpt

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
    Filter filter_ = Filter::Images;
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
