#include "settings_check.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <unistd.h>

namespace ks::gui {

namespace {

// A whole number, all of the text, within lo..hi.
bool parse_int(const std::string& s, long lo, long hi, long* out) {
    if (s.empty() || s.size() > 12) return false;
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (errno != 0 || end != s.c_str() + s.size() || v < lo || v > hi) return false;
    *out = v;
    return true;
}

// A finite number, all of the text, within lo..hi (NaN and inf fail every comparison).
bool parse_float(const std::string& s, float lo, float hi, float* out) {
    if (s.empty() || s.size() > 32) return false;
    char* end = nullptr;
    const float v = std::strtof(s.c_str(), &end);
    if (end != s.c_str() + s.size() || !std::isfinite(v) || !(v >= lo && v <= hi)) return false;
    *out = v;
    return true;
}

bool has_control(const std::string& s) {
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f) return true;
    return false;
}

// "A,B" as two whole numbers within lo..hi.
bool parse_pair(const std::string& s, long lo, long hi, long* a, long* b) {
    const size_t comma = s.find(',');
    return comma != std::string::npos && parse_int(s.substr(0, comma), lo, hi, a) && parse_int(s.substr(comma + 1), lo, hi, b);
}

// One line of [KernelScope][State]; false when its value is malformed or out of range.
// The ranges are what the layout can draw: the window no smaller than the app allows nor
// larger than an 8K screen, splits that leave every panel room.
bool read_state_line(const std::string& key, const std::string& v, SavedLayout& l) {
    long a = 0, b = 0;
    float f = 0;
    if (key == "Window") {
        if (!parse_pair(v, 1, 8192, &a, &b) || a < 800 || b < 560) return false;
        l.window_w = static_cast<int>(a);
        l.window_h = static_cast<int>(b);
    } else if (key == "Sidebar") {
        if (!parse_float(v, 0.0f, 2000.0f, &f) || (f > 0.0f && f < 200.0f)) return false;
        l.sidebar_w = f;  // 0: adapts to the window
    } else if (key == "RightFrac" || key == "ConvFrac" || key == "HeadsFrac") {
        const bool right = key == "RightFrac";
        if (!parse_float(v, right ? 0.15f : 0.2f, right ? 0.45f : 0.8f, &f)) return false;
        (right ? l.right_frac : key == "ConvFrac" ? l.conv_frac : l.heads_frac) = f;
    } else if (key == "ScreenshotDir") {
        if (v.empty() || v[0] != '/' || has_control(v)) return false;
        l.screenshot_dir = v;
    } else if (key == "Smooth") {
        if (v != "0" && v != "1") return false;
        l.smooth = v == "1";
    }
    return true;  // an unknown key (a later version's) is left alone
}

// One line of ImGui's [Window][...] section: positions and sizes must fit its 16-bit
// fields and leave the window on a screen.
bool window_line_ok(const std::string& line) {
    long a = 0, b = 0;
    if (line.rfind("Pos=", 0) == 0) return parse_pair(line.substr(4), -16384, 16384, &a, &b);
    if (line.rfind("Size=", 0) == 0) return parse_pair(line.substr(5), 1, 16384, &a, &b);
    if (line.rfind("Collapsed=", 0) == 0) return line == "Collapsed=0" || line == "Collapsed=1";
    return true;
}

// "[Table][0x%08X,%d]": ImGui 1.86 allocates the section from the column count.
bool table_header_ok(const std::string& name) {
    const size_t comma = name.find(',');
    long columns = 0;
    return name.rfind("0x", 0) == 0 && comma != std::string::npos && parse_int(name.substr(comma + 1), 1, 64, &columns);
}

struct Section {
    std::string type, name;
};

// "[Type][Name]" -> {Type, Name}; empty type when the line is not a header.
Section parse_header(const std::string& line) {
    if (line.size() < 4 || line.front() != '[' || line.back() != ']') return {};
    const size_t close = line.find(']');
    if (close + 1 >= line.size() || line[close + 1] != '[') return {};
    return {line.substr(1, close - 1), line.substr(close + 2, line.size() - close - 3)};
}

std::string shown(size_t n, const std::string& line) {
    const std::string cut = line.size() > 40 ? line.substr(0, 40) + "..." : line;
    return "line " + std::to_string(n) + " (" + (has_control(cut) ? std::string("unreadable") : cut) + ")";
}

}  // namespace

CheckedIni check_imgui_ini(const std::string& text) {
    CheckedIni out;
    std::istringstream in(text);
    std::string line;
    Section cur;
    bool keep = false;  // the current section goes to ImGui
    size_t n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.size() > kMaxSettingsLine || line.find('\0') != std::string::npos) {
            out.problems.push_back("line " + std::to_string(n) + " (too long or binary)");
            continue;
        }
        if (const Section h = parse_header(line); !h.type.empty()) {
            cur = h;
            keep = cur.type != "KernelScope" && (cur.type != "Table" || table_header_ok(cur.name));
            if (cur.type == "Table" && !keep) out.problems.push_back(shown(n, line));
            if (keep) out.imgui_text += line + "\n";
            continue;
        }
        if (line.empty()) {
            if (keep) out.imgui_text += "\n";
            continue;
        }
        const size_t eq = line.find('=');
        const bool ok = cur.type == "KernelScope" ? (eq != std::string::npos && read_state_line(line.substr(0, eq), line.substr(eq + 1), out.layout))
                                                  : cur.type != "Window" || window_line_ok(line);
        if (!ok) out.problems.push_back(shown(n, line));
        else if (keep) out.imgui_text += line + "\n";
    }
    return out;
}

CheckedRecent check_recent_list(const std::string& text, size_t max_items) {
    CheckedRecent out;
    std::istringstream in(text);
    std::string line;
    size_t n = 0;
    while (std::getline(in, line) && out.items.size() < max_items) {
        ++n;
        if (line.empty()) continue;
        struct stat st {};
        const bool exists = line.size() <= kMaxSettingsLine && ::stat(line.c_str(), &st) == 0;
        if (line.size() > kMaxSettingsLine || line[0] != '/' || has_control(line) || (exists && !S_ISREG(st.st_mode))) {
            out.problems.push_back(shown(n, line));
            continue;
        }
        if (std::find(out.items.begin(), out.items.end(), line) == out.items.end()) out.items.push_back(line);
    }
    return out;
}

std::optional<std::string> read_settings_file(const std::string& path, size_t max_bytes, std::string* problem) {
    struct stat st {};
    if (path.empty() || ::lstat(path.c_str(), &st) != 0) return std::nullopt;  // none yet: the defaults, silently
    if (S_ISLNK(st.st_mode) && ::stat(path.c_str(), &st) != 0) return std::nullopt;
    if (!S_ISREG(st.st_mode)) {
        *problem = "it is not a regular file";
        return std::nullopt;
    }
    if (static_cast<unsigned long long>(st.st_size) > max_bytes) {
        *problem = "it is " + std::to_string(st.st_size) + " bytes, more than the " + std::to_string(max_bytes) +
                   " a settings file may have";
        return std::nullopt;
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return std::nullopt;
    std::string text(static_cast<size_t>(st.st_size), '\0');
    const ssize_t got = ::read(fd, text.data(), text.size());  // a settings file is small: one read
    ::close(fd);
    text.resize(got > 0 ? static_cast<size_t>(got) : 0);
    return text;
}

std::string settings_message(const std::string& path, const std::vector<std::string>& problems, bool backed_up) {
    std::string list;
    for (size_t i = 0; i < problems.size() && i < 3; ++i) list += (i ? ", " : "") + problems[i];
    if (problems.size() > 3) list += ", and " + std::to_string(problems.size() - 3) + " more";
    return "The settings file " + path + " was not used as it was (" + list + "); the defaults stand for that" +
           (backed_up ? ", and the file was kept as " + path + ".bad." : ".");
}

std::string settings_status(const std::string& path, size_t problems, bool backed_up) {
    const std::string name = path.substr(path.find_last_of('/') + 1);
    return name + " was not usable as saved (" + std::to_string(problems) + (problems == 1 ? " entry" : " entries") +
           "); the defaults stand" + (backed_up ? ", and it was kept as " + name + ".bad." : ".");
}

}  // namespace ks::gui
