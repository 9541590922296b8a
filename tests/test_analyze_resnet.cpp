// `kernelscope analyze` with a ResNet checkpoint (issue 20): data specificity only (the
// effective kernel per stage and the model-free kinds, no ViT files), the same numbers
// from shards of each pass merged as from one run (relative 1e-12: the sums are added in
// another order), and the refusals that belong to a ResNet.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analysis/data_specificity_files.h"
#include "io/npy.h"
#include "test_support.h"

using namespace ks;
namespace fs = std::filesystem;

namespace {

using test::q;

const std::string kResnet18 = test::fixture("resnet/r18/tv/model.safetensors");

std::string resnet_out_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The CSV's fields, row by row.
std::vector<std::vector<std::string>> resnet_csv(const fs::path& p) {
    std::vector<std::vector<std::string>> out;
    std::istringstream in(resnet_out_text(p));
    std::string line;
    while (std::getline(in, line)) {
        out.emplace_back(1);
        for (char c : line) {
            if (c == ',') out.back().emplace_back();
            else out.back().back() += c;
        }
    }
    return out;
}

// Same text, every number within `rel`.
void expect_resnet_csv_near(const fs::path& a, const fs::path& b, double rel) {
    const auto ra = resnet_csv(a), rb = resnet_csv(b);
    ASSERT_EQ(ra.size(), rb.size()) << a;
    for (size_t i = 0; i < ra.size(); ++i) {
        ASSERT_EQ(ra[i].size(), rb[i].size()) << a << " row " << i;
        for (size_t j = 0; j < ra[i].size(); ++j) {
            char* end = nullptr;
            const double x = std::strtod(ra[i][j].c_str(), &end);
            if (i == 0 || ra[i][j].empty() || *end != '\0') {
                EXPECT_EQ(ra[i][j], rb[i][j]) << a << " row " << i;
                continue;
            }
            const double y = std::stod(rb[i][j]);
            EXPECT_LE(std::fabs(x - y), rel * std::max(std::fabs(x), std::fabs(y)) + 1e-300) << a << " row " << i << " col " << j;
        }
    }
}

void expect_resnet_sums_near(const fs::path& a, const fs::path& b, const std::string& kind, double rel) {
    const NpyArray64 x = read_npy_f64((a / kernel_sums_file(kind)).string(), 1u << 30);
    const NpyArray64 y = read_npy_f64((b / kernel_sums_file(kind)).string(), 1u << 30);
    ASSERT_EQ(x.shape, y.shape) << kind;
    for (size_t i = 0; i < x.data.size(); ++i)
        ASSERT_LE(std::fabs(x.data[i] - y.data[i]), rel * std::fabs(x.data[i]) + 1e-300) << kind << " entry " << i;
}

TEST(AnalyzeResnet, WritesDataSpecificityOnlyAndShardsMergedEqualOneRun) {
    const fs::path out = test::scratch_dir("analyze_resnet");
    const fs::path images = test::fixture("specificity/images");  // four small photos
    const std::string base = "analyze --weights " + q(kResnet18) + " --images " + q(images);
    const auto both = test::run_kernelscope(base + " --out " + q(out / "both"));
    ASSERT_EQ(both.exit_code, 0) << both.output;
    EXPECT_NE(both.output.find("36 backward passes per image and pass"), std::string::npos) << both.output;

    // The kinds a ResNet measures, in the CSV's order; no ViT-only files.
    const auto rows = resnet_csv(out / "both" / "data_specificity.csv");
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
    const nlohmann::json info = nlohmann::json::parse(resnet_out_text(out / "both" / "analysis.json"));
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
        expect_resnet_sums_near(out / "both", out / "p1", kind, 1e-12);
    for (int k = 0; k < 3; ++k) {
        const fs::path o = out / ("p2_" + std::to_string(k));
        const auto r = test::run_kernelscope(base + " --pass 2 --mean-from " + q(out / "p1") + " --shard " + std::to_string(k) + "/3 --out " + q(o));
        ASSERT_EQ(r.exit_code, 0) << r.output;
        p2 += " " + q(o);
    }
    const auto m2 = test::run_kernelscope("analyze --merge" + p2 + " --out " + q(out / "p2"));
    ASSERT_EQ(m2.exit_code, 0) << m2.output;
    expect_resnet_csv_near(out / "both" / "data_specificity.csv", out / "p2" / "data_specificity.csv", 1e-12);
    expect_resnet_csv_near(out / "both" / "data_specificity_sums.csv", out / "p2" / "data_specificity_sums.csv", 1e-12);

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
