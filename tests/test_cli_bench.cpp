// `kernelscope bench`: one line per figure, on a small fixture and on the built-in model.
#include <gtest/gtest.h>

#include <regex>

#include "test_support.h"

using namespace ks;

namespace {

void expect_figures(const std::string& out) {
    for (const char* re : {"forward median [0-9.]+ ms", "peak memory [0-9.]+ MiB", "query move median [0-9.]+ ms",
                           "layer/head switch median [0-9.]+ ms"})
        EXPECT_TRUE(std::regex_search(out, std::regex(std::string("(^|\n)") + re + "[^\n]*(\n|$)"))) << re << " in\n" << out;
}

}  // namespace

TEST(CliBench, ViTFixtureOneRun) {
    const auto r = test::run_kernelscope("bench --runs 1 --threads 1 --weights '" + test::fixture("vit/p16_h2/timm/model.safetensors") +
                                         "' --image '" + test::fixture("vit/p16_h2/image.png") + "'");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    expect_figures(r.output);
    EXPECT_NE(r.output.find("2 layers x 2 heads"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("threads 1, runs 1"), std::string::npos) << r.output;
}

TEST(CliBench, BuiltInModelOnTheSampleImage) {
    const auto r = test::run_kernelscope("bench --runs 1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    expect_figures(r.output);
    EXPECT_NE(r.output.find("built-in"), std::string::npos) << r.output;
}

TEST(CliBench, BadFlagsAreOneSentence) {
    for (const char* args : {"bench --runs 0", "bench --threads x", "bench --frobnicate", "bench --runs"}) {
        const auto r = test::run_kernelscope(args);
        EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
        EXPECT_NE(r.output.find("kernelscope: "), std::string::npos) << r.output;
    }
    const auto h = test::run_kernelscope("bench --help");
    EXPECT_EQ(h.exit_code, 0);
    EXPECT_NE(h.output.find("--threads"), std::string::npos);
}

// A ResNet with --query: the app's query move (two backward passes, A and A + noise) at a
// layer3 cell, after the forward + backward figures.
TEST(CliBench, ResnetQueryMove) {
    const auto r = test::run_kernelscope("bench --runs 1 --threads 1 --weights '" + test::fixture("resnet/r18/tv/model.safetensors") +
                                         "' --stage layer3 --query 2,5");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(std::regex_search(r.output, std::regex("(^|\n)forward median [0-9.]+ ms"))) << r.output;
    EXPECT_TRUE(std::regex_search(r.output, std::regex("(^|\n)query move median [0-9.]+ ms \\(two backward passes, A and A \\+ noise "
                                                       "0.15, layer3 \\(2, 5\\)")))
        << r.output;
}

TEST(CliBench, QueryMoveNeedsAResnetAndACellOnTheGrid) {
    const auto vit = test::run_kernelscope("bench --runs 1 --weights '" + test::kWeights + "' --query 1,1");
    EXPECT_EQ(vit.exit_code, 2) << vit.output;
    EXPECT_NE(vit.output.find("kernelscope: --query and --stage time a ResNet's query move"), std::string::npos) << vit.output;
    const auto off = test::run_kernelscope("bench --runs 1 --weights '" + test::fixture("resnet/r18/tv/model.safetensors") +
                                           "' --query 14,0");
    EXPECT_EQ(off.exit_code, 2) << off.output;
    EXPECT_NE(off.output.find("is outside layer3's grid of 14 x 14 cells."), std::string::npos) << off.output;
    const auto bad = test::run_kernelscope("bench --runs 1 --query 3");
    EXPECT_EQ(bad.exit_code, 2) << bad.output;
    EXPECT_NE(bad.output.find("kernelscope: --query takes ROW,COL"), std::string::npos) << bad.output;
}
