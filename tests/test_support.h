#pragma once
// Helpers shared by the tests: fixture paths, scratch folders, running the binary.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <system_error>
#include <vector>

#include "attention/attention_set.h"
#include "image/image.h"
#include "io/npy.h"

namespace ks::test {

inline std::string fixture(const std::string& rel) { return std::string(KS_FIXTURES_DIR) + "/" + rel; }
inline std::string sample(const std::string& name) { return std::string(KS_ASSETS_DIR) + "/images/" + name; }
// The small timm ViT most CLI tests run.
inline const std::string kWeights = fixture("vit/p16_h2/timm/model.safetensors");
// A path quoted for the shell command lines the CLI tests run.
inline std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

// A whole file's bytes ("" when it cannot be read).
inline std::string file_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A CSV file's fields, row by row: split at commas outside double quotes; the quotes
// themselves are dropped (enough for the files kernelscope writes).
inline std::vector<std::vector<std::string>> csv_rows(const std::filesystem::path& p) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(file_text(p));
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> f(1);
        bool quoted = false;
        for (char c : line) {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) f.emplace_back();
            else f.back() += c;
        }
        rows.push_back(f);
    }
    return rows;
}

// The scratch folders a test process made, removed when it exits (each CTest case is
// its own process), unless KS_KEEP_TEST_DIRS is set to look at them after a failure.
struct ScratchDirs {
    std::vector<std::filesystem::path> made;
    ~ScratchDirs() {
        if (std::getenv("KS_KEEP_TEST_DIRS")) return;
        for (const auto& p : made) {
            std::error_code ec;
            std::filesystem::remove_all(p, ec);
        }
    }
};

// A fresh, empty folder under the system temp dir, unique per test.
inline std::filesystem::path scratch_dir(const std::string& tag) {
    static std::mt19937 rng(std::random_device{}());
    static ScratchDirs dirs;
    auto p = std::filesystem::temp_directory_path() / ("ks_test_" + tag + "_" + std::to_string(rng()));
    std::filesystem::remove_all(p);
    std::filesystem::create_directories(p);
    dirs.made.push_back(p);
    return p;
}

struct RunResult {
    int exit_code = -1;
    std::string output;  // stdout + stderr
};

// Runs a shell command line; its output (what the command line sends to stdout) and exit code.
inline RunResult run_command(const std::string& cmd) {
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

// Runs the kernelscope binary with the given argument string (already shell-quoted).
inline RunResult run_kernelscope(const std::string& args) {
    return run_command(std::string("'") + KS_BINARY + "' " + args + " 2>&1");
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

// A patch grid of gh x gw with one CLS token in front, 16 px patches.
inline TokenLayout layout_with_cls(int gh, int gw) {
    TokenLayout l;
    l.prefix_names = {"cls"};
    l.grid_h = gh;
    l.grid_w = gw;
    l.patch = 16;
    return l;
}

// PyTorch's attention of the p16_h2 fixture ViT on its image (timm), with the model's
// token layout: CLS, then a 4 x 4 grid of 16 px patches.
inline AttentionSet fixture_attention() {
    const NpyArray a = read_npy(fixture("vit/p16_h2/attention_png_timm.npy"));
    AttentionSet s;
    s.resize(int(a.shape[0]), int(a.shape[1]), int(a.shape[2]));
    s.data.assign(a.data.begin(), a.data.end());
    s.layout.prefix_names = {"cls"};
    s.layout.grid_h = s.layout.grid_w = 4;
    s.layout.patch = 16;
    return s;
}

}  // namespace ks::test
