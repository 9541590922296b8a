// Parity with torchvision: every stage's output and the logits of ResNets at the
// real depths of ResNet-18, -34 and -50 (reduced widths), in the torchvision and
// timm key layouts, and effective kernels against torch autograd. The fixtures are
// made by tools/make_resnet_fixtures.py with random (non-identity) BatchNorm
// statistics. Tolerance: 1e-4 relative to the largest reference value.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cnn/resnet_backward.h"
#include "cnn/resnet_model.h"
#include "io/npy.h"
#include "test_resnet_util.h"

using namespace ks;

namespace {

struct ResnetParityCase {
    std::string model;   // r18, r34, r50
    std::string layout;  // tv, timm
    std::string input;   // input_64, input_80x96
};

std::ostream& operator<<(std::ostream& o, const ResnetParityCase& c) { return o << c.model << "_" << c.layout << "_" << c.input; }

class ResnetParity : public ::testing::TestWithParam<ResnetParityCase> {};

TEST_P(ResnetParity, StagesAndLogitsMatchTorchvision) {
    const ResnetParityCase& c = GetParam();
    const ResnetModel m = load_resnet(kst::resnet_fixture(c.model + "/" + c.layout + "/model.safetensors"));
    EXPECT_EQ(m.weights.layout_name, c.layout == "tv" ? "torchvision" : "timm");
    const NpyArray in = read_npy(kst::resnet_fixture(c.input + ".npy"));
    ASSERT_EQ(in.shape.size(), 3u);
    const ResnetForward f = resnet_forward(m.weights, in.data, int(in.shape[1]), int(in.shape[2]), 4, false);
    double worst = 0;
    for (int s = 1; s <= 4; ++s) {
        const NpyArray want = read_npy(kst::resnet_fixture(c.model + "/" + c.input + "_layer" + std::to_string(s) + ".npy"));
        const Feature& got = f.stages[s - 1];
        ASSERT_EQ(want.shape, (std::vector<size_t>{size_t(got.c), size_t(got.h), size_t(got.w)})) << "layer" << s;
        const double e = kst::rel_error(got.v, want.data);
        EXPECT_LE(e, 1e-4) << "layer" << s;
        worst = std::max(worst, e);
    }
    const NpyArray logits = read_npy(kst::resnet_fixture(c.model + "/" + c.input + "_logits.npy"));
    const double el = kst::rel_error(f.logits, logits.data);
    EXPECT_LE(el, 1e-4);
    std::cout << "[ parity   ] " << c << ": stages " << worst << ", logits " << el << " (relative)\n";
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ResnetParity,
                         ::testing::Values(ResnetParityCase{"r18", "tv", "input_64"}, ResnetParityCase{"r18", "timm", "input_64"},
                                           ResnetParityCase{"r18", "tv", "input_80x96"}, ResnetParityCase{"r18", "timm", "input_80x96"},
                                           ResnetParityCase{"r34", "tv", "input_64"}, ResnetParityCase{"r34", "tv", "input_80x96"},
                                           ResnetParityCase{"r50", "tv", "input_64"}, ResnetParityCase{"r50", "timm", "input_64"},
                                           ResnetParityCase{"r50", "tv", "input_80x96"}, ResnetParityCase{"r50", "timm", "input_80x96"}),
                         [](const ::testing::TestParamInfo<ResnetParityCase>& i) {
                             return i.param.model + "_" + i.param.layout + "_" + i.param.input;
                         });

TEST(ResnetParity, ConfigurationFromShapes) {
    const ResnetModel r18 = load_resnet(kst::resnet_fixture("r18/tv/model.safetensors"));
    EXPECT_FALSE(r18.weights.bottleneck);
    EXPECT_EQ(r18.weights.layers[2].size(), 2u);
    EXPECT_EQ(r18.weights.features, 64);
    EXPECT_EQ(r18.weights.num_classes, 10);
    EXPECT_EQ(r18.weights.describe()[0].rfind("ResNet-18 (BasicBlock [2, 2, 2, 2]", 0), 0u) << r18.weights.describe()[0];
    const ResnetModel r34 = load_resnet(kst::resnet_fixture("r34/tv/model.safetensors"));
    EXPECT_EQ(r34.weights.describe()[0].rfind("ResNet-34 (BasicBlock [3, 4, 6, 3]", 0), 0u) << r34.weights.describe()[0];
    const ResnetModel r50 = load_resnet(kst::resnet_fixture("r50/timm/model.safetensors"));
    EXPECT_TRUE(r50.weights.bottleneck);
    EXPECT_EQ(r50.weights.features, 256);
    EXPECT_EQ(r50.weights.describe()[0].rfind("ResNet-50 (Bottleneck [3, 4, 6, 3]", 0), 0u) << r50.weights.describe()[0];
    EXPECT_TRUE(r50.weights.ignored.empty());
}

// Effective kernels (gradients of one query's channel sum) against torch autograd,
// for every case in index.json and both layouts.
TEST(ResnetParity, EffectiveKernelMatchesAutograd) {
    std::ifstream f(kst::resnet_fixture("index.json"));
    const nlohmann::json index = nlohmann::json::parse(f);
    int checked = 0;
    for (const auto& g : index["grads"]) {
        const std::string model = g["model"];
        const std::string input = g["input"];
        if (input.rfind("input", 0) != 0) continue;  // the PNG cases go through the CLI test
        for (const std::string layout : {"tv", "timm"}) {
            const std::string path = kst::resnet_fixture(model + "/" + layout + "/model.safetensors");
            if (!std::ifstream(path)) continue;
            const ResnetModel m = load_resnet(path);
            // Inputs redrawn by the generator so no gate sits within rounding of switching.
            const NpyArray in = read_npy(kst::resnet_fixture(g["input_file"]));
            const int stage = g["stage"];
            const ResnetForward fw = resnet_forward(m.weights, in.data, int(in.shape[1]), int(in.shape[2]), stage, true);
            const std::vector<float> got = effective_kernel(m.weights, fw, stage, g["row"], g["col"]);
            const NpyArray want = read_npy(kst::resnet_fixture(g["file"]));
            const double e = kst::rel_error(got, want.data);
            EXPECT_LE(e, 1e-4) << g["file"] << " " << layout;
            std::cout << "[ parity   ] grad " << g["file"].get<std::string>() << " (" << layout << "): " << e
                      << " relative to max|g|\n";
            ++checked;
        }
    }
    EXPECT_GE(checked, 10);
}

}  // namespace
