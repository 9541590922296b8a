#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "image/image.h"
#include "analysis/measures.h"
#include "io/npy.h"
#include "attention/similarity_attention.h"
#include "attention/softmax.h"
#include "test_support.h"

using namespace ks;

namespace {

void expect_rows_stochastic(const AttentionSet& a) {
    for (int i = 0; i < a.tokens; ++i) {
        const float* r = a.row(0, 0, i);
        double sum = 0;
        for (int j = 0; j < a.tokens; ++j) {
            ASSERT_GE(r[j], 0.0f);
            sum += r[j];
        }
        ASSERT_NEAR(sum, 1.0, 1e-5) << "row " << i;
    }
}

}  // namespace

TEST(SimilarityAttention, RowsAreNonNegativeAndSumToOne) {
    const Image img = load_image(test::sample("coffee.png"));
    for (Score score : {Score::Dot, Score::Cosine}) {
        for (Projection proj : {Projection::Identity, Projection::Random}) {
            SimilarityParams p;
            p.patch = 16;
            p.tau = 0.05f;
            p.lambda = 0.5f;
            p.score = score;
            p.projection = proj;
            const AttentionSet a = similarity_attention(img, p);
            EXPECT_EQ(a.layers, 1);
            EXPECT_EQ(a.heads, 1);
            EXPECT_EQ(a.tokens, a.layout.num_patches());
            EXPECT_EQ(a.layout.num_prefix(), 0);
            expect_rows_stochastic(a);
        }
    }
}

TEST(SimilarityAttention, LayoutFollowsThePatchGrid) {
    SimilarityParams p;
    p.patch = 8;
    const AttentionSet a = similarity_attention(test::random_image(40, 24, 1), p);
    EXPECT_EQ(a.layout.grid_w, 5);
    EXPECT_EQ(a.layout.grid_h, 3);
    EXPECT_EQ(a.layout.patch, 8);
    EXPECT_EQ(a.tokens, 15);
}

TEST(SimilarityAttention, CosineIdentityGivesTheQueryItsRowMaximum) {
    const Image img = load_image(test::sample("astronaut.png"));
    SimilarityParams p;
    p.patch = 16;
    p.score = Score::Cosine;
    p.projection = Projection::Identity;
    p.lambda = 0.3f;
    const AttentionSet a = similarity_attention(img, p);
    for (int i = 0; i < a.tokens; ++i) {
        const float* r = a.row(0, 0, i);
        const float self = r[i];
        for (int j = 0; j < a.tokens; ++j) ASSERT_LE(r[j], self) << "query " << i << " key " << j;
    }
}

TEST(SimilarityAttention, SoftmaxMatchesTorch) {
    // torch.softmax(scores / 0.5, dim=1) from tools/make_core_fixtures.py.
    const NpyArray s = read_npy(test::fixture("core/softmax_scores.npy"));
    const NpyArray want = read_npy(test::fixture("core/softmax_rows.npy"));
    const int n = static_cast<int>(s.shape[0]);
    std::vector<float> m = s.data;
    for (float& v : m) v /= 0.5f;
    softmax_rows(m.data(), n, n);
    for (size_t i = 0; i < m.size(); ++i) EXPECT_NEAR(m[i], want.data[i], 1e-6f) << i;
}

TEST(SimilarityAttention, DotScoreEqualsScaledTokenProducts) {
    // Recompute one row from the token features: a_ij = softmax_j(x_i . x_j / tau).
    const Image img = test::random_image(32, 16, 5);
    SimilarityParams p;
    p.patch = 8;
    p.score = Score::Dot;
    p.tau = 0.7f;
    p.lambda = 1.0f;
    const AttentionSet a = similarity_attention(img, p);
    const PatchGrid g = fit_patch_grid(img.width, img.height, p.patch);
    int d = 0;
    const std::vector<float> x = patch_tokens(resize_to_grid(img, g), g, p.lambda, &d);
    const int n = a.tokens, q = 3;
    std::vector<double> s(n);
    double m = -1e30, sum = 0;
    for (int j = 0; j < n; ++j) {
        double dot = 0;
        for (int k = 0; k < d; ++k) dot += static_cast<double>(x[q * d + k]) * x[j * d + k];
        s[j] = dot / p.tau;
        m = std::max(m, s[j]);
    }
    for (int j = 0; j < n; ++j) sum += std::exp(s[j] - m);
    for (int j = 0; j < n; ++j) EXPECT_NEAR(a.row(0, 0, q)[j], std::exp(s[j] - m) / sum, 1e-5);
}

// Without projections the scores are computed as a symmetric product (block rows from
// the diagonal rightwards, the rest mirrored). With 500 tokens that is two block rows
// and many mirrored tiles: every row, above and below the diagonal, must still be the
// softmax of its own scores, for the dot and the cosine score.
TEST(SimilarityAttention, SymmetricProductMatchesEveryRowOnManyTokens) {
    const Image img = test::random_image(200, 160, 8);
    for (const Score score : {Score::Dot, Score::Cosine}) {
        SimilarityParams p;
        p.patch = 8;
        p.score = score;
        p.tau = 0.9f;
        p.lambda = 1.0f;
        const AttentionSet a = similarity_attention(img, p);
        const PatchGrid g = fit_patch_grid(img.width, img.height, p.patch);
        int d = 0;
        std::vector<float> x = patch_tokens(resize_to_grid(img, g), g, p.lambda, &d);
        const int n = a.tokens;
        ASSERT_EQ(n, 500);
        std::vector<double> norm(n, 1.0);
        if (score == Score::Cosine)
            for (int i = 0; i < n; ++i) {
                double s2 = 0;
                for (int k = 0; k < d; ++k) s2 += double(x[size_t(i) * d + k]) * x[size_t(i) * d + k];
                norm[i] = s2 > 0 ? std::sqrt(s2) : 1.0;
            }
        double worst = 0;
        std::vector<double> s(n);
        for (int i = 0; i < n; ++i) {
            double m = -1e300, sum = 0;
            for (int j = 0; j < n; ++j) {
                double dot = 0;
                for (int k = 0; k < d; ++k) dot += double(x[size_t(i) * d + k]) * x[size_t(j) * d + k];
                s[j] = dot / (norm[i] * norm[j]) / p.tau;
                m = std::max(m, s[j]);
            }
            for (int j = 0; j < n; ++j) sum += std::exp(s[j] - m);
            for (int j = 0; j < n; ++j) worst = std::max(worst, std::fabs(a.row(0, 0, i)[j] - std::exp(s[j] - m) / sum));
        }
        EXPECT_LT(worst, 1e-5) << (score == Score::Dot ? "dot" : "cosine");
    }
}

TEST(SimilarityAttention, RandomProjectionsAreSeeded) {
    const Image img = test::random_image(48, 48, 9);
    SimilarityParams p;
    p.patch = 8;
    p.projection = Projection::Random;
    p.seed = 42;
    const AttentionSet a = similarity_attention(img, p), b = similarity_attention(img, p);
    EXPECT_EQ(a.data, b.data);
    p.seed = 43;
    const AttentionSet c = similarity_attention(img, p);
    EXPECT_GT(kernel_change(a.row(0, 0, 10), c.row(0, 0, 10), a.tokens), 1e-3);
}

TEST(SimilarityAttention, BadParametersAreRefused) {
    const Image img = test::random_image(32, 32, 1);
    SimilarityParams p;
    p.tau = 0;
    EXPECT_THROW(similarity_attention(img, p), InputError);
    p.tau = 0.1f;
    p.patch = 3;
    EXPECT_THROW(similarity_attention(img, p), InputError);
    p.patch = 33;
    EXPECT_THROW(similarity_attention(img, p), InputError);
}

TEST(DataSpecificity, AttentionKernelChangesWithTheImageConvKernelDoesNot) {
    // Two photos fitted to the same grid: the query's attention row differs, the conv
    // kernel at the same position is the same array for both.
    SimilarityParams p;
    p.patch = 16;
    const Image cat = resize(load_image(test::sample("chelsea.png")), 256, 192);
    const Image cup = resize(load_image(test::sample("coffee.png")), 256, 192);
    const AttentionSet a1 = similarity_attention(cat, p), a2 = similarity_attention(cup, p);
    ASSERT_EQ(a1.tokens, a2.tokens);
    const int q = a1.layout.patch_token(6, 8);
    const double att_change = kernel_change(a1.row(0, 0, q), a2.row(0, 0, q), a1.tokens);
    EXPECT_GT(att_change, 0.05);
    EXPECT_LE(att_change, 1.0);
    for (const auto& name : filter_names()) {
        const ConvKernel k1 = make_filter(name), k2 = make_filter(name);  // "the kernel at p" for image 1 and 2
        EXPECT_EQ(kernel_change(abs_normalised(k1), abs_normalised(k2)), 0.0) << name;
    }
}
