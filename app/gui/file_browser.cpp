#include "file_browser.h"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace fs = std::filesystem;

namespace ks::gui {

namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string human_size(unsigned long long b) {
    char buf[32];
    if (b < 1024) std::snprintf(buf, sizeof buf, "%llu B", b);
    else if (b < 1024ull * 1024) std::snprintf(buf, sizeof buf, "%.1f KB", b / 1024.0);
    else std::snprintf(buf, sizeof buf, "%.1f MB", b / (1024.0 * 1024.0));
    return buf;
}

void set_buf(char* buf, size_t n, const std::string& s) {
    std::snprintf(buf, n, "%s", s.c_str());
}

}  // namespace

bool FileBrowser::is_image_name(const std::string& name) {
    static const char* exts[] = {".png", ".jpg", ".jpeg", ".bmp", ".tga", ".gif"};
    const std::string ext = lower(fs::path(name).extension().string());
    for (const char* e : exts)
        if (ext == e) return true;
    return false;
}

bool FileBrowser::is_checkpoint_name(const std::string& name) {
    return lower(fs::path(name).extension().string()) == ".safetensors";
}

bool FileBrowser::is_session_name(const std::string& name) { return lower(fs::path(name).extension().string()) == ".json"; }

bool FileBrowser::is_pickle_name(const std::string& name) {
    const std::string ext = lower(fs::path(name).extension().string());
    return ext == ".pth" || ext == ".pt" || ext == ".bin" || ext == ".ckpt";
}

void FileBrowser::open(const std::string& title, Mode mode, const std::string& start_dir,
                       std::function<void(const std::string&)> on_done, Filter filter) {
    title_ = title;
    mode_ = mode;
    filter_ = filter;
    on_done_ = std::move(on_done);
    error_.clear();
    std::error_code ec;
    std::string d = start_dir;
    if (d.empty() || !fs::is_directory(d, ec)) d = fs::current_path(ec).string();
    list(d);
    visible_ = true;
    request_popup_ = true;
    focus_path_ = true;
}

std::vector<int> FileBrowser::shown() const {
    std::vector<int> idx;
    const std::string f = lower(name_filter_);
    for (int i = 0; i < static_cast<int>(entries_.size()); ++i)
        if (f.empty() || lower(entries_[i].name).rfind(f, 0) == 0) idx.push_back(i);
    return idx;
}

std::vector<std::string> FileBrowser::shown_names() const {
    std::vector<std::string> out;
    for (int i : shown()) out.push_back(entries_[i].name + (entries_[i].dir ? "/" : ""));
    return out;
}

// How many leading characters of the path field to drop: the "<folder>/" it was filled
// with, when what follows starts a path of its own (/ or ~). 0 otherwise.
static size_t absolute_typed_after_folder(const std::string& buf, const std::string& folder) {
    const std::string prefix = folder == "/" ? "/" : folder + "/";
    if (buf.size() <= prefix.size() || buf.compare(0, prefix.size(), prefix) != 0) return 0;
    const char c = buf[prefix.size()];
    return c == '/' || c == '~' ? prefix.size() : 0;
}

int path_callback(ImGuiInputTextCallbackData* data) {
    auto* self = static_cast<FileBrowser*>(data->UserData);
    if (data->EventFlag == ImGuiInputTextFlags_CallbackAlways && !self->replace_text_.empty()) {
        data->DeleteChars(0, data->BufTextLen);
        data->InsertChars(0, self->replace_text_.c_str());
        data->CursorPos = data->SelectionStart = data->SelectionEnd = data->BufTextLen;  // typing goes on at the end
        self->replace_text_.clear();
    }
    // The field starts as "<folder>/" with the cursor at its end. A path typed or pasted
    // there that starts with / or ~ is a path of its own, as in a shell: it replaces the folder.
    const size_t keep = absolute_typed_after_folder(std::string(data->Buf, static_cast<size_t>(data->BufTextLen)), self->dir());
    if (keep > 0) {
        data->DeleteChars(0, static_cast<int>(keep));
        data->CursorPos = data->SelectionStart = data->SelectionEnd = data->BufTextLen;
    }
    return 0;
}

void FileBrowser::on_path_edited() {
    std::string p = path_buf_;
    if (!p.empty() && p[0] == '~')
        if (const char* h = std::getenv("HOME")) p = std::string(h) + p.substr(1);
    const size_t slash = p.rfind('/');
    const std::string folder = slash == std::string::npos ? dir_ : (slash == 0 ? "/" : p.substr(0, slash));
    name_filter_ = slash == std::string::npos ? p : p.substr(slash + 1);
    std::error_code ec;
    std::string norm = fs::absolute(folder, ec).lexically_normal().string();
    if (norm.size() > 1 && norm.back() == '/') norm.pop_back();
    if (norm != dir_) {
        if (fs::is_directory(norm, ec)) list(norm, true);
        else {
            error_ = "No such folder: " + folder;
            return;
        }
    }
    error_.clear();
    const auto idx = shown();
    selected_ = idx.empty() ? -1 : idx.front();
    scroll_to_selected_ = true;
}

void FileBrowser::list(const std::string& dir, bool keep_text) {
    std::error_code ec;
    fs::path p = fs::absolute(dir, ec).lexically_normal();
    std::string s = p.string();
    if (s.size() > 1 && s.back() == '/') s.pop_back();
    std::vector<Entry> found;
    fs::directory_iterator it(s, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
        error_ = "Cannot list " + s + ": " + ec.message() + ".";
        return;
    }
    for (const auto& de : it) {
        Entry e;
        e.name = de.path().filename().string();
        if (!show_hidden_ && !e.name.empty() && e.name[0] == '.') continue;
        std::error_code ec2;
        e.dir = de.is_directory(ec2);
        if (!e.dir) {
            if (mode_ == Mode::PickFolder) continue;
            const bool wanted = filter_ == Filter::Images     ? is_image_name(e.name)
                                : filter_ == Filter::Sessions ? is_session_name(e.name)
                                                              : is_checkpoint_name(e.name) || is_pickle_name(e.name);
            if (!all_files_ && !wanted) continue;
            e.size = de.file_size(ec2);
        }
        found.push_back(std::move(e));
    }
    std::sort(found.begin(), found.end(), [](const Entry& a, const Entry& b) {
        if (a.dir != b.dir) return a.dir;
        return lower(a.name) < lower(b.name);
    });
    dir_ = s;
    entries_ = std::move(found);
    selected_ = entries_.empty() ? -1 : 0;
    scroll_to_selected_ = true;
    error_.clear();
    if (keep_text) return;  // the user is typing: the field keeps their text
    name_filter_.clear();
    set_buf(path_buf_, sizeof path_buf_, mode_ == Mode::PickFolder ? dir_ : dir_ + "/");
    // An active field shows its own copy, and one activated again keeps its old cursor:
    // either way the next callback puts this text in with the cursor at its end.
    replace_text_ = path_buf_;
}

void FileBrowser::confirm(const std::string& path) {
    visible_ = false;
    ImGui::CloseCurrentPopup();
    if (on_done_) on_done_(path);
}

void FileBrowser::activate(const Entry& e) {
    const std::string full = (fs::path(dir_) / e.name).string();
    if (e.dir) list(full);
    else confirm(full);
}

void FileBrowser::submit_typed() {
    std::string p = path_buf_;
    while (!p.empty() && std::isspace(static_cast<unsigned char>(p.back()))) p.pop_back();
    if (p.empty()) return;
    if (p[0] == '~') {
        if (const char* h = std::getenv("HOME")) p = std::string(h) + p.substr(1);
    }
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
        if (mode_ == Mode::PickFolder && lower(p) == lower(dir_)) confirm(dir_);
        else list(p);
    } else if (!fs::exists(p, ec)) {
        if (mode_ == Mode::SaveFile) return save_typed(p);
        // A typed name that is the start of one shown entry opens that entry.
        const auto idx = shown();
        if (idx.size() == 1 && !name_filter_.empty()) {
            const Entry e = entries_[idx.front()];
            activate(e);
            return;
        }
        error_ = "Nothing is at " + p + ": no such file or folder.";
    } else if (picks_file()) {
        confirm(p);  // the loader reports a bad file in the status line; saving replaces the file
    } else {
        error_ = p + " is not a folder.";
    }
}

void FileBrowser::save_typed(const std::string& typed) {
    // Relative to the folder shown, not to the working directory.
    const fs::path p = fs::path(typed).is_absolute() ? fs::path(typed) : fs::path(dir_) / typed;
    std::error_code ec;
    if (!fs::is_directory(p.parent_path(), ec)) {
        error_ = "No such folder: " + p.parent_path().string();
        return;
    }
    confirm(p.string());
}

void FileBrowser::close() {
    visible_ = false;
    ImGui::CloseCurrentPopup();
}

bool FileBrowser::path_untouched() const {
    return std::string(path_buf_) == dir_ + "/" || std::string(path_buf_) == dir_;
}

// Opens the modal on its first frame, centred; false (and closed) when it is not drawn.
bool FileBrowser::begin_popup() {
    const std::string label = title_ + "##kernelscope_file_browser";
    if (request_popup_) {
        ImGui::OpenPopup(label.c_str());
        request_popup_ = false;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(760.0f, vp->WorkSize.x * 0.9f), std::min(560.0f, vp->WorkSize.y * 0.85f)),
                             ImGuiCond_Appearing);
    bool keep = true;
    if (!ImGui::BeginPopupModal(label.c_str(), &keep)) {
        visible_ = false;
        return false;
    }
    if (keep) return true;
    close();
    ImGui::EndPopup();
    return false;
}

// The Up button and the path field.
FileBrowser::PathRow FileBrowser::draw_path_row() {
    if (ImGui::Button("Up")) list(fs::path(dir_).parent_path().string());
    ImGui::SameLine();
    if (focus_path_) {
        ImGui::SetKeyboardFocusHere();
        focus_path_ = false;
    }
    ImGui::SetNextItemWidth(-1);
    // Backspace with nothing typed after the folder goes to the parent folder.
    const bool empty_name = std::string(path_buf_) == dir_ + "/" || (dir_ == "/" && std::string(path_buf_) == "/");
    if (path_active_ && empty_name && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace)))
        list(fs::path(dir_).parent_path().string());
    const std::string before = path_buf_;
    PathRow row;
    row.entered = ImGui::InputText("##path", path_buf_, sizeof path_buf_,
                                   ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CallbackAlways, path_callback, this);
    row.typing = ImGui::IsItemActive();
    path_active_ = row.typing;
    if (!row.entered && before != path_buf_) on_path_edited();
    if (row.entered) {
        // An untouched path field + Enter opens the selected entry; a typed path wins.
        if (path_untouched() && selected_valid() && picks_file()) row.open_selected = true;
        else submit_typed();
        focus_path_ = visible_;
    }
    return row;
}

// Keyboard navigation of the list (also while the path field has focus, except
// Backspace, which edits the path there). Returns false when Escape closed the dialog.
bool FileBrowser::navigate(bool typing) {
    const std::vector<int> vis = shown();
    if (!vis.empty()) {
        // Steps move through the shown (filtered) entries.
        const int n = static_cast<int>(vis.size());
        int at = static_cast<int>(std::find(vis.begin(), vis.end(), selected_) - vis.begin());
        if (at >= n) at = 0;
        const int before_at = at;
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow))) at = std::min(n - 1, at + 1);
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow))) at = std::max(0, at - 1);
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageDown))) at = std::min(n - 1, at + 10);
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageUp))) at = std::max(0, at - 10);
        if (at != before_at || selected_ != vis[at]) {
            selected_ = vis[at];
            scroll_to_selected_ = true;
        }
    } else {
        selected_ = -1;
    }
    if (!typing && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace)))
        list(fs::path(dir_).parent_path().string());
    if (!ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) return true;
    close();
    ImGui::EndPopup();
    return false;
}

int FileBrowser::draw_entries() {
    const float footer = ImGui::GetFrameHeightWithSpacing() * 2.0f + ImGui::GetStyle().ItemSpacing.y;
    ImGui::BeginChild("##entries", ImVec2(0, -footer), true);
    int to_activate = -1;
    for (int i : shown()) {
        const Entry& e = entries_[i];
        ImGui::PushID(i);
        const bool pickle = !e.dir && filter_ == Filter::Checkpoints && is_pickle_name(e.name);
        const std::string name = e.dir ? "[dir]  " + e.name + "/" : "       " + e.name + (pickle ? "   (pickle: refused)" : "");
        if (pickle) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        const bool clicked = ImGui::Selectable(name.c_str(), selected_ == i, ImGuiSelectableFlags_AllowDoubleClick | ImGuiSelectableFlags_SpanAllColumns);
        if (pickle) ImGui::PopStyleColor();
        if (clicked) {
            selected_ = i;
            if (ImGui::IsMouseDoubleClicked(0)) to_activate = i;
        }
        if (!e.dir) {
            ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - 90.0f);
            ImGui::TextDisabled("%s", human_size(e.size).c_str());
        }
        if (selected_ == i && scroll_to_selected_) {
            ImGui::SetScrollHereY(0.5f);
            scroll_to_selected_ = false;
        }
        ImGui::PopID();
    }
    if (!entries_.empty() && shown().empty()) ImGui::TextDisabled("(nothing here starts with '%s')", name_filter_.c_str());
    if (entries_.empty()) ImGui::TextDisabled(mode_ == Mode::PickFolder       ? "(no sub-folders)"
                                              : filter_ == Filter::Images   ? "(no image files here)"
                                              : filter_ == Filter::Sessions ? "(no .json files here)"
                                                                            : "(no .safetensors files here)");
    ImGui::EndChild();
    return to_activate;
}

// The error or a hint, the list's checkboxes, Cancel and the confirming button.
void FileBrowser::draw_footer(int* to_activate) {
    if (!error_.empty()) ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", error_.c_str());
    else ImGui::TextDisabled("%s", mode_ == Mode::OpenFile   ? "Up/Down select, Enter opens, Backspace goes up, Esc cancels; or type a path."
                                   : mode_ == Mode::SaveFile ? "Type a file name and press Enter to save; Backspace goes up, Esc cancels."
                                                             : "Open the folder to use, then press 'Use this folder'.");
    if (picks_file()) {
        if (ImGui::Checkbox("Show all files", &all_files_)) list(dir_);
        ImGui::SameLine();
    }
    if (ImGui::Checkbox("Hidden", &show_hidden_)) list(dir_);
    const float bw = 130.0f;
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - 2 * bw - ImGui::GetStyle().ItemSpacing.x);
    if (ImGui::Button("Cancel", ImVec2(bw, 0))) close();
    ImGui::SameLine();
    if (mode_ == Mode::PickFolder) {
        if (ImGui::Button("Use this folder", ImVec2(bw, 0))) confirm(dir_);
    } else if (ImGui::Button(mode_ == Mode::SaveFile ? "Save" : "Open", ImVec2(bw, 0))) {
        // Saving, a typed name wins over the entry it happens to select.
        const bool typed = mode_ == Mode::SaveFile && !path_untouched();
        if (selected_valid() && !typed) *to_activate = selected_;
        else submit_typed();
    }
}

void FileBrowser::draw() {
    if (!visible_ || !begin_popup()) return;
    const PathRow row = draw_path_row();
    if (!navigate(row.typing)) return;
    // Not in the frame the path field took the Enter: that one was the field's.
    const bool enter_on_list = !row.typing && !row.entered && (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) ||
                                                               ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter)));
    int to_activate = draw_entries();
    if ((enter_on_list || row.open_selected) && selected_valid()) to_activate = selected_;
    draw_footer(&to_activate);
    // A checkbox may have listed the folder again: the index must still name an entry.
    if (to_activate >= 0 && to_activate < static_cast<int>(entries_.size()) && visible_) {
        const Entry e = entries_[to_activate];  // list() replaces entries_
        activate(e);
    }
    ImGui::EndPopup();
}

}  // namespace ks::gui
