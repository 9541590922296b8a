#include <gtest/gtest.h>

#include <cmath>

#include "analysis/measures.h"
#include "attention/view_extras.h"  // attention_mass_mask

using namespace ks;

TEST(KernelChange, IsHalfTheL1Distance) {
    const std::vector<float> a = {0.5f, 0.5f, 0.0f}, b = {0.0f, 0.5f, 0.5f}, c = {0, 0, 1};
    EXPECT_DOUBLE_EQ(kernel_change(a, a), 0.0);
    EXPECT_NEAR(kernel_change(a, b), 0.5, 1e-7);
    EXPECT_NEAR(kernel_change(std::vector<float>{1, 0, 0}, c), 1.0, 1e-7);  // disjoint: the maximum
    EXPECT_THROW(kernel_change(a, std::vector<float>{1}), std::invalid_argument);
}

TEST(KernelChange, AbsNormalisedConvKernelIsADistribution) {
    const std::vector<float> w = abs_normalised(make_filter("sobel_x"));
    double s = 0;
    for (float v : w) { EXPECT_GE(v, 0); s += v; }
    EXPECT_NEAR(s, 1.0, 1e-6);
    EXPECT_FLOAT_EQ(w[3], 0.25f);  // |-2| / 8
}

TEST(MassThreshold, SmallestSetReachingT) {
    const float w[] = {0.1f, 0.4f, 0.05f, 0.3f, 0.15f};
    auto m = attention_mass_mask(w, 5, 0.6f);  // 0.4 + 0.3 = 0.7 >= 0.6 with two patches
    EXPECT_EQ(m, (std::vector<unsigned char>{0, 1, 0, 1, 0}));
    m = attention_mass_mask(w, 5, 0.7f);       // exactly reached by the same two... within float
    EXPECT_LE(std::count(m.begin(), m.end(), 1), 3);
    m = attention_mass_mask(w, 5, 0.0f);
    EXPECT_EQ(std::count(m.begin(), m.end(), 1), 0);
    m = attention_mass_mask(w, 5, 1.0f);
    EXPECT_GE(std::count(m.begin(), m.end(), 1), 4);
    m = attention_mass_mask(w, 5, 0.41f);      // 0.4 alone is not enough
    EXPECT_EQ(m, (std::vector<unsigned char>{0, 1, 0, 1, 0}));
}

TEST(RowStats, EntropyAndSupport) {
    const float uniform[] = {0.25f, 0.25f, 0.25f, 0.25f};
    const RowStats s = row_stats(uniform, 4);
    EXPECT_NEAR(s.entropy, std::log(4.0), 1e-6);
    EXPECT_EQ(s.support, 4);
    EXPECT_FLOAT_EQ(s.sum, 1.0f);
    const float peaked[] = {0.0f, 1.0f, 0.0f};
    const RowStats p = row_stats(peaked, 3);
    EXPECT_DOUBLE_EQ(p.entropy, 0.0);
    EXPECT_EQ(p.support, 1);
    EXPECT_EQ(p.argmax, 1);
    const float signed_w[] = {-1.0f, 0.0f, 2.0f};
    const RowStats q = row_stats(signed_w, 3);
    EXPECT_FLOAT_EQ(q.min, -1.0f);
    EXPECT_FLOAT_EQ(q.max, 2.0f);
    EXPECT_EQ(q.support, 2);
}
