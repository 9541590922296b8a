#include <gtest/gtest.h>

#include <random>

#include "analysis/fourier.h"
#include "io/npy.h"
#include "test_support.h"

using namespace ks;

namespace {

TokenLayout layout_5x6() {
    TokenLayout l;
    l.prefix_names = {"cls"};
    l.grid_h = 5;
    l.grid_w = 6;
    l.patch = 16;
    return l;
}

}  // namespace

TEST(Fourier, LogAmplitudeMatchesTorchFft) {
    const NpyArray tokens = read_npy(test::fixture("core/fourier_tokens.npy"));
    const NpyArray want = read_npy(test::fixture("core/fourier_log_amplitude.npy"));
    const std::vector<float> got = log_amplitude(tokens.data, 8, layout_5x6());
    ASSERT_EQ(got.size(), want.data.size());
    for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want.data[i], 1e-4f) << i;
}

TEST(Fourier, DiagonalProfileFromTheCentre) {
    const NpyArray tokens = read_npy(test::fixture("core/fourier_tokens.npy"));
    const NpyArray l = read_npy(test::fixture("core/fourier_log_amplitude.npy"));
    const FourierProfile p = fourier_profile(tokens.data, 8, layout_5x6());
    ASSERT_EQ(p.size, 3);  // centre (2, 3); k = 0, 1, 2 stay inside the 5 x 6 map
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(p.delta[k], l.data[(2 + k) * 6 + 3 + k] - l.data[2 * 6 + 3], 1e-4f);
    EXPECT_FLOAT_EQ(p.delta[0], 0.0f);
    EXPECT_FLOAT_EQ(p.high_frequency(), p.delta[2]);
}

TEST(Fourier, SmoothMapsHaveLessHighFrequencyThanNoise) {
    const TokenLayout lay = layout_5x6();
    std::mt19937 rng(3);
    std::normal_distribution<float> n(0, 1);
    std::vector<float> noise((1 + 30) * 4), smooth((1 + 30) * 4);
    for (float& v : noise) v = n(rng);
    for (int t = 0; t < 31; ++t)
        for (int c = 0; c < 4; ++c) smooth[t * 4 + c] = 1.0f + 0.01f * c + 0.001f * n(rng);  // nearly constant
    EXPECT_LT(fourier_profile(smooth, 4, lay).high_frequency(), fourier_profile(noise, 4, lay).high_frequency() - 3.0f);
}
