// `kernelscope render --weights resnet.safetensors`: the binary end to end against
// the torch fixtures of tools/make_resnet_fixtures.py (ResNet-18 depth, 8..64
// channels, 10 classes), and the one-sentence errors for flags of the wrong model.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>

#include "io/file_output.h"
#include "io/npy.h"
#include "test_resnet_util.h"
#include "test_support.h"

using namespace ks;
namespace fs = std::filesystem;

namespace {

using ks::test::q;

const std::string kResnet = kst::resnet_fixture("r18/tv/model.safetensors");
const std::string kResnetImage = kst::resnet_fixture("image.png");
const std::string kVit = test::fixture("vit/p16_h2/timm/model.safetensors");

TEST(ResnetCli, RenderMatchesTorchOnThePhoto) {
    const fs::path out = test::scratch_dir("rncli") / "o";
    // --resize whole: the 96 x 80 photo at its own size, ImageNet mean/std (as the fixture).
    const auto run = test::run_kernelscope("render --weights " + q(kResnet) + " --image " + q(kResnetImage) +
                                           " --stage layer3 --query 2,3 --resize whole --out " + q(out.string()));
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const NpyArray g = read_npy((out / "effective_kernel.npy").string());
    EXPECT_EQ(g.shape, (std::vector<size_t>{3, 80, 96}));
    const NpyArray want = read_npy(kst::resnet_fixture("r18/image_grad_layer3_2_3.npy"));
    const double e = kst::rel_error(g.data, want.data);
    EXPECT_LE(e, 1e-4);
    std::cout << "[ parity   ] CLI effective kernel vs torch autograd: " << e << " relative to max|g|\n";
    for (const char* f : {"effective_kernel.png", "conv1.png"}) EXPECT_TRUE(fs::exists(out / f)) << f;
    const auto s = nlohmann::json::parse(read_file((out / "summary.json").string()));
    EXPECT_EQ(s["stage"]["name"], "layer3");
    EXPECT_EQ(s["stage"]["grid"], nlohmann::json::array({5, 6}));
    EXPECT_EQ(s["query"]["row"], 2);
    EXPECT_EQ(s["query"]["col"], 3);
    for (const char* k : {"radius95", "sum", "positive_share"}) EXPECT_TRUE(s["effective_kernel"].contains(k)) << k;
    // Top-5 logits: torch's five largest, in order.
    const NpyArray logits = read_npy(kst::resnet_fixture("r18/image_logits.npy"));
    std::vector<int> idx(logits.data.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](int a, int b) { return logits.data[a] > logits.data[b]; });
    ASSERT_EQ(s["top_logits"].size(), 5u);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(s["top_logits"][i]["class"], idx[i]);
        EXPECT_NEAR(s["top_logits"][i]["logit"].get<double>(), logits.data[idx[i]], 1e-4);
    }
}

TEST(ResnetCli, DefaultInputIs224AndImageSizeOverrides) {
    for (const auto& [flags, side] : std::vector<std::pair<std::string, size_t>>{{"", 224}, {"--image-size 64", 64}}) {
        const fs::path out = test::scratch_dir("rnsize") / "o";
        const auto run = test::run_kernelscope("render --weights " + q(kResnet) + " --image " + q(kResnetImage) + " " + flags +
                                               " --out " + q(out.string()));
        ASSERT_EQ(run.exit_code, 0) << run.output;
        EXPECT_EQ(read_npy((out / "effective_kernel.npy").string()).shape, (std::vector<size_t>{3, side, side})) << flags;
        const auto s = nlohmann::json::parse(read_file((out / "summary.json").string()));
        EXPECT_EQ(s["stage"]["name"], "layer3") << "default stage";
        EXPECT_EQ(s["query"]["row"], int(side / 16 / 2)) << "default query: the grid's centre";
    }
}

TEST(ResnetCli, WrongModelFlagsAreOneSentenceAndExit2) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"--weights " + q(kResnet) + " --heads 2", "--heads does not apply to a ResNet checkpoint"},
        {"--weights " + q(kResnet) + " --layer 1", "--layer does not apply to a ResNet checkpoint"},
        {"--weights " + q(kResnet) + " --head mean", "--head does not apply to a ResNet checkpoint"},
        {"--weights " + q(kResnet) + " --query cls", "--query cls is a Vision Transformer setting"},
        {"--weights " + q(kResnet) + " --mass-threshold 0.5", "--mass-threshold does not apply to a ResNet checkpoint"},
        {"--weights " + q(kVit) + " --stage layer3", "--stage does not apply to a ViT checkpoint"},
        {"--stage layer3", "--stage does not apply to the built-in model"},
        {"--weights " + q(kResnet) + " --stage layer5", "--stage must be layer1, layer2, layer3 or layer4"},
        {"--weights " + q(kResnet) + " --stage layer4 --query 9,9", "outside layer4's grid"},
    };
    for (const auto& [flags, expect] : cases) {
        const fs::path out = test::scratch_dir("rnerr") / "o";
        const auto run = test::run_kernelscope("render " + flags + " --image " + q(kResnetImage) + " --out " + q(out.string()));
        EXPECT_EQ(run.exit_code, 2) << flags << "\n" << run.output;
        EXPECT_NE(run.output.find(expect), std::string::npos) << flags << "\n" << run.output;
        EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << "one sentence: " << run.output;
        EXPECT_FALSE(fs::exists(out)) << "nothing written for " << flags;
    }
}

TEST(ResnetCli, MissingTensorIsNamed) {
    // A ResNet file without layer2's downsample: the loader names the tensor.
    const std::string path = kst::resnet_fixture("r18/tv/model.safetensors");
    const fs::path dir = test::scratch_dir("rnbad");
    const std::string bytes = read_file(path);
    // Rename the tensor in the header (same length, so the offsets stay valid).
    std::string broken = bytes;
    const std::string key = "layer2.0.downsample.0.weight";
    const size_t at = broken.find(key);
    ASSERT_NE(at, std::string::npos);
    broken.replace(at, key.size(), "layer2.0.downsample.0.weighX");
    const std::string bad = (dir / "bad.safetensors").string();
    write_file_atomic(bad, broken);
    const auto run = test::run_kernelscope("render --weights " + q(bad) + " --image " + q(kResnetImage) + " --out " +
                                           q((dir / "o").string()));
    EXPECT_EQ(run.exit_code, 2) << run.output;
    EXPECT_NE(run.output.find("'layer2.0.downsample.0.weight'"), std::string::npos) << run.output;
}

}  // namespace
