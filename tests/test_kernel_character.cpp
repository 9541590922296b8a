// Filter descriptions come from the kernel itself: its sum, signs and frequency response.
#include <gtest/gtest.h>

#include <cmath>

#include "conv/conv_filters.h"
#include "conv/kernel_character.h"

using namespace ks;

TEST(KernelCharacter, BankFiltersAreClassifiedByTheirFrequencyResponse) {
    EXPECT_EQ(describe_kernel(make_filter("box3")).band, PassBand::LowPass);
    EXPECT_EQ(describe_kernel(make_filter("gaussian")).band, PassBand::LowPass);
    EXPECT_EQ(describe_kernel(make_filter("laplacian")).band, PassBand::HighPass);
    EXPECT_EQ(describe_kernel(make_filter("sharpen")).band, PassBand::HighPass);
    EXPECT_EQ(describe_kernel(make_filter("identity")).band, PassBand::AllPass);
    // A derivative with smoothing is zero at DC and at Nyquist along x: band-pass.
    EXPECT_EQ(describe_kernel(make_filter("sobel_x")).band, PassBand::BandPass);
    for (const char* g : {"gabor0", "gabor45", "gabor90", "gabor135"}) EXPECT_EQ(describe_kernel(make_filter(g)).band, PassBand::BandPass) << g;
}

TEST(KernelCharacter, SentenceStatesSumAndSignsRoundedForDisplay) {
    const KernelCharacter g = describe_kernel(make_filter("gabor0"));
    EXPECT_NE(g.sentence.find("sum 0:"), std::string::npos) << g.sentence;  // 2.2e-07 is 0 at display precision
    EXPECT_NE(g.sentence.find("band-pass"), std::string::npos);
    const KernelCharacter s = describe_kernel(make_filter("sharpen"));
    EXPECT_NE(s.sentence.find("Signed, sum 1:"), std::string::npos) << s.sentence;
    EXPECT_NE(s.sentence.find("high-pass"), std::string::npos);
    const KernelCharacter b = describe_kernel(make_filter("box3"));
    EXPECT_NE(b.sentence.find("Non-negative, sum 1: a weighted average, low-pass"), std::string::npos) << b.sentence;
    const KernelCharacter z = describe_kernel(user_kernel(std::vector<float>(9, 0.0f)));
    EXPECT_EQ(z.band, PassBand::Zero);
    EXPECT_EQ(z.sentence, "All zero: it responds to nothing.");
}

TEST(KernelCharacter, ResponseValuesAreTheDftMagnitudes) {
    // Laplacian: H = -4 + 2 cos wx + 2 cos wy: 0 at DC; at Nyquist the ring's max is on
    // the diagonal (pi/sqrt2, pi/sqrt2): |-4 + 4 cos(pi/sqrt2)|.
    const KernelCharacter l = describe_kernel(make_filter("laplacian"));
    EXPECT_NEAR(l.dc, 0.0, 1e-9);
    EXPECT_NEAR(l.nyquist, std::fabs(-4.0 + 4.0 * std::cos(3.14159265358979 / std::sqrt(2.0))), 1e-3);
    // A learned-style RGB kernel is judged on the sum of its channels.
    ConvKernel rgb;
    rgb.size = 1;
    rgb.channels = 3;
    rgb.w = {0.2f, 0.3f, -0.01f};
    const KernelCharacter c = describe_kernel(rgb);
    EXPECT_NEAR(c.sum, 0.49, 1e-6);
    EXPECT_EQ(c.band, PassBand::AllPass);
    EXPECT_TRUE(c.negative && c.positive);
}

// A mild blur sits between the bands: [0.1, 0.8, 0.1] in x and y has H(w) =
// (0.8 + 0.2 cos wx)(0.8 + 0.2 cos wy): 1 at DC, 0.8 at mid and 0.6 at Nyquist (the
// rings' largest values lie on the axes). It keeps more than half of DC at Nyquist, so
// it is not low-pass; 0.6 is under 0.7 of the peak, so not all-pass either: mixed.
// (A low-pass bar at 0.7 of DC instead of 0.5 would call it low-pass.)
TEST(KernelCharacter, AMildSeparableBlurReadsMixed) {
    const float t[3] = {0.1f, 0.8f, 0.1f};
    std::vector<float> w;
    for (float a : t)
        for (float b : t) w.push_back(a * b);
    const KernelCharacter c = describe_kernel(user_kernel(w));
    EXPECT_NEAR(c.dc, 1.0, 1e-6);
    EXPECT_NEAR(c.mid, 0.8, 1e-6);
    EXPECT_NEAR(c.nyquist, 0.6, 1e-6);
    EXPECT_EQ(c.band, PassBand::Mixed);
    EXPECT_EQ(c.sentence, "Non-negative, sum 1: mixed frequency response (|H| 1 at DC, 0.8 at mid, 0.6 at Nyquist).");
}
