#include <gtest/gtest.h>

#include <cmath>

#include "image/image.h"
#include "attention/views.h"

using namespace ks;

namespace {

// Two layers, two heads, one prefix token and a 1 x 2 patch grid (N = 3).
AttentionSet small_set() {
    AttentionSet a;
    a.resize(2, 2, 3);
    a.layout.prefix_names = {"cls"};
    a.layout.grid_h = 1;
    a.layout.grid_w = 2;
    a.layout.patch = 10;
    const float m[2][2][9] = {{{0.2f, 0.3f, 0.5f, 0.1f, 0.1f, 0.8f, 0.6f, 0.2f, 0.2f},
                               {1.0f, 0.0f, 0.0f, 0.0f, 0.5f, 0.5f, 0.3f, 0.3f, 0.4f}},
                              {{0.1f, 0.8f, 0.1f, 0.2f, 0.2f, 0.6f, 0.0f, 0.0f, 1.0f},
                               {0.4f, 0.4f, 0.2f, 0.3f, 0.3f, 0.4f, 0.5f, 0.25f, 0.25f}}};
    for (int l = 0; l < 2; ++l)
        for (int h = 0; h < 2; ++h) std::copy(m[l][h], m[l][h] + 9, a.matrix(l, h));
    return a;
}

using M3 = std::array<std::array<double, 3>, 3>;
M3 mul(const M3& x, const M3& y) {
    M3 z{};
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 3; ++k) z[i][j] += x[i][k] * y[k][j];
    return z;
}

}  // namespace

TEST(Views, HeadSelectionMeanAndMax) {
    const AttentionSet a = small_set();
    ViewSpec v;
    v.kind = QueryKind::Prefix;
    v.prefix = 0;
    v.layer = 1;
    v.head = 1;
    EXPECT_EQ(view_row(a, v), (std::vector<float>{0.4f, 0.4f, 0.2f}));
    v.reduce = HeadReduce::Mean;
    const auto mean = view_row(a, v);
    EXPECT_NEAR(mean[1], 0.6f, 1e-6f);
    v.reduce = HeadReduce::Max;
    EXPECT_EQ(view_row(a, v), (std::vector<float>{0.4f, 0.8f, 0.2f}));
}

TEST(Views, PatchQueryAndHeatmapDropPrefix) {
    const AttentionSet a = small_set();
    ViewSpec v;
    v.row = 0;
    v.col = 1;  // token 2
    const auto row = view_row(a, v);
    EXPECT_EQ(row, (std::vector<float>{0.6f, 0.2f, 0.2f}));
    EXPECT_EQ(patch_heatmap(row, a.layout), (std::vector<float>{0.2f, 0.2f}));
    v.col = 2;
    EXPECT_THROW(view_row(a, v), InputError);
    v.col = 0;
    v.layer = 2;
    EXPECT_THROW(view_row(a, v), InputError);
}

TEST(Views, RolloutMatchesTheDefinition) {
    const AttentionSet a = small_set();
    M3 r{};
    for (int i = 0; i < 3; ++i) r[i][i] = 1;
    for (int l = 0; l < 2; ++l) {
        M3 abar{};
        for (int i = 0; i < 3; ++i) {
            double s = 0;
            for (int j = 0; j < 3; ++j) {
                abar[i][j] = 0.5 * 0.5 * (a.row(l, 0, i)[j] + a.row(l, 1, i)[j]) + (i == j ? 0.5 : 0.0);
                s += abar[i][j];
            }
            for (int j = 0; j < 3; ++j) abar[i][j] /= s;
        }
        r = mul(abar, r);  // R = Abar_L ... Abar_1
    }
    const std::vector<float> got = attention_rollout(a);
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) EXPECT_NEAR(got[i * 3 + j], r[i][j], 1e-6) << i << "," << j;
    ViewSpec v;
    v.kind = QueryKind::Rollout;
    v.prefix = 0;
    v.layer = -1;
    const auto cls = view_row(a, v);
    for (int j = 0; j < 3; ++j) EXPECT_NEAR(cls[j], r[0][j], 1e-6);
}

TEST(Views, MeanAttentionDistanceInPixels) {
    const AttentionSet a = small_set();
    const std::vector<float> d = mean_attention_distance(a);
    ASSERT_EQ(d.size(), 4u);
    // Layer 0 head 0: patch rows are tokens 1 and 2; patch keys renormalised; the two
    // patch centres are 10 px apart.
    const double q1 = 0.8 / (0.1 + 0.8) * 10.0;  // token 1 attends to token 2 with 0.8 of 0.9
    const double q2 = 0.2 / (0.2 + 0.2) * 10.0;
    EXPECT_NEAR(d[0], (q1 + q2) / 2, 1e-5);
    // Layer 1 head 0: token 2 gives all its patch mass to itself.
    const double r1 = 0.6 / 0.8 * 10.0, r2 = 0.0;
    EXPECT_NEAR(d[2], (r1 + r2) / 2, 1e-5);
}
