// `kernelscope analyze` with a ResNet checkpoint (issue 20): data specificity only (the
// effective kernel per stage and the model-free kinds, no ViT files), the same numbers
// from shards of each pass merged as from one run (relative 1e-12: the sums are added in
// another order), and the refusals that belong to a ResNet.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "analysis/data_specificity_files.h"
#include "io/npy.h"
#include "test_specificity_support.h"
#include "test_support.h"

using namespace ks;
namespace fs = std::filesystem;

namespace {

using test::q;

const std::string kResnet18 = test::fixture("resnet/r18/tv/model.safetensors");

TEST(AnalyzeResnet, WritesDataSpecificityOnlyAndShardsMergedEqualOneRun) {
    const fs::path out = test::scratch_dir("analyze_resnet");
    const fs::path images = test::fixture("specificity/images");  // four small photos
    const std::string base = "analyze --weights " + q(kResnet18) + " --images " + q(images);
    const auto both = test::run_kernelscope(base + " --out " + q(out / "both"));
    ASSERT_EQ(both.exit_code, 0) << both.output;
    EXPECT_NE(both.output.find("36 backward passes per image and pass"), std::string::npos) << both.output;

    // The kinds a ResNet measures, in the CSV's order; no ViT-only files.
    const auto rows = test::csv_rows(out / "both" / "data_specificity.csv");
    const std::vector<std::string> kinds = {"builtin", "effective_kernel", "effective_kernel", "effective_kernel", "effective_kernel",
                                            "bilateral", "dynamic", "fixed_conv"};
    ASSERT_EQ(rows.size(), kinds.size() + 1);
    for (size_t i = 0; i < kinds.size(); ++i) {
        EXPECT_EQ(rows[i + 1][0], kinds[i]);
        EXPECT_EQ(rows[i + 1][5], "4");
    }
    for (int s = 0; s < 4; ++s) {
        EXPECT_EQ(rows[2 + s][1], std::to_string(s));
        EXPECT_EQ(rows[2 + s][6], "9");  // 3 x 3 queries per stage
        EXPECT_GT(std::stod(rows[2 + s][3]), 0.0);
    }
    EXPECT_EQ(rows[8][3], "0");  // the fixed conv
    for (const char* vit_only : {"mean_attention_distance.csv", "fourier.csv", "per_image.csv", "fourier.png"})
        EXPECT_FALSE(fs::exists(out / "both" / vit_only)) << vit_only;
    const NpyArray mean = read_npy((out / "both" / "mean_kernel.npy").string());
    EXPECT_EQ(mean.shape, (std::vector<size_t>{4, 1, 9, 224 * 224}));
    EXPECT_TRUE(fs::exists(out / "both" / "mean_kernel_builtin.npy"));
    const nlohmann::json info = nlohmann::json::parse(test::file_text(out / "both" / "analysis.json"));
    EXPECT_EQ(info["family"], "resnet");
    EXPECT_NE(info["measures"].get<std::string>().find("no mean_attention_distance.csv"), std::string::npos);
    EXPECT_EQ(info["grid"]["stages"][3]["query_cells"][0], nlohmann::json::array({1, 1}));

    // Pass 1 in 3 shards merged, pass 2 against that mean in 3 shards merged.
    std::string p1, p2;
    for (int k = 0; k < 3; ++k) {
        const fs::path o = out / ("p1_" + std::to_string(k));
        const auto r = test::run_kernelscope(base + " --pass 1 --shard " + std::to_string(k) + "/3 --out " + q(o));
        ASSERT_EQ(r.exit_code, 0) << r.output;
        p1 += " " + q(o);
    }
    const auto m1 = test::run_kernelscope("analyze --merge" + p1 + " --out " + q(out / "p1"));
    ASSERT_EQ(m1.exit_code, 0) << m1.output;
    for (const char* kind : {"builtin", "effective_kernel", "bilateral", "dynamic", "fixed_conv"})
        test::expect_kernel_sums_near(out / "both", out / "p1", kind, 1e-12);
    for (int k = 0; k < 3; ++k) {
        const fs::path o = out / ("p2_" + std::to_string(k));
        const auto r = test::run_kernelscope(base + " --pass 2 --mean-from " + q(out / "p1") + " --shard " + std::to_string(k) + "/3 --out " + q(o));
        ASSERT_EQ(r.exit_code, 0) << r.output;
        p2 += " " + q(o);
    }
    const auto m2 = test::run_kernelscope("analyze --merge" + p2 + " --out " + q(out / "p2"));
    ASSERT_EQ(m2.exit_code, 0) << m2.output;
    test::expect_csv_near_relative(out / "both" / "data_specificity.csv", out / "p2" / "data_specificity.csv", 1e-12);
    test::expect_csv_near_relative(out / "both" / "data_specificity_sums.csv", out / "p2" / "data_specificity_sums.csv", 1e-12);

    // Refusals, one sentence and exit 2 each.
    auto refused = [&](const std::string& args, const std::string& words) {
        const auto r = test::run_kernelscope(args);
        EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
        EXPECT_NE(r.output.find(words), std::string::npos) << args << "\n" << r.output;
    };
    refused(base + " --layers 0 --out " + q(out / "bad"), "a ResNet run measures its four stages");
    const auto vit = test::run_kernelscope("analyze --weights " + q(test::kWeights) + " --images " + q(images) +
                                           " --pass 1 --shard 1/3 --out " + q(out / "vit_p1_1"));
    ASSERT_EQ(vit.exit_code, 0) << vit.output;
    refused("analyze --merge " + q(out / "p1_0") + " " + q(out / "vit_p1_1") + " --out " + q(out / "bad"), "different checkpoints");
    refused("analyze --weights " + q(test::kWeights) + " --images " + q(images) + " --pass 2 --mean-from " + q(out / "p1") + " --out " +
                q(out / "bad"),
            "another checkpoint");
    EXPECT_FALSE(fs::exists(out / "bad"));
}

}  // namespace
