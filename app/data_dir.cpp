#include "data_dir.h"

#include <cstdlib>
#include <filesystem>

#include "io/input_error.h"

#ifndef KS_VERSION
#define KS_VERSION "unknown"
#endif
#ifndef KS_DATA_REL
#define KS_DATA_REL "../share/kernelscope"  // bin/ -> share/kernelscope (cmake/install.cmake)
#endif

namespace ks {

namespace fs = std::filesystem;

namespace {

bool has_data(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "shaders" / "heatmap.frag", ec) &&
           fs::is_regular_file(dir / "assets" / "images" / "coffee.png", ec);
}

fs::path exe_dir() {
    std::error_code ec;
    const fs::path p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : p.parent_path();
}

const char* env(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? v : nullptr;
}

}  // namespace

std::string find_data_dir(std::string* why) {
    if (const char* e = env("KS_DATA_DIR")) {
        if (has_data(e)) return fs::path(e).lexically_normal().string();
        if (why) *why = "KS_DATA_DIR is set to " + std::string(e) + ", which holds no shaders/heatmap.frag and assets/images/coffee.png.";
        return {};
    }
    const fs::path exe = exe_dir();
    if (!exe.empty()) {
        const fs::path installed = (exe / KS_DATA_REL).lexically_normal();
        if (has_data(installed)) return installed.string();
#if defined(KS_SOURCE_DIR) && defined(KS_BUILD_DIR)
        std::error_code ec;
        if (fs::equivalent(exe, KS_BUILD_DIR, ec) && has_data(KS_SOURCE_DIR)) return KS_SOURCE_DIR;
#endif
    }
    if (why)
        *why = "Cannot find kernelscope's data (shaders and sample images): looked in " +
               (exe / KS_DATA_REL).lexically_normal().string() +
               "; install kernelscope (cmake --install) or set KS_DATA_DIR.";
    return {};
}

std::string data_dir() {
    std::string why;
    std::string d = find_data_dir(&why);
    if (d.empty()) throw InputError(why);
    return d;
}

std::string find_shaders_dir(std::string* why) {
    if (const char* e = env("KS_SHADERS_DIR")) return e;
    const std::string d = find_data_dir(why);
    return d.empty() ? d : d + "/shaders";
}

std::string version_string() { return std::string("kernelscope ") + KS_VERSION; }

}  // namespace ks
