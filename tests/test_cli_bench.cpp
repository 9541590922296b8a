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
