// Nothing non-finite reaches a file (kernels::all_finite is the ViT's check): weights that make a ResNet's forward or backward
// pass overflow float32, or its classifier's logits, are exit 2 with a sentence naming
// the stage or tensor; a user kernel whose sums would overflow is refused. (A BatchNorm
// with gamma 3e38 and var 0 folds into infinite conv weights.)
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <fstream>
#include <nlohmann/json.hpp>

#include "conv/conv_filters.h"
#include "kernels/elementwise.h"
#include "io/input_error.h"
#include "test_support.h"

using namespace ks;
namespace fs = std::filesystem;

namespace {

// The r18 fixture with some F32 tensors' values all set to `value`.
fs::path resnet_with(const fs::path& dir, const std::string& name, const std::vector<std::pair<std::string, float>>& set) {
    std::string bytes = test::file_text(test::fixture("resnet/r18/tv/model.safetensors"));
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<size_t>(i)]);
    const nlohmann::json h = nlohmann::json::parse(bytes.substr(8, n));
    for (const auto& [tensor, value] : set) {
        const auto off = h.at(tensor).at("data_offsets");
        for (size_t at = off[0].get<size_t>(); at < off[1].get<size_t>(); at += 4)
            std::memcpy(&bytes[8 + n + at], &value, 4);
    }
    const fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}

}  // namespace

TEST(NonFinite, AResNetThatOverflowsIsExit2NamingTheStage) {
    const fs::path dir = test::scratch_dir("nonfinite");
    const fs::path bad = resnet_with(dir, "bn.safetensors", {{"bn1.weight", 3e38f}, {"bn1.running_var", 0.0f}});
    const test::RunResult r = test::run_kernelscope("render --weights '" + bad.string() + "' --image '" +
                                                    test::fixture("resnet/image.png") + "' --out '" + (dir / "o").string() + "'");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    // Here the forward stays finite and the backward overflows: the sentence names it.
    EXPECT_NE(r.output.find("The effective kernel from layer3 is not finite: the backward pass through the weights "
                            "overflows float32."),
              std::string::npos)
        << r.output;
    EXPECT_FALSE(fs::exists(dir / "o"));
}

TEST(NonFinite, LogitsThatOverflowAreExit2NamingTheClassifier) {
    const fs::path dir = test::scratch_dir("nonfinite_fc");
    const fs::path bad = resnet_with(dir, "fc.safetensors", {{"fc.weight", 3e38f}});
    const test::RunResult r = test::run_kernelscope("render --weights '" + bad.string() + "' --image '" +
                                                    test::fixture("resnet/image.png") + "' --out '" + (dir / "o").string() + "'");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("classifier 'fc' gives logits that are not finite"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir / "o"));
}

TEST(NonFinite, AUserKernelMustKeepItsSumsFinite) {
    EXPECT_THROW(user_kernel({3e38f, -3e38f, 3e38f, -3e38f, 3e38f, -3e38f, 3e38f, -3e38f, 3e38f}), InputError);
    EXPECT_NO_THROW(user_kernel({1e6f, 0, 0, 0, 0, 0, 0, 0, -1e6f}));
    const test::RunResult r = test::run_kernelscope("render --kernel 3e38,-3e38,3e38,-3e38,3e38,-3e38,3e38,-3e38,3e38 --out /nonexistent/o");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("within +-1e6"), std::string::npos) << r.output;
}

TEST(AllFinite, FindsEveryKindOfNonFiniteValueAnywhere) {
    const float bad[] = {std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                         std::numeric_limits<float>::quiet_NaN(), -std::numeric_limits<float>::quiet_NaN(),
                         std::numeric_limits<float>::signaling_NaN()};
    // Lengths around the vector widths, the bad value at the start, inside and in the tail.
    for (size_t n : {1u, 3u, 7u, 8u, 15u, 16u, 17u, 33u, 1000u}) {
        std::vector<float> v(n);
        for (size_t i = 0; i < n; ++i) v[i] = static_cast<float>(i) - 3.5f;
        v[0] = std::numeric_limits<float>::max();
        if (n > 1) v[1] = std::numeric_limits<float>::denorm_min();
        if (n > 2) v[2] = -0.0f;
        EXPECT_TRUE(kernels::all_finite(v.data(), n)) << n;
        for (size_t at : {size_t{0}, n / 2, n - 1})
            for (float b : bad) {
                std::vector<float> w = v;
                w[at] = b;
                EXPECT_FALSE(kernels::all_finite(w.data(), n)) << n << " at " << at << " " << b;
            }
    }
    EXPECT_TRUE(kernels::all_finite(nullptr, 0));
}
