// `kernelscope analyze` end to end on the p16_h2 fixture (64 x 64 input, 4 x 4 grid):
// a folder with a corrupt file, its numbers against `render`'s summary.json on the
// same images, shards merged against one run, --layers, and bad flags (signals:
// test_analyze_signals.cpp).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <thread>
#include <map>
#include <nlohmann/json.hpp>

#include "attention/views.h"
#include "io/file_output.h"
#include "io/npy.h"
#include "test_support.h"

using namespace ks;
namespace fs = std::filesystem;

namespace {

using test::kWeights;

using test::q;

void write_png(const fs::path& p, const Image& img) { write_file_atomic(p.string(), png_bytes(to_rgb8(img), img.width, img.height)); }

// Six images of different sizes (two in a subfolder), a corrupt "photo" and a text file.
fs::path make_folder(const std::string& tag) {
    const fs::path dir = test::scratch_dir(tag);
    fs::create_directories(dir / "sub");
    write_png(dir / "a.png", test::random_image(64, 64, 1));
    write_png(dir / "b.png", test::random_image(96, 80, 2));
    write_png(dir / "c.png", test::random_image(50, 120, 3));
    write_png(dir / "sub" / "d.png", test::random_image(130, 70, 4));
    write_png(dir / "sub" / "e.png", test::random_image(64, 64, 5));
    write_png(dir / "f, g.png", test::random_image(72, 72, 6));
    write_file_atomic((dir / "broken.jpg").string(), "this is not a JPEG");
    write_file_atomic((dir / "notes.txt").string(), "not an image, not listed");
    return dir;
}

void expect_csv_near(const fs::path& a, const fs::path& b, double rel) {
    const auto ra = test::csv_rows(a), rb = test::csv_rows(b);
    ASSERT_EQ(ra.size(), rb.size()) << a;
    for (size_t i = 0; i < ra.size(); ++i) {
        ASSERT_EQ(ra[i].size(), rb[i].size()) << a << " row " << i;
        for (size_t j = 0; j < ra[i].size(); ++j) {
            if (ra[i][j] == rb[i][j]) continue;
            char* e1 = nullptr;
            char* e2 = nullptr;
            const double x = std::strtod(ra[i][j].c_str(), &e1), y = std::strtod(rb[i][j].c_str(), &e2);
            ASSERT_TRUE(*e1 == '\0' && *e2 == '\0') << a << " row " << i << ": " << ra[i][j] << " vs " << rb[i][j];
            EXPECT_NEAR(x, y, rel * std::max(1.0, std::fabs(x))) << a << " row " << i << " col " << j;
        }
    }
}

}  // namespace

TEST(AnalyzeCli, FolderWithACorruptFileFinishesAndListsIt) {
    const fs::path dir = make_folder("analyze_folder"), out = test::scratch_dir("analyze_out") / "run";
    const auto r = test::run_kernelscope("analyze --weights " + q(kWeights) + " --images " + q(dir) + " --out " + q(out));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("broken.jpg"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("7/7 images"), std::string::npos) << r.output;  // the progress line
    for (const char* f : {"mean_attention_distance.csv", "fourier.csv", "per_image.csv", "skipped.csv", "analysis.json",
                          "mean_attention_distance.png", "fourier.png", "fourier_curves.png"})
        EXPECT_TRUE(fs::is_regular_file(out / f)) << f;
    const auto skipped = test::csv_rows(out / "skipped.csv");
    ASSERT_EQ(skipped.size(), 2u);
    EXPECT_EQ(skipped[1][0], "broken.jpg");
    const nlohmann::json info = nlohmann::json::parse(test::file_text(out / "analysis.json"));
    EXPECT_EQ(info["images_analysed"], 6);
    EXPECT_EQ(info["images_skipped"], 1);
    EXPECT_EQ(info["interrupted"], false);

    // 2 layers x 2 heads (the fixture) -> 4 rows per image; 6 images.
    const auto per = test::csv_rows(out / "per_image.csv");
    ASSERT_EQ(per.size(), 1u + 6 * 4);
    EXPECT_EQ(per[0][0], "image");
    EXPECT_EQ(per[1][0], "a.png");
    EXPECT_EQ(per.back()[0], "sub/e.png");
    const auto mad = test::csv_rows(out / "mean_attention_distance.csv");
    ASSERT_EQ(mad.size(), 1u + 4);
    EXPECT_EQ(mad[0][2], "mean_distance_px");
    // Mean and std over the images, from the per-image rows.
    for (size_t row = 1; row < mad.size(); ++row) {
        double s = 0, s2 = 0;
        int n = 0;
        for (size_t i = 1; i < per.size(); ++i)
            if (per[i][1] == mad[row][0] && per[i][2] == mad[row][1]) {
                const double v = std::stod(per[i][3]);
                s += v;
                s2 += v * v;
                ++n;
            }
        ASSERT_EQ(n, 6);
        EXPECT_EQ(mad[row][4], "6");
        EXPECT_NEAR(std::stod(mad[row][2]), s / n, 1e-5);
        EXPECT_NEAR(std::stod(mad[row][3]), std::sqrt(std::max(0.0, s2 / n - (s / n) * (s / n))), 1e-4);
    }
    // Fourier: input + (msa, mlp) x 2 blocks, k = 0, 1 (4 x 4 grid).
    const auto four = test::csv_rows(out / "fourier.csv");
    ASSERT_EQ(four.size(), 1u + 5 * 2);
    EXPECT_EQ(four[1][0], "-1");
    EXPECT_EQ(four[1][1], "input");
    EXPECT_EQ(four[1][2], "0");
    EXPECT_EQ(four[1][3], "0");  // dL(0) = 0 by definition
    EXPECT_EQ(four[3][1], "msa");
    EXPECT_EQ(four[5][1], "mlp");
}

TEST(AnalyzeCli, NumbersEqualRendersSummaryOnTheSameImages) {
    const fs::path dir = test::scratch_dir("analyze_vs_render"), out = test::scratch_dir("analyze_vs_render_out");
    write_png(dir / "one.png", test::random_image(96, 72, 11));
    fs::copy_file(test::fixture("vit/p16_h2/image.png"), dir / "two.png");
    for (const char* resize : {"crop", "whole"}) {
        const auto r = test::run_kernelscope("analyze --weights " + q(kWeights) + " --images " + q(dir) + " --resize " + resize +
                                             " --out " + q(out / resize));
        ASSERT_EQ(r.exit_code, 0) << r.output;
        const auto per = test::csv_rows(out / resize / "per_image.csv");
        std::vector<double> hf_mean;
        for (const char* name : {"one.png", "two.png"}) {
            const fs::path rout = out / (std::string(resize) + "_render_" + name);
            const auto rr = test::run_kernelscope("render --weights " + q(kWeights) + " --image " + q(dir / name) + " --resize " +
                                                  resize + " --out " + q(rout));
            ASSERT_EQ(rr.exit_code, 0) << rr.output;
            const nlohmann::json s = nlohmann::json::parse(test::file_text(rout / "summary.json"));
            const auto& d = s["mean_attention_distance_px"];
            int seen = 0;
            for (size_t i = 1; i < per.size(); ++i) {
                if (per[i][0] != name) continue;
                const int l = std::stoi(per[i][1]), h = std::stoi(per[i][2]);
                EXPECT_NEAR(std::stod(per[i][3]), d[l][h].get<double>(), 1e-4) << name << " " << l << "," << h;
                ++seen;
            }
            EXPECT_EQ(seen, 4);
            const auto& hf = s["fourier_high_frequency"];
            if (hf_mean.empty()) hf_mean.assign(hf.size(), 0.0);
            for (size_t b = 0; b < hf.size(); ++b) hf_mean[b] += hf[b].get<double>() / 2;
        }
        // On the fixture image the rows also equal the distances of PyTorch's own attention
        // (the fixture's attention.npy from timm), computed here by core's definition.
        {
            const std::vector<float> want = mean_attention_distance(test::fixture_attention());
            int seen = 0;
            for (size_t i = 1; i < per.size(); ++i)
                if (per[i][0] == "two.png") {
                    EXPECT_NEAR(std::stod(per[i][3]), want[std::stoi(per[i][1]) * 2 + std::stoi(per[i][2])], 1e-3);
                    EXPECT_NEAR(std::stod(per[i][4]), std::stod(per[i][3]), 1e-4);  // a 64 x 64 image: original = model pixels
                    ++seen;
                }
            EXPECT_EQ(seen, 4);
        }
        // fourier.csv's MLP rows at the largest k are the blocks' outputs: render's measure.
        const auto four = test::csv_rows(out / resize / "fourier.csv");
        int checked = 0;
        for (size_t i = 1; i < four.size(); ++i)
            if (four[i][1] == "mlp" && four[i][2] == "1") {
                EXPECT_NEAR(std::stod(four[i][3]), hf_mean[std::stoi(four[i][0])], 1e-4);
                ++checked;
            }
        EXPECT_EQ(checked, 2);
    }
}

TEST(AnalyzeCli, ThreeMergedShardsEqualOneRun) {
    const fs::path dir = make_folder("analyze_shards"), out = test::scratch_dir("analyze_shards_out");
    // Shards run one pass of data specificity (both passes are refused with --shard).
    const std::string base = "analyze --weights " + q(kWeights) + " --images " + q(dir) + " --pass 1";
    ASSERT_EQ(test::run_kernelscope(base + " --out " + q(out / "all")).exit_code, 0);
    std::string shards;
    for (int k = 0; k < 3; ++k) {
        const fs::path o = out / ("shard" + std::to_string(k));
        const auto r = test::run_kernelscope(base + " --shard " + std::to_string(k) + "/3 --out " + q(o));
        ASSERT_EQ(r.exit_code, 0) << r.output;
        shards += " " + q(o);
    }
    // Shard 0 of the sorted 7 files: a.png, c.png, sub/e.png (every third from the first).
    EXPECT_EQ(test::csv_rows(out / "shard0" / "per_image.csv").size(), 1u + 3 * 4);
    const auto m = test::run_kernelscope("analyze --merge" + shards + " --out " + q(out / "merged"));
    ASSERT_EQ(m.exit_code, 0) << m.output;
    // The per-image rows and skipped list are the same lines; sums agree to rounding.
    EXPECT_EQ(test::file_text(out / "merged" / "per_image.csv"), test::file_text(out / "all" / "per_image.csv"));
    EXPECT_EQ(test::file_text(out / "merged" / "skipped.csv"), test::file_text(out / "all" / "skipped.csv"));
    expect_csv_near(out / "merged" / "mean_attention_distance.csv", out / "all" / "mean_attention_distance.csv", 1e-9);
    expect_csv_near(out / "merged" / "fourier.csv", out / "all" / "fourier.csv", 1e-9);
    const nlohmann::json info = nlohmann::json::parse(test::file_text(out / "merged" / "analysis.json"));
    EXPECT_EQ(info["images_analysed"], 6);
    // A shard given twice would count its images twice: refused.
    const auto twice = test::run_kernelscope("analyze --merge" + shards + " " + q(out / "shard1") + " --out " + q(out / "bad"));
    EXPECT_EQ(twice.exit_code, 2) << twice.output;
    EXPECT_NE(twice.output.find("twice"), std::string::npos) << twice.output;
    // Merging runs of different layer sets is refused.
    ASSERT_EQ(test::run_kernelscope(base + " --layers 1 --out " + q(out / "l1")).exit_code, 0);
    const auto bad = test::run_kernelscope("analyze --merge " + q(out / "all") + " " + q(out / "l1") + " --out " + q(out / "bad"));
    EXPECT_EQ(bad.exit_code, 2) << bad.output;
    EXPECT_FALSE(fs::exists(out / "bad"));
}

TEST(AnalyzeCli, AnOutputInsideTheImagesOrNotEmptyIsRefusedBeforeTheWork) {
    const fs::path dir = test::scratch_dir("analyze_inside"), out = test::scratch_dir("analyze_inside_out");
    write_png(dir / "x.png", test::random_image(64, 64, 8));
    const std::string base = "analyze --weights " + q(kWeights) + " --images " + q(dir) + " --out ";
    auto r = test::run_kernelscope(base + q(dir / "analysis"));  // its plots would be analysed on a rerun
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("lies inside the image folder"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir / "analysis"));
    ASSERT_EQ(test::run_kernelscope(base + q(out / "a")).exit_code, 0);
    r = test::run_kernelscope(base + q(out / "a"));  // the same --out twice: refused, the first run's files stay
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("is not empty"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("analysed"), std::string::npos) << "refused before the work: " << r.output;
    EXPECT_TRUE(fs::exists(out / "a" / "per_image.csv"));
    // A merge whose --out is one of its inputs is refused the same way.
    r = test::run_kernelscope("analyze --merge " + q(out / "a") + " --out " + q(out / "a"));
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("is not empty"), std::string::npos) << r.output;
}

TEST(AnalyzeCli, LayersSelectRowsAndBadFlagsAreOneSentence) {
    const fs::path dir = test::scratch_dir("analyze_layers"), out = test::scratch_dir("analyze_layers_out");
    write_png(dir / "x.png", test::random_image(64, 64, 7));
    const std::string base = "analyze --weights " + q(kWeights) + " --images " + q(dir);
    ASSERT_EQ(test::run_kernelscope(base + " --layers 1 --out " + q(out / "l")).exit_code, 0);
    const auto mad = test::csv_rows(out / "l" / "mean_attention_distance.csv");
    ASSERT_EQ(mad.size(), 1u + 2);
    EXPECT_EQ(mad[1][0], "1");
    const auto four = test::csv_rows(out / "l" / "fourier.csv");
    ASSERT_EQ(four.size(), 1u + 3 * 2);  // input + msa 1 + mlp 1
    for (const std::string& bad : {std::string(" --layers 2"), std::string(" --shard 3/3"), std::string(" --resize square"),
                                   std::string(" --frobnicate 1")}) {
        const auto r = test::run_kernelscope(base + bad + " --out " + q(out / "bad"));
        EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
        EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
        EXPECT_FALSE(fs::exists(out / "bad"));
    }
    write_file_atomic((out / "a_file").string(), "x");
    const auto file_out = test::run_kernelscope(base + " --out " + q(out / "a_file"));
    EXPECT_EQ(file_out.exit_code, 2) << file_out.output;
    EXPECT_NE(file_out.output.find("not a folder"), std::string::npos) << file_out.output;
    const auto empty = test::run_kernelscope("analyze --weights " + q(kWeights) + " --images " + q(out / "l" / "nothing") + " --out " + q(out / "bad"));
    EXPECT_EQ(empty.exit_code, 2);
    const auto help = test::run_kernelscope("analyze --help");
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.output.find("--shard K/N"), std::string::npos);
}

TEST(AnalyzeCli, RenderWithTheDynamicConv) {
    const fs::path out = test::scratch_dir("render_dynamic");
    const auto r = test::run_kernelscope("render --filter dynamic --dynamic-k 3 --dynamic-seed 9 --query 2,3 --out " + q(out));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const nlohmann::json s = nlohmann::json::parse(test::file_text(out / "summary.json"));
    EXPECT_EQ(s["kernel"]["name"], "dynamic");
    EXPECT_EQ(s["kernel"]["data_dependent"], true);
    EXPECT_EQ(s["kernel"]["size"], 3);
    EXPECT_EQ(s["kernel"]["dynamic"]["seed"], 9);
    EXPECT_TRUE(s["kernel"].contains("position"));
    EXPECT_EQ(test::run_kernelscope("render --filter dynamic --dynamic-k 4 --out " + q(out / "bad")).exit_code, 2);
}

TEST(AnalyzeCli, MergeRefusesInputsThatWouldDoubleCountOrMix) {
    const fs::path dir = make_folder("merge_identity"), out = test::scratch_dir("merge_identity_out");
    // Shards run one pass of data specificity (both passes are refused with --shard).
    const std::string base = "analyze --weights " + q(kWeights) + " --images " + q(dir) + " --pass 1";
    for (const auto& [flags, name] : std::vector<std::pair<std::string, std::string>>{
             {"", "all"}, {" --shard 0/2", "s02"}, {" --shard 1/2", "s12"}, {" --shard 0/3", "s03"},
             {" --shard 1/2 --resize whole", "whole12"}}) {
        const auto r = test::run_kernelscope(base + flags + " --out " + q(out / name));
        ASSERT_EQ(r.exit_code, 0) << name << ": " << r.output;
    }
    // The same model in another file (F16): another digest.
    const auto f16 = test::run_kernelscope("analyze --weights " + q(test::fixture("vit/p16_h2/timm_f16/model.safetensors")) +
                                           " --images " + q(dir) + " --pass 1 --shard 1/2 --out " + q(out / "f16"));
    ASSERT_EQ(f16.exit_code, 0) << f16.output;
    // A copy of shard 1/2 from an older kernelscope (no digest), and one with a row twice.
    fs::copy(out / "s12", out / "old12", fs::copy_options::recursive);
    nlohmann::json info = nlohmann::json::parse(test::file_text(out / "old12" / "analysis.json"));
    info.erase("checkpoint");
    write_file_atomic((out / "old12" / "analysis.json").string(), info.dump());
    fs::copy(out / "s12", out / "badshard", fs::copy_options::recursive);
    info = nlohmann::json::parse(test::file_text(out / "s12" / "analysis.json"));
    info["shard"] = "1-2";
    write_file_atomic((out / "badshard" / "analysis.json").string(), info.dump());
    fs::copy(out / "s12", out / "dup12", fs::copy_options::recursive);
    const std::string md = test::file_text(out / "dup12" / "mean_attention_distance.csv");
    write_file_atomic((out / "dup12" / "mean_attention_distance.csv").string(), md + md.substr(md.find('\n') + 1, md.find('\n', md.find('\n') + 1) - md.find('\n')));
    auto refused = [&](const std::string& a, const std::string& b, const std::string& words) {
        const auto r = test::run_kernelscope("analyze --merge " + q(out / a) + " " + q(out / b) + " --out " + q(out / "m"));
        EXPECT_EQ(r.exit_code, 2) << a << " + " << b << ": " << r.output;
        EXPECT_NE(r.output.find(words), std::string::npos) << a << " + " << b << ": " << r.output;
        EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << "one sentence: " << r.output;
        EXPECT_FALSE(fs::exists(out / "m"));
    };
    refused("all", "all", "both hold the image 'a.png' (the same run twice");
    refused("s02", "s03", "' is shard 0/2 and '");
    refused("all", "s12", "both hold the image");
    refused("s02", "f16", "were made from different checkpoints");
    refused("s02", "whole12", "were made with different settings ('resize'");
    refused("s02", "old12", "records no checkpoint digest");
    refused("s02", "dup12", "mean_attention_distance.csv has the row for layer 0, head 0 twice.");
    refused("s02", "badshard", "gives a shard that is not K/N.");
    // The two halves do merge, into what one run gives, and carry the identity on.
    const auto ok = test::run_kernelscope("analyze --merge " + q(out / "s02") + " " + q(out / "s12") + " --out " + q(out / "m"));
    ASSERT_EQ(ok.exit_code, 0) << ok.output;
    EXPECT_EQ(test::file_text(out / "m" / "per_image.csv"), test::file_text(out / "all" / "per_image.csv"));
    const nlohmann::json merged = nlohmann::json::parse(test::file_text(out / "m" / "analysis.json"));
    const nlohmann::json all = nlohmann::json::parse(test::file_text(out / "all" / "analysis.json"));
    EXPECT_EQ(merged["checkpoint"], all["checkpoint"]);
    EXPECT_EQ(merged["folder_list"], all["folder_list"]);
    EXPECT_EQ(all["checkpoint"]["sha256"].get<std::string>().size(), 64u);
    // A merge merged again with one of its inputs.
    const auto again = test::run_kernelscope("analyze --merge " + q(out / "m") + " " + q(out / "s12") + " --out " + q(out / "m2"));
    EXPECT_EQ(again.exit_code, 2) << again.output;
    EXPECT_NE(again.output.find("both hold the image"), std::string::npos) << again.output;
}

TEST(AnalyzeCli, MergeReadsOnlyRegularBoundedShallowFiles) {
    // A FIFO named analysis.json blocked --merge forever; per_image.csv linked to /dev/zero
    // was read until memory ran out; an analysis.json of 100,000 nested arrays overflowed
    // the stack.
    const fs::path dir = test::scratch_dir("merge_files"), out = test::scratch_dir("merge_files_out");
    write_png(dir / "x.png", test::random_image(64, 64, 9));
    ASSERT_EQ(test::run_kernelscope("analyze --weights " + q(kWeights) + " --images " + q(dir) + " --out " + q(out / "s")).exit_code, 0);
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"fifo", "is not a regular file"}, {"zero", "is not a regular file"}, {"deep", "deeper than 64 levels"}};
    for (const auto& [name, words] : cases) {
        fs::copy(out / "s", out / name, fs::copy_options::recursive);
        if (name == "fifo") {
            fs::remove(out / name / "analysis.json");
            ASSERT_EQ(::mkfifo((out / name / "analysis.json").c_str(), 0600), 0);
        } else if (name == "zero") {
            fs::remove(out / name / "per_image.csv");
            fs::create_symlink("/dev/zero", out / name / "per_image.csv");
        } else {
            write_file_atomic((out / name / "analysis.json").string(), std::string(100000, '[') + std::string(100000, ']'));
        }
        const auto r = test::run_command("timeout 60 '" + std::string(KS_BINARY) + "' analyze --merge " + q(out / name) + " --out " +
                                         q(out / ("m_" + name)) + " 2>&1");
        EXPECT_EQ(r.exit_code, 2) << name << ": " << r.output;
        EXPECT_NE(r.output.find(words), std::string::npos) << name << ": " << r.output;
    }
}
