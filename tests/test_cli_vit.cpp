// `kernelscope render --weights`: the CLI end to end against the PyTorch fixtures of
// tools/make_vit_fixtures.py (a 2-layer, 2-head ViT at 64 px, patch 16, 10 classes).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "io/file_output.h"
#include "io/npy.h"
#include "test_support.h"
#include "attention/views.h"

using namespace ks;
namespace fs = std::filesystem;

namespace {

using test::q;

using test::kWeights;
const std::string kImage = test::fixture("vit/p16_h2/image.png");

struct Rendered {
    fs::path dir;
    NpyArray heat;
    nlohmann::json summary;
};

Rendered render(const std::string& extra) {
    Rendered r;
    r.dir = test::scratch_dir("vitcli") / "o";
    const auto run = test::run_kernelscope("render --weights " + q(kWeights) + " --image " + q(kImage) + " " + extra +
                                           " --out " + q(r.dir));
    EXPECT_EQ(run.exit_code, 0) << run.output;
    if (run.exit_code != 0) return r;
    r.heat = read_npy((r.dir / "heatmap.npy").string());
    r.summary = nlohmann::json::parse(read_file((r.dir / "summary.json").string()));
    return r;
}

void expect_near(const std::vector<float>& got, const std::vector<float>& want, float tol) {
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) ASSERT_NEAR(got[i], want[i], tol) << i;
}

}  // namespace

TEST(CliVit, AttentionForAllLayersAndHeadsMatchesTorch) {
    const Rendered r = render("--query cls");
    const NpyArray att = read_npy((r.dir / "attention.npy").string());
    const NpyArray want = read_npy(test::fixture("vit/p16_h2/attention_png_timm.npy"));
    EXPECT_EQ(att.shape, want.shape);  // [L,H,N,N], N = 1 + 16
    expect_near(att.data, want.data, 1e-4f);
    // heatmap: layer 0, head 0, CLS row, patch part only.
    EXPECT_EQ(r.heat.shape, (std::vector<size_t>{4, 4}));
    expect_near(r.heat.data, std::vector<float>(want.data.begin() + 1, want.data.begin() + 17), 1e-4f);
    EXPECT_EQ(r.summary["tokens"]["prefix"], nlohmann::json::array({"cls"}));
    EXPECT_EQ(r.summary["tokens"]["count"], 17);
    EXPECT_FALSE(r.summary["model"]["configuration"].empty());
    EXPECT_EQ(r.summary["fourier_high_frequency"].size(), 2u);        // one per block
    EXPECT_EQ(r.summary["mean_attention_distance_px"].size(), 2u);    // [L][H]
    EXPECT_EQ(r.summary["mean_attention_distance_px"][0].size(), 2u);
}

TEST(CliVit, TopFiveLogitsMatchTorch) {
    const Rendered r = render("");
    const NpyArray logits = read_npy(test::fixture("vit/p16_h2/logits_png_timm.npy"));
    std::vector<int> order(logits.data.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return logits.data[a] > logits.data[b]; });
    const auto& top = r.summary["top5_logits"];
    ASSERT_EQ(top.size(), 5u);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(top[i]["class"], order[i]);
        EXPECT_NEAR(top[i]["logit"].get<float>(), logits.data[order[i]], 1e-3f);
    }
}

TEST(CliVit, LayerHeadReductionAndPatchQuery) {
    const AttentionSet want = test::fixture_attention();
    ViewSpec v;
    v.layer = 1;
    v.reduce = HeadReduce::Mean;
    v.row = 2;
    v.col = 1;
    const Rendered mean = render("--layer 1 --head mean --query 2,1");
    expect_near(mean.heat.data, patch_heatmap(view_row(want, v), want.layout), 1e-4f);
    v.reduce = HeadReduce::Max;
    const Rendered mx = render("--layer 1 --head max --query 2,1");
    expect_near(mx.heat.data, patch_heatmap(view_row(want, v), want.layout), 1e-4f);
    v.reduce = HeadReduce::Single;
    v.head = 1;
    const Rendered one = render("--layer 1 --head 1 --query 2,1");
    expect_near(one.heat.data, patch_heatmap(view_row(want, v), want.layout), 1e-4f);
}

TEST(CliVit, RolloutOfClsThroughEveryLayer) {
    const AttentionSet want = test::fixture_attention();
    const std::vector<float> roll = attention_rollout(want);
    const Rendered r = render("--query rollout");
    expect_near(r.heat.data, std::vector<float>(roll.begin() + 1, roll.begin() + 17), 1e-4f);
    EXPECT_EQ(r.summary["view"]["query"], "rollout");
}

TEST(CliVit, MassThresholdMaskAndLearnedFilter) {
    const Rendered r = render("--query cls --mass-threshold 0.5 --filter 'patch_embed[3]'");
    const NpyArray mask = read_npy((r.dir / "mask.npy").string());
    EXPECT_EQ(mask.shape, (std::vector<size_t>{4, 4}));
    // The kept patches hold at least half of the patch mass, and dropping the weakest kept
    // patch would fall below it.
    double total = 0, kept = 0;
    float weakest = 1;
    for (size_t i = 0; i < 16; ++i) {
        total += r.heat.data[i];
        if (mask.data[i] > 0.5f) { kept += r.heat.data[i]; weakest = std::min(weakest, r.heat.data[i]); }
    }
    EXPECT_GE(kept / total, 0.5 - 1e-6);
    EXPECT_LT((kept - weakest) / total, 0.5);
    EXPECT_EQ(r.summary["kernel"]["name"], "patch_embed[3]");
    EXPECT_EQ(r.summary["kernel"]["size"], 16);
}

TEST(CliVit, BadCheckpointsExitTwoWithASentence) {
    const fs::path dir = test::scratch_dir("badvit");
    std::ofstream(dir / "model.pth", std::ios::binary) << std::string("PK\x03\x04 zip of a pickle");  // 20 bytes: the literal, not past it
    std::ofstream(dir / "broken.safetensors", std::ios::binary) << std::string("\xff\xff\xff\xff\0\0\0\0{}", 10);
    for (const char* name : {"model.pth", "broken.safetensors", "absent.safetensors"}) {
        const auto r = test::run_kernelscope("render --weights " + q(dir / name) + " --image " + q(kImage) + " --out " +
                                             q(dir / "o"));
        EXPECT_EQ(r.exit_code, 2) << name << ": " << r.output;
        EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
        EXPECT_FALSE(fs::exists(dir / "o"));
    }
    const auto pth = test::run_kernelscope("render --weights " + q(dir / "model.pth") + " --out " + q(dir / "o"));
    EXPECT_NE(pth.output.find("pth_to_safetensors"), std::string::npos) << pth.output;
}

TEST(CliVit, RegisterAndOtherPrefixQueriesByName) {
    // DINOv2 with 4 registers: tokens are cls, reg0..reg3, then the patches.
    const fs::path out = test::scratch_dir("reg") / "o";
    const std::string w = test::fixture("vit/dinov2_reg/timm/model.safetensors");
    const auto r = test::run_kernelscope("render --weights " + q(w) + " --image " + q(kImage) + " --query reg2 --layer 1 --head 0 --out " + q(out));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const NpyArray att = read_npy((out / "attention.npy").string());
    const NpyArray heat = read_npy((out / "heatmap.npy").string());
    const size_t n = att.shape[2], heads = att.shape[1];
    const float* row = att.data.data() + ((1 * heads + 0) * n + 3) * n;  // layer 1, head 0, token 3 = reg2
    ASSERT_EQ(heat.data.size(), n - 5);
    for (size_t j = 0; j < heat.data.size(); ++j) ASSERT_FLOAT_EQ(heat.data[j], row[5 + j]);
    const auto summary = nlohmann::json::parse(read_file((out / "summary.json").string()));
    EXPECT_EQ(summary["query"]["token"], 3);

    const auto missing = test::run_kernelscope("render --weights " + q(kWeights) + " --query reg0 --out " + q(out.parent_path() / "x"));
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.output.find("has cls"), std::string::npos) << missing.output;
    const auto builtin = test::run_kernelscope("render --query dist --out " + q(out.parent_path() / "y"));
    EXPECT_EQ(builtin.exit_code, 2) << builtin.output;
}
