// Data specificity (issue 20) for a ViT and the model-free kinds: `kernelscope analyze`
// against the independent numpy/torch reference in tests/fixtures/specificity (its
// make_fixtures.py), the fixed conv exactly 0, shards of each pass merged equal one run
// (relative 1e-12: the sums are added in another order), and the refusals.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "analysis/data_specificity.h"
#include "analysis/data_specificity_files.h"
#include "analysis/specificity_kernels.h"
#include "io/cost_limits.h"
#include "io/file_output.h"
#include "io/npy.h"
#include "test_specificity_support.h"
#include "test_support.h"

using namespace ks;
namespace fs = std::filesystem;

namespace {

using test::kWeights;
using test::q;

const fs::path kSpecImages = test::fixture("specificity/images");

}  // namespace

TEST(DataSpecificity, EqualsTheNumpyReferenceOnTheFixtureViT) {
    const fs::path out = test::scratch_dir("spec_ref") / "run";
    const auto r = test::run_kernelscope("analyze --weights " + q(kWeights) + " --images " + q(kSpecImages) + " --out " + q(out));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("data specificity: 2 passes"), std::string::npos) << r.output;
    const nlohmann::json want = nlohmann::json::parse(test::file_text(test::fixture("specificity/expected.json")));
    const auto got = test::csv_rows(out / "data_specificity.csv");
    ASSERT_GE(got.size(), 2u);
    EXPECT_EQ(test::file_text(out / "data_specificity.csv").substr(0, test::file_text(out / "data_specificity.csv").find('\n')),
              "kind,layer,head,specificity,std,images,queries");
    // attention (2 layers x 2 heads), then builtin, bilateral, dynamic, fixed_conv.
    const std::vector<std::string> order = {"attention", "attention", "attention", "attention", "builtin", "bilateral", "dynamic", "fixed_conv"};
    ASSERT_EQ(got.size(), 1 + order.size());
    for (size_t i = 0; i < order.size(); ++i) {
        const auto& row = got[i + 1];
        ASSERT_EQ(row.size(), 7u);
        EXPECT_EQ(row[0], order[i]);
        if (!want.contains(row[0])) continue;   // dynamic: not in the reference (its generator is std::mt19937's)
        const auto& w = want[row[0]];
        const int l = std::stoi(row[1]), h = std::stoi(row[2]);
        // float32 forward passes on both sides: the rows agree to ~1e-6, their TVs to ~1e-5.
        EXPECT_NEAR(std::stod(row[3]), w["specificity"][l][h].get<double>(), 2e-5) << row[0] << " " << l << " " << h;
        EXPECT_NEAR(std::stod(row[4]), w["std"][l][h].get<double>(), 2e-5) << row[0] << " " << l << " " << h;
        EXPECT_EQ(std::stoi(row[5]), w["images"].get<int>());
        EXPECT_EQ(std::stoi(row[6]), w["queries"].get<int>());
    }
    EXPECT_EQ(got.back()[3], "0");   // the fixed conv: exactly 0
    EXPECT_EQ(got.back()[4], "0");
    const NpyArray mean = read_npy((out / "mean_kernel.npy").string()), ref = read_npy(test::fixture("specificity/mean_kernel.npy"));
    ASSERT_EQ(mean.shape, (std::vector<size_t>{2, 2, 17, 17}));
    ASSERT_EQ(mean.shape, ref.shape);
    for (size_t i = 0; i < mean.data.size(); ++i) ASSERT_NEAR(mean.data[i], ref.data[i], 1e-5) << i;
    for (const char* f : {"mean_kernel_builtin.npy", "mean_kernel_bilateral.npy", "mean_kernel_dynamic.npy", "mean_kernel_fixed_conv.npy",
                          "kernel_sums_attention.npy", "data_specificity_sums.csv", "data_specificity.png"})
        EXPECT_TRUE(fs::exists(out / f)) << f;
    const nlohmann::json info = nlohmann::json::parse(test::file_text(out / "analysis.json"));
    EXPECT_EQ(info["pass"], "both");
}

TEST(DataSpecificity, FixedConvIsExactlyZero) {
    // Kernels built afresh per "image": the mean of identical float rows is exact in
    // double, so every TV is 0.0, not merely small.
    const OwnedKernels k = fixed_conv_kernels(37);
    KernelSums sums;
    sums.init(k.shape);
    for (int i = 0; i < 1000; ++i) sums.add(fixed_conv_kernels(37).view());
    SpecificityTotals t;
    t.init(k.shape);
    for (int i = 0; i < 1000; ++i) t.add(fixed_conv_kernels(37).view(), sums);
    EXPECT_EQ(t.tv[0].n, 37000);
    EXPECT_EQ(t.tv[0].sum, 0.0);
    EXPECT_EQ(t.tv[0].sum_sq, 0.0);
    EXPECT_EQ(t.tv[0].mean(), 0.0);
    // A data-dependent kind on two different images is not 0 (the test can fail).
    const Image a = test::random_image(64, 64, 1), b = test::random_image(64, 64, 2);
    const auto qs = grid_centre_pixels(64, 64, 4, 4);
    const OwnedKernels ka = bilateral_kernels(luminance(a), qs), kb = bilateral_kernels(luminance(b), qs);
    KernelSums s2;
    s2.init(ka.shape);
    s2.add(ka.view());
    s2.add(kb.view());
    SpecificityTotals t2;
    t2.init(ka.shape);
    t2.add(ka.view(), s2);
    EXPECT_GT(t2.tv[0].mean(), 0.05);
}

TEST(DataSpecificity, MergedShardsOfEachPassEqualOneRun) {
    const fs::path out = test::scratch_dir("spec_shards");
    // Seven images of various sizes: the fixture's four and three random ones.
    const fs::path dir = test::scratch_dir("spec_shard_images");
    for (const auto& e : fs::directory_iterator(kSpecImages)) fs::copy_file(e.path(), dir / e.path().filename());
    for (int i = 0; i < 3; ++i) {
        const Image img = test::random_image(70 + 13 * i, 90 - 7 * i, 40 + i);
        write_file_atomic((dir / ("r" + std::to_string(i) + ".png")).string(), png_bytes(to_rgb8(img), img.width, img.height));
    }
    const std::string base = "analyze --weights " + q(kWeights) + " --images " + q(dir);
    ASSERT_EQ(test::run_kernelscope(base + " --out " + q(out / "both")).exit_code, 0);
    ASSERT_EQ(test::run_kernelscope(base + " --pass 1 --out " + q(out / "p1")).exit_code, 0);
    std::string p1_shards, p2_shards;
    for (int k = 0; k < 3; ++k) {
        const fs::path o = out / ("p1_" + std::to_string(k));
        const auto r = test::run_kernelscope(base + " --pass 1 --shard " + std::to_string(k) + "/3 --out " + q(o));
        ASSERT_EQ(r.exit_code, 0) << r.output;
        p1_shards += " " + q(o);
    }
    const auto m1 = test::run_kernelscope("analyze --merge" + p1_shards + " --out " + q(out / "p1_merged"));
    ASSERT_EQ(m1.exit_code, 0) << m1.output;
    for (const char* kind : {"attention", "builtin", "bilateral", "dynamic", "fixed_conv"}) test::expect_kernel_sums_near(out / "p1", out / "p1_merged", kind, 1e-12);
    test::expect_csv_near_relative(out / "p1" / "mean_attention_distance.csv", out / "p1_merged" / "mean_attention_distance.csv", 1e-12);
    // Pass 2 against the merged mean, unsharded and in 3 shards merged.
    const std::string p2 = base + " --pass 2 --mean-from " + q(out / "p1_merged");
    const auto one = test::run_kernelscope(p2 + " --out " + q(out / "p2"));
    ASSERT_EQ(one.exit_code, 0) << one.output;
    for (int k = 0; k < 3; ++k) {
        const fs::path o = out / ("p2_" + std::to_string(k));
        const auto r = test::run_kernelscope(p2 + " --shard " + std::to_string(k) + "/3 --out " + q(o));
        ASSERT_EQ(r.exit_code, 0) << r.output;
        p2_shards += " " + q(o);
    }
    const auto m2 = test::run_kernelscope("analyze --merge" + p2_shards + " --out " + q(out / "p2_merged"));
    ASSERT_EQ(m2.exit_code, 0) << m2.output;
    test::expect_csv_near_relative(out / "p2" / "data_specificity_sums.csv", out / "p2_merged" / "data_specificity_sums.csv", 1e-12);
    test::expect_csv_near_relative(out / "p2" / "data_specificity.csv", out / "p2_merged" / "data_specificity.csv", 1e-12);
    // And both passes in one process give the same numbers.
    test::expect_csv_near_relative(out / "both" / "data_specificity.csv", out / "p2_merged" / "data_specificity.csv", 1e-12);
    EXPECT_EQ(nlohmann::json::parse(test::file_text(out / "p2_merged" / "analysis.json"))["pass"], 2);
    EXPECT_EQ(nlohmann::json::parse(test::file_text(out / "p1_merged" / "analysis.json"))["pass"], 1);

    // Refusals, each one sentence with exit 2.
    auto refused = [&](const std::string& args, const std::string& words) {
        const auto r = test::run_kernelscope(args);
        EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
        EXPECT_NE(r.output.find(words), std::string::npos) << args << "\n" << r.output;
    };
    refused("analyze --merge " + q(out / "p1_0") + " " + q(out / "p2_1") + " --out " + q(out / "bad"), "merge only shards of one pass");
    refused("analyze --merge " + q(out / "both") + " --out " + q(out / "bad"), "ran both passes");
    refused(base + " --pass 2 --out " + q(out / "bad"), "--pass 2 needs --mean-from");
    refused(base + " --shard 0/2 --out " + q(out / "bad"), "--shard needs --pass 1 or --pass 2");
    refused(base + " --pass 2 --mean-from " + q(out / "p1_0") + " --out " + q(out / "bad"), "merge the pass-1 shards first");
    refused(base + " --pass 2 --mean-from " + q(out / "p2") + " --out " + q(out / "bad"), "is a pass-2 output");
    const std::string f16 = test::fixture("vit/p16_h2/timm_f16/model.safetensors");
    refused("analyze --weights " + q(f16) + " --images " + q(dir) + " --pass 2 --mean-from " + q(out / "p1") + " --out " + q(out / "bad"),
            "another checkpoint");
    refused(base + " --pass 2 --mean-from " + q(out / "p1") + " --resize whole --out " + q(out / "bad"), "other settings");
    refused("analyze --weights " + q(kWeights) + " --images " + q(kSpecImages) + " --pass 2 --mean-from " + q(out / "p1") + " --out " + q(out / "bad"),
            "another image folder");
    EXPECT_FALSE(fs::exists(out / "bad"));
}

TEST(DataSpecificity, KernelSumsOverTheBudgetAreRefusedBeforeTheWork) {
    VitConfig c;
    c.layers = 12;
    c.heads = 12;
    c.patch = 16;
    c.image_w = c.image_h = 224;
    c.grid_h = c.grid_w = 14;
    c.prefix_names = {"cls"};
    const std::vector<KernelShape> b16 = vit_specificity_shapes(c);
    EXPECT_EQ(b16.front().tokens, 197);
    EXPECT_NEAR(kernel_sums_bytes(b16), 12.0 * 12 * 197 * 197 * 8 + (196.0 * 196 + 196 * 49 + 196 * 25 + 196 * 9) * 8, 1);
    EXPECT_NO_THROW(check_kernel_sums_cost(kernel_sums_bytes(b16), "ViT-B/16", "smaller"));
    // A ViT-g-like model at 518 px (1370 tokens, 40 layers x 24 heads): 14 GB of sums.
    c.layers = 40;
    c.heads = 24;
    c.patch = 14;
    c.image_w = c.image_h = 518;
    c.grid_h = c.grid_w = 37;
    try {
        check_kernel_sums_cost(kernel_sums_bytes(vit_specificity_shapes(c)), "big", "analyse a smaller input size");
        ADD_FAILURE() << "not refused";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("more than the 2 GB allowed"), std::string::npos) << e.what();
    }
    // A shape in analysis.json claiming such sums is refused before anything is sized by it.
    nlohmann::json j = kernel_shapes_json(vit_specificity_shapes(c));
    EXPECT_THROW(kernel_shapes_from_json(j, "analysis.json"), InputError);
    EXPECT_EQ(kernel_shapes_from_json(kernel_shapes_json(b16), "analysis.json"), b16);
}
