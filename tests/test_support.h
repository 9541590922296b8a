#pragma once
// Helpers shared by the tests: fixture paths, scratch folders, running the binary.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <sys/wait.h>

#include "image/image.h"

namespace ks::test {

inline std::string fixture(const std::string& rel) { return std::string(KS_FIXTURES_DIR) + "/" + rel; }
inline std::string sample(const std::string& name) { return std::string(KS_ASSETS_DIR) + "/images/" + name; }

// A fresh, empty folder under the system temp dir, unique per test.
inline std::filesystem::path scratch_dir(const std::string& tag) {
    static std::mt19937 rng(std::random_device{}());
    auto p = std::filesystem::temp_directory_path() / ("ks_test_" + tag + "_" + std::to_string(rng()));
    std::filesystem::remove_all(p);
    std::filesystem::create_directories(p);
    return p;
}

struct RunResult {
    int exit_code = -1;
    std::string output;  // stdout + stderr
};

// Runs the kernelscope binary with the given argument string (already shell-quoted).
inline RunResult run_kernelscope(const std::string& args) {
    const std::string cmd = std::string("'") + KS_BINARY + "' " + args + " 2>&1";
    RunResult r;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
    const int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

inline Image random_image(int w, int h, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    Image img;
    img.width = w;
    img.height = h;
    img.rgb.resize(static_cast<size_t>(w) * h * 3);
    for (float& v : img.rgb) v = u(rng);
    return img;
}

// A w x h plane of values uniform in [lo, hi), drawn from `rng`.
inline Plane random_plane(int w, int h, std::mt19937& rng, float lo, float hi) {
    std::uniform_real_distribution<float> u(lo, hi);
    Plane p;
    p.width = w;
    p.height = h;
    p.v.resize(static_cast<size_t>(w) * h);
    for (float& v : p.v) v = u(rng);
    return p;
}

}  // namespace ks::test
