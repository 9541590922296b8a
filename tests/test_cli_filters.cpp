// The render command with a user-given kernel (--kernel) and the data-dependent
// bilateral filter (--filter bilateral): what it writes must be core's numbers.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "conv/convolution.h"
#include "io/file_output.h"
#include "conv/filter_choice.h"
#include "image/image.h"
#include "analysis/measures.h"
#include "io/npy.h"
#include "test_support.h"

using namespace ks;
namespace fs = std::filesystem;

namespace {

using test::q;

nlohmann::json summary(const fs::path& out) { return nlohmann::json::parse(read_file((out / "summary.json").string())); }

}  // namespace

TEST(CliFilters, UserKernelIsWrittenAndItsResponseIsCoreCorrelateOnLuminance) {
    const fs::path out = test::scratch_dir("user_kernel");
    const std::string img = test::sample("coffee.png");
    const std::vector<float> w = {0, -1, 0, -1, 4.5f, -1, 0, -1, 0.25f};
    const auto r = test::run_kernelscope("render --image " + q(img) + " --kernel 0,-1,0,-1,4.5,-1,0,-1,0.25 --out " + q(out));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto j = summary(out);
    EXPECT_EQ(j["kernel"]["name"], "user");
    EXPECT_EQ(j["kernel"]["size"], 3);
    EXPECT_EQ(j["kernel"]["weights"].get<std::vector<float>>(), w);
    EXPECT_EQ(j["kernel"]["data_dependent"], false);
    EXPECT_FALSE(j["kernel"].contains("position"));
    const Plane want = correlate(luminance(load_image(img)), user_kernel(w));
    const NpyArray got = read_npy((out / "conv.npy").string());
    ASSERT_EQ(got.shape, (std::vector<size_t>{size_t(want.height), size_t(want.width)}));
    for (size_t i = 0; i < want.v.size(); ++i) ASSERT_FLOAT_EQ(got.data[i], want.v[i]) << i;
    EXPECT_TRUE(fs::exists(out / "kernel.png"));
}

TEST(CliFilters, BadKernelExitsTwoWithOneSentence) {
    const fs::path out = test::scratch_dir("bad_kernel") / "o";
    for (const std::string bad : {"--kernel 1,2,3,4", "--kernel 1,2,x,4,5,6,7,8,9", "--kernel ''", "--filter user",
                                  "--filter sobel_x --kernel 1", "--filter bilateral --bilateral-radius 0",
                                  "--filter bilateral --sigma-r 0", "--filter blur"}) {
        const auto r = test::run_kernelscope("render " + bad + " --out " + q(out));
        EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
        EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << bad << ": " << r.output;
        EXPECT_FALSE(fs::exists(out)) << bad;
    }
}

TEST(CliFilters, BilateralWritesTheKernelAtTheQueryWhichDiffersBetweenImages) {
    const fs::path base = test::scratch_dir("bilateral");
    const std::string a = test::sample("astronaut.png"), c = test::sample("chelsea.png");
    const std::string flags = " --patch 16 --query 8,12 --filter bilateral --bilateral-radius 2 --sigma-s 1.5 --sigma-r 0.08";
    const auto ra = test::run_kernelscope("render --image " + q(a) + flags + " --out " + q(base / "a"));
    const auto rc = test::run_kernelscope("render --image " + q(c) + flags + " --out " + q(base / "c"));
    ASSERT_EQ(ra.exit_code, 0) << ra.output;
    ASSERT_EQ(rc.exit_code, 0) << rc.output;
    const auto ja = summary(base / "a"), jc = summary(base / "c");
    EXPECT_EQ(ja["kernel"]["data_dependent"], true);
    EXPECT_EQ(ja["kernel"]["name"], "bilateral");
    EXPECT_EQ(ja["kernel"]["size"], 5);
    EXPECT_EQ(ja["kernel"]["bilateral"]["radius"], 2);

    // The kernel is core's bilateral kernel at the query patch's centre pixel.
    const Image ia = load_image(a);
    const int gh = ja["grid"]["rows"], gw = ja["grid"]["cols"];
    const auto p = patch_centre_pixel(ia.width, ia.height, gh, gw, 8, 12);
    EXPECT_EQ(ja["kernel"]["position"]["x"], p[0]);
    EXPECT_EQ(ja["kernel"]["position"]["y"], p[1]);
    const ConvKernel want = bilateral_kernel_at(luminance(ia), p[0], p[1], 2, 1.5f, 0.08f);
    const auto wa = ja["kernel"]["weights"].get<std::vector<float>>();
    EXPECT_EQ(wa, want.w);
    EXPECT_NEAR(ja["kernel"]["sum"].get<double>(), 1.0, 1e-5);

    // Same query, another photo: another kernel (a fixed filter would be identical).
    const auto wc = jc["kernel"]["weights"].get<std::vector<float>>();
    ASSERT_EQ(wc.size(), wa.size());
    EXPECT_GT(kernel_change(wa, wc), 0.05);

    // The response is core's bilateral filter of the luminance.
    const Plane y = bilateral_filter(luminance(ia), 2, 1.5f, 0.08f);
    const NpyArray got = read_npy((base / "a" / "conv.npy").string());
    ASSERT_EQ(got.data.size(), y.v.size());
    for (size_t i = 0; i < y.v.size(); i += 97) ASSERT_FLOAT_EQ(got.data[i], y.v[i]) << i;
}

TEST(CliFilters, HelpListsUserAndBilateral) {
    for (const std::string cmd : {"--help", "render --help"}) {
        const auto r = test::run_kernelscope(cmd);
        ASSERT_EQ(r.exit_code, 0);
        for (const char* s : {"--kernel", "user", "bilateral", "--bilateral-radius", "--sigma-s", "--sigma-r"})
            EXPECT_NE(r.output.find(s), std::string::npos) << cmd << " lacks " << s;
    }
}
