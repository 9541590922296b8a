#include "config.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "io/file_output.h"
#include "settings_check.h"

namespace fs = std::filesystem;

namespace ks::gui {

std::string config_dir() {
    std::string base;
    if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) {
        base = x;
    } else if (const char* h = std::getenv("HOME"); h && *h) {
        base = std::string(h) + "/.config";
    } else {
        return {};
    }
    const std::string dir = base + "/kernelscope";
    std::error_code ec;
    fs::create_directories(dir, ec);
    return ec ? std::string() : dir;
}

std::vector<std::string> RecentFiles::load(const std::string& file) {
    file_ = file;
    items_.clear();
    std::string problem;
    const std::optional<std::string> text = read_settings_file(file_, kMaxRecentBytes, &problem);
    if (!text) return problem.empty() ? std::vector<std::string>{} : std::vector<std::string>{problem};
    CheckedRecent c = check_recent_list(*text, kMax);
    items_ = std::move(c.items);
    return c.problems;
}

void RecentFiles::add(const std::string& path) {
    const std::string p = absolute_path(path);
    items_.erase(std::remove(items_.begin(), items_.end(), p), items_.end());
    items_.insert(items_.begin(), p);
    if (items_.size() > kMax) items_.resize(kMax);
    save();
}

void RecentFiles::remove(const std::string& path) {
    items_.erase(std::remove(items_.begin(), items_.end(), path), items_.end());
    save();
}

void RecentFiles::save() const {
    if (file_.empty()) return;
    std::string text;
    for (const auto& s : items_) text += s + "\n";
    try {
        write_file_atomic(file_, text);
    } catch (const std::exception&) {
        // The recent list is a convenience; failing to save it must not disturb the user.
    }
}

std::string timestamp_name(const std::string& prefix) {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y%m%d_%H%M%S", &tm);
    return prefix + "_" + buf;
}

std::string unique_path(const std::string& dir, const std::string& stem, const std::string& ext) {
    const fs::path d(dir.empty() ? "." : dir);
    fs::path p = d / (stem + ext);
    for (int i = 2; fs::exists(p); ++i) p = d / (stem + "_" + std::to_string(i) + ext);
    return p.string();
}

std::string default_screenshot_dir() {
    const char* h = std::getenv("HOME");
    if (h && *h) {
        std::error_code ec;
        const fs::path pics = fs::path(h) / "Pictures";
        if (fs::is_directory(pics, ec)) return pics.string();
        return h;
    }
    return ".";
}

std::string absolute_path(const std::string& p) {
    std::error_code ec;
    fs::path a = fs::absolute(p, ec);
    if (ec) return p;
    return a.lexically_normal().string();
}

std::string file_name_of(const std::string& p) { return fs::path(p).filename().string(); }

}  // namespace ks::gui
