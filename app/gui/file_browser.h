#pragma once
// An in-app file dialog drawn with ImGui: folders first, then image files, checkpoints
// or session files (the extension filter can be switched off), with sizes; keyboard
// navigation (Up/Down, Enter opens, Escape cancels) and a path field: the list follows
// the typed folder and filters by the typed name; Enter on a folder shows it, on a file
// opens it; Backspace on an empty name goes to the parent; a path that does not exist
// says so. Saving, a typed name is the file to write, whether or not it exists.
#include <imgui.h>

#include <functional>
#include <string>
#include <vector>

namespace ks::gui {

int path_callback(ImGuiInputTextCallbackData* data);   // replaces the path field's text while it is active

class FileBrowser {
public:
    enum class Mode { OpenFile, SaveFile, PickFolder };
    // Checkpoints: .safetensors, plus pickled .pth/.bin shown (dimmed) so that choosing
    // one gets the loader's sentence on how to convert it rather than an empty folder.
    // Sessions: .json (session.h).
    enum class Filter { Images, Checkpoints, Sessions };
    // Opens the dialog; `on_done` gets the chosen path when the user confirms.
    void open(const std::string& title, Mode mode, const std::string& start_dir,
              std::function<void(const std::string&)> on_done, Filter filter = Filter::Images);
    bool is_open() const { return visible_; }
    // Call every frame (after the panels) while the app runs.
    void draw();

    static bool is_image_name(const std::string& name);
    static bool is_checkpoint_name(const std::string& name);   // .safetensors
    static bool is_pickle_name(const std::string& name);       // .pth, .pt, .bin, .ckpt
    static bool is_session_name(const std::string& name);      // .json

    // What the dialog shows (for the scripted GUI test's state).
    const std::string& dir() const { return dir_; }
    std::string path_text() const { return path_buf_; }   // what the path field holds now
    const std::string& error() const { return error_; }
    std::string typed() const { return path_buf_; }
    std::vector<std::string> shown_names() const;

private:
    struct Entry {
        std::string name;
        bool dir = false;
        unsigned long long size = 0;
    };
    // What the path field did this frame.
    struct PathRow {
        bool entered = false;        // Enter in the field
        bool typing = false;         // the field has keyboard focus
        bool open_selected = false;  // Enter on an untouched field: the selected entry
    };
    bool begin_popup();                    // false: not drawn this frame (closed)
    PathRow draw_path_row();
    bool navigate(bool typing);            // list keys; false when Escape closed the dialog
    int draw_entries();                    // the entry double-clicked (-1: none)
    void draw_footer(int* to_activate);
    void close();
    bool picks_file() const { return mode_ != Mode::PickFolder; }
    bool selected_valid() const { return selected_ >= 0 && selected_ < static_cast<int>(entries_.size()); }
    bool path_untouched() const;           // the field holds the folder alone
    void list(const std::string& dir, bool keep_text = false);
    void on_path_edited();                 // the list follows the typed folder, filtered by the typed name
    std::vector<int> shown() const;        // indices into entries_ that match the typed name
    void activate(const Entry& e);
    void confirm(const std::string& path);
    void submit_typed();
    void save_typed(const std::string& path);   // SaveFile: a new name in an existing folder

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
    std::string name_filter_;              // the typed name after the folder part (case-insensitive prefix)
    std::string replace_text_;             // set: the path field's text is replaced by this (while it is active)
    bool path_active_ = false;             // the path field had keyboard focus last frame
    friend int path_callback(ImGuiInputTextCallbackData* data);
    std::function<void(const std::string&)> on_done_;
};

}  // namespace ks::gui
