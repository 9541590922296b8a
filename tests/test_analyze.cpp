// The core of the paper's analyses (issue 11): mean attention distance (closed forms,
// original pixels), the Fourier measure (ranking, sub-block maps from the forward
// pass), a kernel's 2-D spectrum and high-frequency share, and the totals that shards
// merge through.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analysis/attention_distance.h"
#include "analysis/folder_analysis.h"
#include "analysis/fourier_blocks.h"
#include "analysis/kernel_spectrum.h"
#include "attention/views.h"
#include "conv/conv_filters.h"
#include "test_support.h"
#include "vit/vit_model.h"

using namespace ks;

namespace {

AttentionSet uniform_attention(int gh, int gw, int patch, int prefix) {
    AttentionSet a;
    for (int i = 0; i < prefix; ++i) a.layout.prefix_names.push_back(i == 0 ? "cls" : "reg" + std::to_string(i - 1));
    a.layout.grid_h = gh;
    a.layout.grid_w = gw;
    a.layout.patch = patch;
    const int n = a.layout.num_tokens();
    a.resize(1, 1, n);
    for (float& v : a.data) v = 1.0f / n;
    return a;
}

// tokens [1 + gh*gw][C] (one prefix token) with map(c, y, x) on the patches.
template <class F>
std::vector<float> token_map(int gh, int gw, int channels, F map) {
    std::vector<float> t(static_cast<size_t>(1 + gh * gw) * channels, 0.0f);
    for (int y = 0; y < gh; ++y)
        for (int x = 0; x < gw; ++x)
            for (int c = 0; c < channels; ++c) t[static_cast<size_t>(1 + y * gw + x) * channels + c] = map(c, y, x);
    return t;
}

}  // namespace

TEST(MeanDistance, UniformAttentionEqualsTheMeanPairwiseDistance) {
    // 1 x 2 grid: each query puts half its weight on itself (0) and half on the other
    // patch (one patch away): p / 2.
    EXPECT_NEAR(mean_attention_distance(uniform_attention(1, 2, 16, 1))[0], 8.0f, 1e-5f);
    // 2 x 2 grid: distances 0, p, p, p sqrt 2 from every query, equally weighted (the CLS
    // weight is dropped and the rest renormalised).
    EXPECT_NEAR(mean_attention_distance(uniform_attention(2, 2, 16, 1))[0], 16.0f * (2.0 + std::sqrt(2.0)) / 4.0, 1e-4f);
    // n x n grid, any size: the mean distance between two uniform random cells, computed
    // here from the closed sum over offsets: sum_{dy,dx} (n-|dy|)(n-|dx|) sqrt(dx^2+dy^2) p / n^4.
    for (int n : {3, 5, 8}) {
        double want = 0;
        for (int dy = -(n - 1); dy < n; ++dy)
            for (int dx = -(n - 1); dx < n; ++dx) want += (n - std::abs(dy)) * (n - std::abs(dx)) * std::sqrt(dx * dx + dy * dy);
        want *= 16.0 / std::pow(n, 4);
        EXPECT_NEAR(mean_attention_distance(uniform_attention(n, n, 16, 2))[0], want, 1e-3 * want) << n;
    }
}

TEST(MeanDistance, IdentityAttentionIsZero) {
    AttentionSet a = uniform_attention(4, 5, 16, 1);
    std::fill(a.data.begin(), a.data.end(), 0.0f);
    for (int i = 0; i < a.tokens; ++i) a.matrix(0, 0)[static_cast<size_t>(i) * a.tokens + i] = 1.0f;
    EXPECT_EQ(mean_attention_distance(a)[0], 0.0f);
    EXPECT_EQ(mean_attention_distance_scaled(a, {3.0, 2.0})[0], 0.0f);
}

TEST(MeanDistance, OriginalPixelsScaleEachAxis) {
    // 2 x 2 grid, uniform: offsets (0,0), (p sx, 0), (0, p sy), (p sx, p sy).
    const AttentionSet a = uniform_attention(2, 2, 16, 1);
    const double sx = 2.0, sy = 3.0;
    const double want = 16.0 * (sx + sy + std::sqrt(sx * sx + sy * sy)) / 4.0;
    EXPECT_NEAR(mean_attention_distance_scaled(a, {sx, sy})[0], want, 1e-4);
    EXPECT_EQ(mean_attention_distance_scaled(a, {1.0, 1.0}), mean_attention_distance(a));
    const MeanDistances m = mean_distances(a, {2.0, 2.0});
    EXPECT_NEAR(m.original_px[0], 2.0 * m.model_px[0], 1e-4);
}

TEST(MeanDistance, ScaleFromModelInputToOriginal) {
    // Crop: the shorter side fits, one factor for both axes.
    PixelScale s = original_pixel_scale(640, 480, 224, 224, VitResize::ShorterSideCrop);
    EXPECT_NEAR(s.x, 480.0 / 224.0, 1e-12);
    EXPECT_NEAR(s.y, 480.0 / 224.0, 1e-12);
    // Whole: each axis stretched on its own.
    s = original_pixel_scale(640, 480, 224, 224, VitResize::Whole);
    EXPECT_NEAR(s.x, 640.0 / 224.0, 1e-12);
    EXPECT_NEAR(s.y, 480.0 / 224.0, 1e-12);
}

TEST(FourierMeasure, RanksACheckerboardAboveASmoothRamp) {
    for (int n : {7, 14}) {
        std::mt19937 rng(5);
        std::normal_distribution<float> noise(0.0f, 1e-3f);
        const std::vector<float> checker = token_map(n, n, 6, [&](int c, int y, int x) {
            return (1.0f + 0.2f * c) * ((x + y) % 2 ? 1.0f : -1.0f) + noise(rng);
        });
        const std::vector<float> ramp = token_map(n, n, 6, [&](int c, int y, int x) {
            return (1.0f + 0.2f * c) * static_cast<float>(x + y) / n + noise(rng);
        });
        const FourierProfile pc = fourier_profile(checker, 6, test::layout_with_cls(n, n));
        const FourierProfile pr = fourier_profile(ramp, 6, test::layout_with_cls(n, n));
        EXPECT_GT(pc.high_frequency(), pr.high_frequency() + 1.0f) << n;
        EXPECT_EQ(pc.size, n - n / 2);
    }
}

TEST(FourierMeasure, ProfileEqualsTheFullLogAmplitudeOnTheDiagonal) {
    // fourier_profile computes only the diagonal bins; they must be log_amplitude's.
    std::mt19937 rng(9);
    std::normal_distribution<float> n(0, 1);
    for (auto [gh, gw] : {std::pair{5, 6}, std::pair{14, 14}, std::pair{7, 4}}) {
        const std::vector<float> t = token_map(gh, gw, 5, [&](int, int, int) { return n(rng); });
        const std::vector<float> l = log_amplitude(t, 5, test::layout_with_cls(gh, gw));
        const FourierProfile p = fourier_profile(t, 5, test::layout_with_cls(gh, gw));
        ASSERT_EQ(p.size, std::min(gh - gh / 2, gw - gw / 2));
        const float centre = l[static_cast<size_t>(gh / 2) * gw + gw / 2];
        for (int k = 0; k < p.size; ++k)
            EXPECT_NEAR(p.delta[k], l[static_cast<size_t>(gh / 2 + k) * gw + gw / 2 + k] - centre, 1e-4f) << gh << "x" << gw << " k " << k;
    }
}

TEST(KernelSpectrum, UniformAttentionIsAllDcAndLaplacianIsHigh) {
    const std::vector<float> uniform(14 * 14, 1.0f / 196);
    const KernelSpectrum su = kernel_spectrum(uniform, 14, 14);
    EXPECT_NEAR(su.high_frequency_share, 0.0, 1e-12);
    EXPECT_NEAR(su.amplitude[7 * 14 + 7], 1.0f, 1e-5f);  // DC at the centre after fftshift
    EXPECT_NEAR(su.amplitude[0], 0.0f, 1e-5f);

    const KernelSpectrum sl = kernel_spectrum(kernel_on_grid(make_filter("laplacian"), 14, 14), 14, 14);
    EXPECT_GT(sl.high_frequency_share, 0.5);
    EXPECT_NEAR(sl.amplitude[7 * 14 + 7], 0.0f, 1e-5f);  // sum 0: no DC
    const KernelSpectrum sg = kernel_spectrum(kernel_on_grid(make_filter("gaussian", 1.0f), 14, 14), 14, 14);
    EXPECT_LT(sg.high_frequency_share, 0.1);
}

TEST(KernelSpectrum, DeltaSpreadsEvenlySoTheShareCountsBins) {
    std::vector<float> delta(8 * 8, 0.0f);
    delta[3 * 8 + 5] = 1.0f;
    const KernelSpectrum s = kernel_spectrum(delta, 8, 8);
    int high = 0;
    for (int v = -4; v < 4; ++v)
        for (int u = -4; u < 4; ++u) high += std::sqrt((v / 8.0) * (v / 8.0) + (u / 8.0) * (u / 8.0)) > 0.25;
    EXPECT_NEAR(s.high_frequency_share, high / 64.0, 1e-12);
    for (float a : s.amplitude) EXPECT_NEAR(a, 1.0f, 1e-5f);
}

TEST(KernelSpectrum, ConvKernelOnTheGrid) {
    const ConvKernel sob = make_filter("sobel_x");
    const std::vector<float> g = kernel_on_grid(sob, 6, 6);
    // Centre tap at (3, 3).
    for (int v = 0; v < 3; ++v)
        for (int u = 0; u < 3; ++u) EXPECT_EQ(g[static_cast<size_t>(2 + v) * 6 + 2 + u], sob.at(v, u));
    // A kernel larger than the grid wraps around: the sum is kept (the DC response).
    const std::vector<float> tiny = kernel_on_grid(make_filter("box5"), 2, 2);
    double sum = 0;
    for (float v : tiny) sum += v;
    EXPECT_NEAR(sum, 1.0, 1e-6);
}

TEST(FourierBySubBlock, ForwardPassKeepsInputMsaAndMlpMaps) {
    const VitModel m = load_vit(test::fixture("vit/p16_h2/timm/model.safetensors"));
    const VitOutput o = run_vit(m, load_image(test::fixture("vit/p16_h2/image.png")), VitResize::ShorterSideCrop);
    const int L = m.config.layers, D = o.dim, N = o.attention.tokens;
    ASSERT_EQ(m.config.activation, VitActivation::GeluErf);
    ASSERT_EQ(o.msa_outputs.size(), static_cast<size_t>(L));
    ASSERT_EQ(o.input_tokens.size(), static_cast<size_t>(N) * D);
    // Each block: mlp_out = msa_out + fc2(gelu(fc1(LN2(msa_out)))), the MLP residual,
    // recomputed here with plain loops from the recorded MSA output.
    for (int l = 0; l < L; ++l) {
        const VitBlockWeights& b = m.weights.blocks[static_cast<size_t>(l)];
        const int M = m.weights.mlp;
        for (int t = 0; t < N; ++t) {
            const float* x = o.msa_outputs[static_cast<size_t>(l)].data() + static_cast<size_t>(t) * D;
            double mean = 0, var = 0;
            for (int d = 0; d < D; ++d) mean += x[d];
            mean /= D;
            for (int d = 0; d < D; ++d) var += (x[d] - mean) * (x[d] - mean);
            var /= D;
            std::vector<double> h(D), a(M);
            for (int d = 0; d < D; ++d) h[d] = (x[d] - mean) / std::sqrt(var + m.config.ln_eps) * b.ln2_w[d] + b.ln2_b[d];
            for (int j = 0; j < M; ++j) {
                double s = b.fc1_b.empty() ? 0.0 : b.fc1_b[j];
                for (int d = 0; d < D; ++d) s += b.fc1_w[static_cast<size_t>(j) * D + d] * h[d];
                a[j] = 0.5 * s * (1.0 + std::erf(s / std::sqrt(2.0)));
            }
            for (int d = 0; d < D; ++d) {
                double s = b.fc2_b.empty() ? 0.0 : b.fc2_b[d];
                for (int j = 0; j < M; ++j) s += b.fc2_w[static_cast<size_t>(d) * M + j] * a[j];
                if (!b.ls2.empty()) s *= b.ls2[d];
                EXPECT_NEAR(o.block_outputs[static_cast<size_t>(l)][static_cast<size_t>(t) * D + d], x[d] + s, 2e-4)
                    << "block " << l << " token " << t << " dim " << d;
            }
        }
    }
    const std::vector<SubBlockProfile> sb = fourier_by_sub_block(o);
    ASSERT_EQ(sb.size(), static_cast<size_t>(1 + 2 * L));
    EXPECT_EQ(sb[0].block, -1);
    EXPECT_EQ(sb[0].part, SubBlock::Input);
    for (int l = 0; l < L; ++l) {
        EXPECT_EQ(sb[1 + 2 * l].part, SubBlock::Msa);
        EXPECT_EQ(sb[2 + 2 * l].part, SubBlock::Mlp);
        EXPECT_EQ(sb[2 + 2 * l].block, l);
        EXPECT_EQ(sb[2 + 2 * l].profile.delta, fourier_profile(o.block_outputs[l], D, o.attention.layout).delta);
    }
    EXPECT_EQ(std::string(sub_block_name(SubBlock::Msa)), "msa");
    EXPECT_EQ(sub_block_from_name("mlp"), SubBlock::Mlp);
}

TEST(AnalysisTotals, LayerListsAndRunningSums) {
    EXPECT_EQ(parse_layer_list("", 4), (std::vector<int>{0, 1, 2, 3}));
    EXPECT_EQ(parse_layer_list("3,0-1,1", 4), (std::vector<int>{0, 1, 3}));
    EXPECT_THROW(parse_layer_list("4", 4), InputError);
    EXPECT_THROW(parse_layer_list("2-1", 4), InputError);
    EXPECT_THROW(parse_layer_list("x", 4), InputError);
    RunningSum a, b, all;
    for (double v : {1.0, 2.0, 4.0}) { a.add(v); all.add(v); }
    for (double v : {8.0, 16.0}) { b.add(v); all.add(v); }
    a.add(b);
    EXPECT_EQ(a.n, 5);
    EXPECT_DOUBLE_EQ(a.mean(), all.mean());
    EXPECT_NEAR(a.stddev(), all.stddev(), 1e-12);
    EXPECT_NEAR(all.stddev(), std::sqrt((1 + 4 + 16 + 64 + 256) / 5.0 - 6.2 * 6.2), 1e-12);
    EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    // Spreadsheet formulas neutralised (OWASP), a leading ' escaped so the text round-trips.
    EXPECT_EQ(csv_field("=1+2"), "'=1+2");
    EXPECT_EQ(csv_field("+1"), "'+1");
    EXPECT_EQ(csv_field("-1"), "'-1");
    EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(csv_field("\tx"), "'\tx");
    EXPECT_EQ(csv_field("\rx"), "\"'\rx\"");
    EXPECT_EQ(csv_field("'quoted"), "''quoted");
    EXPECT_EQ(csv_field("line\nbreak"), "\"line\nbreak\"");  // kept exactly (RFC 4180)
    for (const std::string& v : {std::string("=1+2"), std::string("'x"), std::string("''=y"), std::string("plain"), std::string("-")}) {
        const std::vector<CsvRecord> r = csv_records(csv_field(v) + ",1\n", "t");
        ASSERT_EQ(r.size(), 1u);
        EXPECT_EQ(csv_text_value(r[0].fields[0]), v);
    }
    // Records: a quoted line break stays in its field; CRLF ends a record; an open quote is refused.
    const std::vector<CsvRecord> r = csv_records("a,\"b\nc\"\r\nd,e\n", "t");
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].fields[1], "b\nc");
    EXPECT_EQ(r[0].raw, "a,\"b\nc\"");
    EXPECT_EQ(r[1].fields[0], "d");
    EXPECT_THROW(csv_records("a,\"b\n", "t"), InputError);
}

static AnalysisShape analysis_shape_of(const AnalysisTotals& t) { return {t.layers, t.heads, t.fourier_k, t.layers_kept, t.images}; }

TEST(AnalysisTotals, CsvRoundTrip) {
    const VitModel m = load_vit(test::fixture("vit/p16_h2/timm/model.safetensors"));
    AnalysisTotals t;
    const VitConfig& c = m.config;
    t.init(c.layers, c.heads, c.grid_h - c.grid_h / 2, {});
    // Names a spreadsheet would run, and one with a line break, kept exactly; a run adds
    // its images in byte order of their names, as here.
    const VitOutput o = run_vit(m, test::random_image(80, 64, 3), VitResize::ShorterSideCrop);
    t.add(analyse_image("=HYPERLINK(\"x\")\nsecond line.png", o, 80, 64, VitResize::ShorterSideCrop));
    for (unsigned seed : {1u, 2u}) {
        const VitOutput oi = run_vit(m, test::random_image(80, 64, seed), VitResize::ShorterSideCrop);
        t.add(analyse_image("img, " + std::to_string(seed) + ".png", oi, 80, 64, VitResize::ShorterSideCrop));
    }
    const AnalysisTotals back = read_analysis_csvs(mean_distance_csv(t), fourier_csv(t), per_image_csv(t), analysis_shape_of(t));
    EXPECT_EQ(mean_distance_csv(back), mean_distance_csv(t));
    EXPECT_EQ(fourier_csv(back), fourier_csv(t));
    EXPECT_EQ(per_image_csv(back), per_image_csv(t));
    EXPECT_EQ(back.images, 3);
    EXPECT_NE(per_image_csv(t).find("\"'=HYPERLINK(\"\"x\"\")\nsecond line.png\",0,0,"), std::string::npos) << per_image_csv(t);
}

TEST(AnalysisTotals, AMergedPerImageRowIsCheckedBeforeItIsCopied) {
    const VitModel m = load_vit(test::fixture("vit/p16_h2/timm/model.safetensors"));
    AnalysisTotals t;
    t.init(m.config.layers, m.config.heads, m.config.grid_h - m.config.grid_h / 2, {});
    t.add(analyse_image("a.png", run_vit(m, test::random_image(80, 64, 1), VitResize::ShorterSideCrop), 80, 64,
                        VitResize::ShorterSideCrop));
    const std::string md = mean_distance_csv(t), fo = fourier_csv(t), pi = per_image_csv(t);
    for (const std::string& junk : {std::string("just some words\n"), std::string("=HYPERLINK(\"http://x\"),0,0,1,2\n"),
                                    std::string("b.png,0,0,1\n"), std::string("b.png,7,0,1,2\n"),
                                    std::string("b.png,0,0,1,nan\n"), std::string("b\0.png,0,0,1,2\n", 15),
                                    std::string("\"b.png,0,0,1,2\n")})
        EXPECT_THROW(read_analysis_csvs(md, fo, pi + junk, analysis_shape_of(t)), InputError) << junk;
    EXPECT_NO_THROW(read_analysis_csvs(md, fo, pi, analysis_shape_of(t)));
}
