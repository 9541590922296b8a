// Parsing and playback of --script files (see script.h for the language and why
// events are injected where they are).
#include "script.h"

#include <GLFW/glfw3.h>
#include <unistd.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>

#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "app_state.h"
#include "background_priority.h"
#include "family_ui.h"
#include "capture.h"
#include "layout_audit.h"
#include "io/file_output.h"
#include "io/input_error.h"

namespace fs = std::filesystem;

namespace ks::gui {

namespace {

constexpr double kIdleTimeoutSeconds = 120.0;

const std::map<std::string, int>& key_names() {
    static const std::map<std::string, int> m = [] {
        std::map<std::string, int> k = {
            {"SPACE", GLFW_KEY_SPACE},       {"ENTER", GLFW_KEY_ENTER},         {"RETURN", GLFW_KEY_ENTER},
            {"ESCAPE", GLFW_KEY_ESCAPE},     {"ESC", GLFW_KEY_ESCAPE},          {"TAB", GLFW_KEY_TAB},
            {"BACKSPACE", GLFW_KEY_BACKSPACE}, {"DELETE", GLFW_KEY_DELETE},     {"INSERT", GLFW_KEY_INSERT},
            {"LEFT", GLFW_KEY_LEFT},         {"RIGHT", GLFW_KEY_RIGHT},         {"UP", GLFW_KEY_UP},
            {"DOWN", GLFW_KEY_DOWN},         {"HOME", GLFW_KEY_HOME},           {"END", GLFW_KEY_END},
            {"PAGEUP", GLFW_KEY_PAGE_UP},    {"PAGEDOWN", GLFW_KEY_PAGE_DOWN},  {"LEFTBRACKET", GLFW_KEY_LEFT_BRACKET},
            {"RIGHTBRACKET", GLFW_KEY_RIGHT_BRACKET}, {"COMMA", GLFW_KEY_COMMA}, {"PERIOD", GLFW_KEY_PERIOD},
            {"MINUS", GLFW_KEY_MINUS},       {"EQUAL", GLFW_KEY_EQUAL},         {"SLASH", GLFW_KEY_SLASH},
            {"KPENTER", GLFW_KEY_KP_ENTER},  {"SHIFT", GLFW_KEY_LEFT_SHIFT},    {"CTRL", GLFW_KEY_LEFT_CONTROL},
            {"ALT", GLFW_KEY_LEFT_ALT},      {"SUPER", GLFW_KEY_LEFT_SUPER},
        };
        for (char c = 'A'; c <= 'Z'; ++c) k[std::string(1, c)] = GLFW_KEY_A + (c - 'A');
        for (char c = '0'; c <= '9'; ++c) k[std::string(1, c)] = GLFW_KEY_0 + (c - '0');
        for (int i = 1; i <= 12; ++i) k["F" + std::to_string(i)] = GLFW_KEY_F1 + i - 1;
        return k;
    }();
    return m;
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// "ctrl+shift" or "ctrl" -> the modifier keys to hold; false on an unknown name.
bool parse_mods(const std::string& word, std::vector<int>* keys) {
    size_t at = 0;
    while (at <= word.size()) {
        const size_t plus = word.find('+', at);
        const std::string m = upper(word.substr(at, plus == std::string::npos ? std::string::npos : plus - at));
        if (m == "CTRL" || m == "CONTROL") keys->push_back(GLFW_KEY_LEFT_CONTROL);
        else if (m == "SHIFT") keys->push_back(GLFW_KEY_LEFT_SHIFT);
        else if (m == "ALT") keys->push_back(GLFW_KEY_LEFT_ALT);
        else if (m == "SUPER") keys->push_back(GLFW_KEY_LEFT_SUPER);
        else return false;
        if (plus == std::string::npos) break;
        at = plus + 1;
    }
    return true;
}

int mod_bit(int key) {
    switch (key) {
        case GLFW_KEY_LEFT_CONTROL: return GLFW_MOD_CONTROL;
        case GLFW_KEY_LEFT_SHIFT: return GLFW_MOD_SHIFT;
        case GLFW_KEY_LEFT_ALT: return GLFW_MOD_ALT;
        case GLFW_KEY_LEFT_SUPER: return GLFW_MOD_SUPER;
        default: return 0;
    }
}

int button_of(const std::string& s) {
    if (s == "left") return GLFW_MOUSE_BUTTON_LEFT;
    if (s == "right") return GLFW_MOUSE_BUTTON_RIGHT;
    if (s == "middle") return GLFW_MOUSE_BUTTON_MIDDLE;
    return -1;
}

bool number(const std::string& s, double* out) {
    char* end = nullptr;
    *out = std::strtod(s.c_str(), &end);
    return !s.empty() && *end == '\0';
}

// Whitespace-separated words; "double quoted" words may hold spaces.
std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
        if (i >= line.size()) break;
        std::string w;
        if (line[i] == '"') {
            const size_t end = line.find('"', i + 1);
            w = line.substr(i + 1, end == std::string::npos ? std::string::npos : end - i - 1);
            i = end == std::string::npos ? line.size() : end + 1;
        } else {
            while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) w += line[i++];
        }
        out.push_back(w);
    }
    return out;
}

// Button and modifiers of click / mousedown / mouseup.
bool mouse_args(const std::vector<std::string>& a, int* button, std::vector<int>* mod_keys) {
    *button = GLFW_MOUSE_BUTTON_LEFT;
    for (size_t i = 0; i < a.size(); ++i) {
        const int b = button_of(a[i]);
        if (i == 0 && b >= 0) *button = b;
        else if (!parse_mods(a[i], mod_keys)) return false;
    }
    return true;
}

// UTF-8 -> code points (invalid bytes are passed through as Latin-1).
std::vector<unsigned> code_points(const std::string& s) {
    std::vector<unsigned> out;
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
        if (n < 0 || i + n >= s.size()) { out.push_back(c); ++i; continue; }
        unsigned cp = n == 0 ? c : c & (0x3F >> n);
        for (int k = 1; k <= n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += n + 1;
    }
    return out;
}

}  // namespace

std::vector<ScriptCommand> parse_script(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError("Cannot read the script " + path + ".");
    std::vector<ScriptCommand> out;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto words = split(line);
        if (words.empty() || words[0][0] == '#') continue;
        ScriptCommand c;
        c.line = n;
        c.verb = words[0];
        c.args.assign(words.begin() + 1, words.end());
        auto bad = [&](const std::string& why) {
            return InputError("Script " + path + " line " + std::to_string(n) + ": " + why);
        };
        const auto& a = c.args;
        double x = 0, y = 0;
        std::vector<int> mk;
        int b = 0;
        if (c.verb == "wait") {
            if (a.size() > 1 || (a.size() == 1 && a[0] != "idle" && !(number(a[0], &x) && x >= 0 && x == static_cast<int>(x))))
                throw bad("'wait' takes a frame count or 'idle'.");
        } else if (c.verb == "move") {
            const bool panel = a.size() == 3 && a[0].rfind("panel:", 0) == 0;
            if (!(panel || a.size() == 2) || !number(a[a.size() - 2], &x) || !number(a.back(), &y))
                throw bad("'move' takes X Y in window pixels, or panel:NAME FX FY.");
        } else if (c.verb == "click" || c.verb == "mousedown" || c.verb == "mouseup") {
            if (!mouse_args(a, &b, &mk)) throw bad("'" + c.verb + "' takes [left|right|middle] [ctrl|shift|alt|super].");
        } else if (c.verb == "press" || c.verb == "keydown" || c.verb == "keyup") {
            if (a.empty() || !key_names().count(upper(a[0])))
                throw bad("'" + c.verb + "' needs a key name such as A, ENTER, RIGHT or LEFTBRACKET.");
            for (size_t i = 1; i < a.size(); ++i)
                if (!parse_mods(a[i], &mk)) throw bad("unknown modifier '" + a[i] + "' (ctrl, shift, alt, super).");
        } else if (c.verb == "wheel") {
            if (a.size() != 1 || !number(a[0], &y) || std::fabs(y) > 100)
                throw bad("'wheel' takes the wheel steps, e.g. 2 (zoom in) or -1.");
        } else if (c.verb == "type") {
            // The rest of the line, spaces included, after one separating blank.
            const size_t at = line.find("type") + 4;
            c.args = {at < line.size() ? line.substr(at + 1) : std::string()};
        } else if (c.verb == "drop") {
            if (a.empty()) throw bad("'drop' needs at least one path.");
        } else if (c.verb == "resize") {
            if (a.size() != 2 || !number(a[0], &x) || !number(a[1], &y) || x < 320 || y < 320 || x > 8192 || y > 8192)
                throw bad("'resize' takes a window width and height, 320..8192.");
        } else if (c.verb == "set") {
            // A perturbation slider moved to a value (as a drag that ends there).
            static const char* names[] = {"noise", "brightness", "contrast"};
            if (a.size() != 2 || std::find(std::begin(names), std::end(names), a[0]) == std::end(names) || !number(a[1], &x))
                throw bad("'set' takes noise, brightness or contrast and a number.");
        } else if (c.verb == "state" || c.verb == "screenshot") {
            if (a.size() != 1) throw bad("'" + c.verb + "' needs one output path.");
        } else if (c.verb == "quit") {
            if (!a.empty()) throw bad("'quit' takes nothing.");
        } else {
            throw bad("unknown command '" + c.verb + "'.");
        }
        out.push_back(std::move(c));
    }
    return out;
}

bool script_may_use_config() {
    const char* x = std::getenv("XDG_CONFIG_HOME");
    if (!x || !*x) return false;
    std::error_code ec;
    const fs::path tmp = fs::weakly_canonical(fs::temp_directory_path(ec), ec);
    if (ec) return false;
    const fs::path cfg = fs::weakly_canonical(fs::absolute(x, ec), ec);
    if (ec) return false;
    const fs::path rel = cfg.lexically_relative(tmp);
    return !rel.empty() && rel != "." && *rel.begin() != "..";
}

// The query, the view and the inputs.
void add_query_and_inputs(const AppState& app, nlohmann::json& j) {
    const char* kinds[] = {"patch", "prefix", "rollout"};
    const char* reduces[] = {"single", "mean", "max"};
    j["query"] = {{"row", app.q_row},
                  {"col", app.q_col},
                  {"token", query_token_now(app)},
                  {"pinned", app.pinned},
                  {"label", query_label(app)}};
    j["view"] = {{"layer", app.view.layer},
                 {"head", app.view.head},
                 {"reduce", reduces[static_cast<int>(app.view.reduce)]},
                 {"kind", kinds[static_cast<int>(app.view.kind)]},
                 {"prefix", app.view.prefix}};
    j["image_a"] = app.path_a;
    j["image_b"] = app.path_b;
    j["ab_mode"] = app.second_image_shown();
    const char* b_modes[] = {"perturbed", "second", "off"};
    j["b_mode"] = b_modes[static_cast<int>(app.b_mode)];
}

// Exports, analyses, loading and frame times.
void add_progress(const AppState& app, nlohmann::json& j) {
    j["last_export"] = app.last_export_dir;
    // The last finished Ctrl+E: its time and the progress it reached (1 when every file was written).
    j["last_export_ms"] = app.last_export_seconds * 1000.0;
    j["last_export_progress"] = app.last_export_progress;
    j["result_seconds"] = app.result ? app.result->seconds : -1.0;   // the worker's time for what is on screen
    // Input A's mean attention distances as the Analyses window has them ([layers][heads]).
    if (app.result && app.result->analysis_a) {
        const MeanDistances& d = app.result->analysis_a->distances;
        j["analysis_a"] = {{"layers", d.layers}, {"heads", d.heads}, {"model_px", d.model_px}, {"original_px", d.original_px}};
    }
    j["analyses"] = {{"open", app.show_analyses}, {"hf_share_attention", app.hf_share_attention}, {"hf_share_conv", app.hf_share_conv},
                     {"distance_axis", app.analyses_distance_axis}};
    if (app.image_a) j["image_a_size"] = {{"width", app.image_a->width}, {"height", app.image_a->height}};
    j["loading"] = app.loader.busy();
    // Since the previous `state` (reset there): a frame this long is a visible freeze.
    j["max_frame_ms"] = app.max_frame_ms;
}

// The model, the conv kernel on screen and the comparison's numbers.
void add_model_and_numbers(const AppState& app, nlohmann::json& j) {
    family_ui(app).model_json(app, j, false);
    if (app.resnet_beside()) add_resnet_json(*app.result, j);   // the second slot holds a ResNet
    if (const TokenLayout* g = app.grid()) j["grid"] = {{"rows", g->grid_h}, {"cols", g->grid_w}};
    j["filter"] = app.opts.filter;
    // The conv kernel on screen: a data-dependent one belongs to pixel (x, y) of the input.
    j["conv"] = {{"filter", app.opts.filter},
                 {"data_dependent", app.conv.data_dependent},
                 {"kernel_size", app.conv.kernel_b.size},
                 {"kernel_sum", app.conv.stats.sum},
                 {"kernel_min", app.conv.stats.min},
                 {"x", app.conv.x},
                 {"y", app.conv.y},
                 {"change", app.conv.change},   // the chosen filter's kernel change
                 {"change_text", conv_change_text(app)}};
    // Null until a row has been compared with the clean input's (e.g. ViT and B of another size).
    j["kernel_change"] = kernel_changes_json(app.changes);
    add_maps_json(app, j);
    const PixelRect& o = app.perturb.occlusion;
    j["occlusion"] = {{"x", o.x}, {"y", o.y}, {"w", o.w}, {"h", o.h}};
}

// The window's own state: status line, settings, zoom, dialog, panels, cut text.
void add_window_state(const AppState& app, nlohmann::json& j) {
    j["status"] = {{"text", app.status}, {"error", app.status_error}};
    j["forward_passes"] = app.forward_passes;
    // The worker's time for the result on screen (a slider change on a big photo: all of it).
    j["result_ms"] = app.result ? app.result->seconds * 1000.0 : -1.0;
    j["recent"] = app.recent.items();
    j["config_dir"] = app.config_dir;
    j["screenshot_dir"] = app.screenshot_dir;
    j["zoom"] = {{"factor", app.zoom.zoom}, {"center", {app.zoom.center.x, app.zoom.center.y}}};
    j["center_view"] = app.center_view == CenterView::Heads ? "heads" : "comparison";
    j["dialog_open"] = app.browser.is_open();
    j["dialog_path"] = app.browser.is_open() ? app.browser.path_text() : "";
    j["dialog"] = {{"dir", app.browser.dir()}, {"entries", app.browser.shown_names()}, {"error", app.browser.error()}, {"path", app.browser.typed()}};
    j["busy"] = app.worker.busy();
    nlohmann::json threads = nlohmann::json::array();
    for (const ThreadNice& t : thread_nice_values()) threads.push_back({{"tid", t.tid}, {"name", t.name}, {"nice", t.nice}});
    j["threads"] = threads;
    j["pid"] = static_cast<int>(::getpid());
    j["gallery"] = gallery_state_json(app);
    nlohmann::json panels = nlohmann::json::object();
    for (const auto& [name, r] : app.rects) panels[name] = {{"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}};
    j["panels"] = panels;
    nlohmann::json cut = nlohmann::json::array();
    for (const TextCut& c : text_cut()) cut.push_back({{"where", c.where}, {"kind", c.kind}, {"over_px", c.over_px}});
    j["cut"] = cut;
}

std::string app_state_json(const AppState& app, GLFWwindow* win) {
    nlohmann::json j;
    int ww = 0, wh = 0;
    glfwGetWindowSize(win, &ww, &wh);
    j["window"] = {{"width", ww}, {"height", wh}};
    add_query_and_inputs(app, j);
    add_progress(app, j);
    add_model_and_numbers(app, j);
    add_window_state(app, j);
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

ScriptPlayer::ScriptPlayer(std::vector<ScriptCommand> cmds, GLFWwindow* win, DropFn drop, ShotFn shot)
    : cmds_(std::move(cmds)), win_(win), drop_(drop), shot_(shot) {}

void ScriptPlayer::fail(const ScriptCommand& c, const std::string& why, int code) {
    error_ = "Script line " + std::to_string(c.line) + " (" + c.verb + "): " + why;
    exit_code_ = code;
}

void ScriptPlayer::key(int k, bool down) {
    if (const int bit = mod_bit(k)) mod_bits_ = down ? (mod_bits_ | bit) : (mod_bits_ & ~bit);
    ImGui_ImplGlfw_KeyCallback(win_, k, glfwGetKeyScancode(k), down ? GLFW_PRESS : GLFW_RELEASE, mod_bits_);
}

void ScriptPlayer::mods(const std::vector<int>& keys, bool down) {
    for (int k : keys) key(k, down);
}

void ScriptPlayer::button(int b, bool down, const std::vector<int>& mod_keys) {
    if (down) mods(mod_keys, true);
    ImGui_ImplGlfw_MouseButtonCallback(win_, b, down ? GLFW_PRESS : GLFW_RELEASE, mod_bits_);
    down_[b] = down;
    if (down && !mod_keys.empty()) release_keys_.insert(release_keys_.end(), mod_keys.rbegin(), mod_keys.rend());
}

void ScriptPlayer::before_frame(AppState& app) {
    if (failed() || frames_left_ > 0 || idle_wait_ || next_ >= cmds_.size()) return;
    const ScriptCommand& c = cmds_[next_];
    const auto& a = c.args;
    if (c.verb == "state" || c.verb == "screenshot" || c.verb == "quit") return;  // after this frame
    ++next_;
    frames_left_ = 1;  // every input command gets one frame to take effect
    if (c.verb == "wait") {
        if (!a.empty() && a[0] == "idle") {
            frames_left_ = 0;
            idle_wait_ = true;
            idle_frames_ = 0;
            idle_since_ = glfwGetTime();
        } else {
            frames_left_ = a.empty() ? 1 : std::atoi(a[0].c_str());
        }
    } else if (c.verb == "move") {
        double x = std::strtod(a[a.size() - 2].c_str(), nullptr), y = std::strtod(a.back().c_str(), nullptr);
        if (a.size() == 3) {
            std::string name = a[0].substr(6);
            if (name == "image") name = "attention_a";  // input A's picture in the comparison
            const auto it = app.rects.find(name);
            if (it == app.rects.end()) return fail(c, "no panel '" + name + "' is on screen.", 2);
            x = it->second.x + x * it->second.w;
            y = it->second.y + y * it->second.h;
        }
        if (!entered_) {
            ImGui_ImplGlfw_CursorEnterCallback(win_, GLFW_TRUE);  // as X reports the pointer entering
            entered_ = true;
        }
        cx_ = x;
        cy_ = y;
    } else if (c.verb == "click" || c.verb == "mousedown" || c.verb == "mouseup") {
        int b = 0;
        std::vector<int> mk;
        mouse_args(a, &b, &mk);
        if (c.verb == "mouseup") {
            button(b, false, {});
        } else {
            button(b, true, mk);
            if (c.verb == "click") release_button_ = b;
        }
    } else if (c.verb == "press" || c.verb == "keydown" || c.verb == "keyup") {
        const int k = key_names().at(upper(a[0]));
        std::vector<int> mk;
        for (size_t i = 1; i < a.size(); ++i) parse_mods(a[i], &mk);
        if (c.verb == "keyup") {
            key(k, false);
            mods(mk, false);
            return;
        }
        mods(mk, true);
        key(k, true);
        if (c.verb == "press") {
            release_keys_.push_back(k);
            release_keys_.insert(release_keys_.end(), mk.rbegin(), mk.rend());
        }
    } else if (c.verb == "wheel") {
        ImGui_ImplGlfw_ScrollCallback(win_, 0.0, std::stod(a[0]));  // as X reports a wheel step
    } else if (c.verb == "type") {
        for (unsigned cp : code_points(a[0])) ImGui_ImplGlfw_CharCallback(win_, cp);
    } else if (c.verb == "drop") {
        std::vector<std::string> abs;
        std::vector<const char*> ptrs;
        for (const auto& p : a) abs.push_back(absolute_path(p));
        for (const auto& p : abs) ptrs.push_back(p.c_str());
        drop_(win_, static_cast<int>(ptrs.size()), ptrs.data());
    } else if (c.verb == "set") {
        const float v = std::stof(a[1]);
        float& slider = a[0] == "noise" ? app.perturb.noise_sigma : a[0] == "brightness" ? app.perturb.brightness : app.perturb.contrast;
        slider = a[0] == "noise" ? std::clamp(v, 0.0f, 0.5f) : a[0] == "brightness" ? std::clamp(v, -0.5f, 0.5f) : std::clamp(v, 0.2f, 3.0f);
        request_compute(app);
    } else if (c.verb == "resize") {
        // As a user dragging the window's corner: the layout follows on the next frames.
        glfwSetWindowSize(win_, std::stoi(a[0]), std::stoi(a[1]));
        frames_left_ = 3;
    }
}

void ScriptPlayer::apply_pointer() {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = cx_ < 0 || cy_ < 0 ? ImVec2(-FLT_MAX, -FLT_MAX) : ImVec2(static_cast<float>(cx_), static_cast<float>(cy_));
    for (int b = 0; b < 3; ++b) io.MouseDown[b] = down_[b];
}

void ScriptPlayer::after_frame(AppState& app) {
    if (failed()) return;
    // Keys and clicks were down for exactly the frame just drawn.
    if (release_button_ >= 0) {
        button(release_button_, false, {});
        release_button_ = -1;
    }
    for (int k : release_keys_) key(k, false);
    release_keys_.clear();

    if (frames_left_ > 0) --frames_left_;
    if (idle_wait_) {
        // A pending image load counts: its result is a new request to wait for.
        const bool idle = !app.request_dirty && !app.worker.busy() && !app.loader.busy() && app.dropped.empty() &&
                          !(app.gallery.open && app.gallery.worker.busy()) &&
                          app.screenshot_countdown == 0 && !app.export_job && !app.export_requested;
        idle_frames_ = idle ? idle_frames_ + 1 : 0;
        // Three idle frames: a result that finished after this check is taken and drawn.
        if (idle_frames_ >= 3) idle_wait_ = false;
        else if (glfwGetTime() - idle_since_ > kIdleTimeoutSeconds)
            return fail(cmds_[next_ - 1], "the app did not become idle within 120 s.", 1);
    }
    if (frames_left_ > 0 || idle_wait_) return;
    while (next_ < cmds_.size()) {
        const ScriptCommand& c = cmds_[next_];
        if (c.verb != "state" && c.verb != "screenshot" && c.verb != "quit") return;
        ++next_;
        try {
            if (c.verb == "state") {
                write_file_atomic(c.args[0], app_state_json(app, win_));
                app.max_frame_ms = 0;
            } else if (c.verb == "screenshot") shot_(app, win_, c.args[0]);
            else break;  // quit
        } catch (const std::exception& e) {
            return fail(c, e.what(), 2);
        }
    }
    if (next_ >= cmds_.size() || cmds_[next_ - 1].verb == "quit") app.quit = true;
}

}  // namespace ks::gui
