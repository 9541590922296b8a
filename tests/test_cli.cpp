#include <gtest/gtest.h>

#include <algorithm>

#include <fstream>
#include <nlohmann/json.hpp>

#include "io/file_output.h"
#include "image/image.h"
#include "analysis/measures.h"
#include "io/npy.h"
#include "attention/similarity_attention.h"
#include "test_support.h"

using namespace ks;
namespace fs = std::filesystem;

namespace {

using test::q;

void write(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; }

}  // namespace

TEST(Cli, RenderWritesParsableFilesWithTheRightShapesAndValues) {
    const fs::path out = test::scratch_dir("render") / "out";
    const std::string img = test::sample("coffee.png");
    const auto r = test::run_kernelscope("render --image " + q(img) + " --query 3,5 --patch 16 --tau 0.2 --lambda 0.5 "
                                         "--score dot --filter laplacian --out " + q(out));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const char* f : {"attention.npy", "heatmap.npy", "heatmap.png", "kernel.png", "conv.png", "summary.json"})
        EXPECT_TRUE(fs::exists(out / f)) << f;

    // Recompute in-process with the same settings: the files must hold these numbers.
    SimilarityParams p;
    p.patch = 16;
    p.tau = 0.2f;
    p.lambda = 0.5f;
    p.score = Score::Dot;
    const AttentionSet want = similarity_attention(load_image(img), p);
    const int gh = want.layout.grid_h, gw = want.layout.grid_w, n = want.tokens;
    EXPECT_EQ(gh, 25);  // coffee.png is 600 x 400
    EXPECT_EQ(gw, 38);

    const NpyArray att = read_npy((out / "attention.npy").string());
    EXPECT_EQ(att.shape, (std::vector<size_t>{1, 1, size_t(n), size_t(n)}));
    EXPECT_TRUE(std::equal(att.data.begin(), att.data.end(), want.data.begin(), want.data.end()));
    const NpyArray heat = read_npy((out / "heatmap.npy").string());
    EXPECT_EQ(heat.shape, (std::vector<size_t>{size_t(gh), size_t(gw)}));
    const float* row = want.row(0, 0, want.layout.patch_token(3, 5));
    for (int j = 0; j < n; ++j) ASSERT_EQ(heat.data[j], row[j]);

    const Image overlay = load_image((out / "heatmap.png").string());
    EXPECT_EQ(overlay.width, 600);  // the image's own resolution
    EXPECT_EQ(overlay.height, 400);
    const Image kernel = load_image((out / "kernel.png").string());
    EXPECT_EQ(kernel.width, kernel.height);
    const Image conv = load_image((out / "conv.png").string());
    EXPECT_EQ(conv.width, 600);

    const auto j = nlohmann::json::parse(read_file((out / "summary.json").string()));
    EXPECT_EQ(j["query"]["row"], 3);
    EXPECT_EQ(j["query"]["col"], 5);
    EXPECT_EQ(j["grid"]["rows"], gh);
    EXPECT_EQ(j["grid"]["cols"], gw);
    EXPECT_EQ(j["patch_size"], 16);
    EXPECT_EQ(j["kernel"]["name"], "laplacian");
    EXPECT_FLOAT_EQ(j["kernel"]["sum"].get<float>(), 0.0f);
    EXPECT_FLOAT_EQ(j["kernel"]["min"].get<float>(), -4.0f);
    EXPECT_FLOAT_EQ(j["kernel"]["max"].get<float>(), 1.0f);
    const RowStats s = row_stats(row, n);
    EXPECT_NEAR(j["attention"]["entropy"].get<double>(), s.entropy, 1e-9);
    EXPECT_FLOAT_EQ(j["attention"]["max_weight"].get<float>(), s.max);
}

TEST(Cli, QueryPatchIsOutlinedInTheOverlay) {
    const fs::path out = test::scratch_dir("outline");
    Image img;
    img.width = img.height = 64;
    img.rgb.assign(64 * 64 * 3, 0.0f);  // black: the outline's cyan is unmistakable
    write_file_atomic((out / "black.png").string(), png_bytes(to_rgb8(img), 64, 64));
    const auto r = test::run_kernelscope("render --image " + q(out / "black.png") + " --patch 16 --query 1,2 --opacity 0 --out " +
                                         q(out / "o"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const Image o = load_image((out / "o" / "heatmap.png").string());
    EXPECT_GT(o.at(32, 16, 1), 0.9f);   // top-left corner of patch (1,2)
    EXPECT_GT(o.at(47, 31, 2), 0.9f);   // bottom-right corner
    EXPECT_LT(o.at(40, 24, 1), 0.1f);   // inside stays the image
    EXPECT_LT(o.at(8, 8, 1), 0.1f);     // elsewhere too
}

TEST(Cli, DefaultsToTheBundledSample) {
    const fs::path out = test::scratch_dir("sample") / "o";
    const auto r = test::run_kernelscope("render --out " + q(out));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(fs::exists(out / "summary.json"));
}

TEST(Cli, HelpListsEveryFlag) {
    const auto main_help = test::run_kernelscope("--help");
    const auto render_help = test::run_kernelscope("render --help");
    EXPECT_EQ(main_help.exit_code, 0);
    EXPECT_EQ(render_help.exit_code, 0);
    for (const char* flag : {"--image", "--query", "--patch", "--tau", "--lambda", "--score", "--filter", "--projection",
                             "--seed", "--colormap", "--opacity", "--sigma", "--conv-mode", "--weights", "--config",
                             "--layer", "--head", "--resize", "--heads", "--image-size", "--mean", "--std",
                             "--mass-threshold"}) {
        EXPECT_NE(main_help.output.find(flag), std::string::npos) << flag;
        EXPECT_NE(render_help.output.find(flag), std::string::npos) << flag;
    }
    EXPECT_NE(render_help.output.find("--out"), std::string::npos);
    EXPECT_NE(main_help.output.find("--screenshot"), std::string::npos);
}

TEST(Cli, PerChannelConvKeepsColour) {
    const fs::path out = test::scratch_dir("perchannel");
    Image img;
    img.width = img.height = 32;
    img.rgb.assign(32 * 32 * 3, 0.0f);
    for (int y = 0; y < 32; ++y)
        for (int x = 16; x < 32; ++x) img.at(x, y, 0) = 1.0f;  // a red edge: only the red channel has an x-gradient
    write_file_atomic((out / "red.png").string(), png_bytes(to_rgb8(img), 32, 32));
    const auto r = test::run_kernelscope("render --image " + q(out / "red.png") + " --patch 8 --filter sobel_x --conv-mode per-channel --out " +
                                         q(out / "o"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const Image conv = load_image((out / "o" / "conv.png").string());
    // On the edge the red response is strong and positive, green and blue stay at mid-gray (zero).
    EXPECT_GT(conv.at(16, 10, 0), 0.9f);
    EXPECT_NEAR(conv.at(16, 10, 1), 0.5f, 0.01f);
    EXPECT_NEAR(conv.at(16, 10, 2), 0.5f, 0.01f);
    const auto j = nlohmann::json::parse(read_file((out / "o" / "summary.json").string()));
    EXPECT_EQ(j["conv_mode"], "per_channel");
}

TEST(Cli, BadImagesExitTwoWithOneSentenceAndWriteNothing) {
    const fs::path dir = test::scratch_dir("bad");
    // A truncated JPEG: the first 600 bytes of a real one.
    const std::string jpeg = read_file(test::sample("rocket.jpg"));
    write(dir / "truncated.jpg", jpeg.substr(0, 600));
    write(dir / "text.png", "This is a text file, not a PNG.\n");
    write(dir / "zero.png", "");
    std::string huge("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
    const unsigned char dims[] = {0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0, 8, 2, 0, 0, 0, 0, 0, 0, 0};
    huge.append(reinterpret_cast<const char*>(dims), sizeof dims);
    write(dir / "huge.png", huge);
    for (const char* name : {"missing.png", "truncated.jpg", "text.png", "zero.png", "huge.png"}) {
        const fs::path out = dir / (std::string("out_") + name);
        const auto r = test::run_kernelscope("render --image " + q(dir / name) + " --out " + q(out));
        EXPECT_EQ(r.exit_code, 2) << name << ": " << r.output;
        EXPECT_NE(r.output.find(name), std::string::npos) << "the message names the file: " << r.output;
        EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << "one line: " << r.output;
        EXPECT_FALSE(fs::exists(out)) << "nothing written for " << name;
    }
}

TEST(Cli, ExistingOutputIsNotDamagedByAFailure) {
    const fs::path out = test::scratch_dir("keep");
    write(out / "summary.json", "{\"previous\": true}\n");
    const auto r = test::run_kernelscope("render --image " + q(out / "none.png") + " --out " + q(out));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(read_file((out / "summary.json").string()), "{\"previous\": true}\n");
    EXPECT_EQ(std::distance(fs::directory_iterator(out), fs::directory_iterator()), 1);
}

TEST(Cli, BadFlagsExitTwo) {
    const fs::path out = test::scratch_dir("flags");
    for (const char* args : {"render --query 99,99", "render --query x", "render --patch 2", "render --tau -1",
                             "render --filter nope", "render --score l2", "render --bogus 1", "render --tau"}) {
        const auto r = test::run_kernelscope(std::string(args) + " --out " + q(out / "o"));
        EXPECT_EQ(r.exit_code, 2) << args << ": " << r.output;
        EXPECT_NE(r.output.find("kernelscope: "), std::string::npos) << args;
    }
    EXPECT_FALSE(fs::exists(out / "o"));
}
