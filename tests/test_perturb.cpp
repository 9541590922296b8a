#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>

#include "image/perturb.h"
#include "kernels/noise.h"
#include "kernels/vmath.h"

namespace {

ks::Image ramp(int w, int h) {
    ks::Image img;
    img.width = w;
    img.height = h;
    img.rgb.resize(static_cast<size_t>(w) * h * 3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c) img.at(x, y, c) = (x + 2 * y + c) / static_cast<float>(w + 2 * h + 3);
    return img;
}

}  // namespace

TEST(Perturb, IdentityLeavesImageUnchanged) {
    const ks::Image img = ramp(9, 7);
    ks::Perturbation p;
    EXPECT_TRUE(p.is_identity());
    const ks::Image out = ks::apply_perturbation(img, p);
    EXPECT_EQ(out.rgb, img.rgb);
}

TEST(Perturb, TranslateBlackMovesContentAndFillsZero) {
    const ks::Image img = ramp(8, 6);
    const ks::Image out = ks::translate(img, 2, 1, ks::TranslateFill::Black);
    for (int c = 0; c < 3; ++c) {
        EXPECT_FLOAT_EQ(out.at(2, 1, c), img.at(0, 0, c));
        EXPECT_FLOAT_EQ(out.at(7, 5, c), img.at(5, 4, c));
        EXPECT_FLOAT_EQ(out.at(0, 3, c), 0.0f);
        EXPECT_FLOAT_EQ(out.at(4, 0, c), 0.0f);
    }
}

TEST(Perturb, TranslateWrapIsInvertible) {
    const ks::Image img = ramp(8, 6);
    const ks::Image there = ks::translate(img, -3, 11, ks::TranslateFill::Wrap);
    const ks::Image back = ks::translate(there, 3, -11, ks::TranslateFill::Wrap);
    EXPECT_EQ(back.rgb, img.rgb);
}

TEST(Perturb, TranslateEdgeRepeatsBorder) {
    const ks::Image img = ramp(5, 4);
    const ks::Image out = ks::translate(img, 2, 0, ks::TranslateFill::Edge);
    EXPECT_FLOAT_EQ(out.at(0, 2, 1), img.at(0, 2, 1));
    EXPECT_FLOAT_EQ(out.at(1, 2, 1), img.at(0, 2, 1));
    EXPECT_FLOAT_EQ(out.at(4, 2, 1), img.at(2, 2, 1));
}

TEST(Perturb, BrightnessContrastFormulaAndClamp) {
    ks::Image img = ramp(4, 4);
    img.at(0, 0, 0) = 0.25f;
    img.at(1, 0, 0) = 0.9f;
    const ks::Image out = ks::brightness_contrast(img, 0.1f, 2.0f);
    EXPECT_NEAR(out.at(0, 0, 0), (0.25f - 0.5f) * 2.0f + 0.6f, 1e-6);
    EXPECT_FLOAT_EQ(out.at(1, 0, 0), 1.0f);  // 1.4 clamped
    for (float v : out.rgb) {
        EXPECT_GE(v, 0.0f);
        EXPECT_LE(v, 1.0f);
    }
}

TEST(Perturb, NoiseIsSeededAndHasRoughlyTheRequestedSigma) {
    ks::Image flat;
    flat.width = 128;
    flat.height = 128;
    flat.rgb.assign(128 * 128 * 3, 0.5f);
    const ks::Image a = ks::add_gaussian_noise(flat, 0.05f, 7);
    const ks::Image b = ks::add_gaussian_noise(flat, 0.05f, 7);
    const ks::Image c = ks::add_gaussian_noise(flat, 0.05f, 8);
    EXPECT_EQ(a.rgb, b.rgb);
    EXPECT_NE(a.rgb, c.rgb);
    double mean = 0, var = 0;
    for (float v : a.rgb) mean += v;
    mean /= a.rgb.size();
    for (float v : a.rgb) var += (v - mean) * (v - mean);
    var /= a.rgb.size();
    EXPECT_NEAR(mean, 0.5, 0.005);
    EXPECT_NEAR(std::sqrt(var), 0.05, 0.003);
    EXPECT_EQ(ks::add_gaussian_noise(flat, 0.0f, 7).rgb, flat.rgb);
}

TEST(Perturb, NoiseIsGaussianAndTheSameOnAnyNumberOfThreads) {
    // 3 million values at sigma 0.02 about 0.5 (no clamping): the share beyond 1, 2 and
    // 3 sigma is the normal distribution's (31.73%, 4.55%, 0.27%), the odd moments 0.
    ks::Image flat;
    flat.width = 1000;
    flat.height = 1000;
    flat.rgb.assign(size_t(3) * 1000 * 1000, 0.5f);
    const ks::Image a = ks::add_gaussian_noise(flat, 0.02f, 3);
    double beyond[4] = {0, 0, 0, 0}, m1 = 0, m3 = 0;
    for (float v : a.rgb) {
        const double z = (v - 0.5) / 0.02;
        m1 += z;
        m3 += z * z * z;
        for (int k = 1; k <= 3; ++k) beyond[k] += std::fabs(z) > k;
    }
    const double n = static_cast<double>(a.rgb.size());
    EXPECT_NEAR(beyond[1] / n, 0.3173, 0.002);
    EXPECT_NEAR(beyond[2] / n, 0.0455, 0.001);
    EXPECT_NEAR(beyond[3] / n, 0.0027, 0.0003);
    EXPECT_NEAR(m1 / n, 0.0, 0.005);
    EXPECT_NEAR(m3 / n, 0.0, 0.02);
    // A large image is split over the threads: one thread gives the same values.
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    const ks::Image one = ks::add_gaussian_noise(flat, 0.02f, 3);
    omp_set_num_threads(threads);
    EXPECT_EQ(one.rgb, a.rgb);
}

TEST(Perturb, OcclusionIsClippedToImage) {
    const ks::Image img = ramp(6, 6);
    ks::PixelRect r{4, -2, 10, 4};
    const ks::Image out = ks::occlude(img, r, 0.25f);
    for (int y = 0; y < 6; ++y)
        for (int x = 0; x < 6; ++x) {
            const bool inside = x >= 4 && y < 2;
            EXPECT_FLOAT_EQ(out.at(x, y, 2), inside ? 0.25f : img.at(x, y, 2)) << x << "," << y;
        }
}

TEST(Perturb, ApplyOrderOcclusionAfterTranslation) {
    const ks::Image img = ramp(8, 8);
    ks::Perturbation p;
    p.dx = 3;
    p.occlusion = {0, 0, 2, 2};
    p.occlusion_value = 1.0f;
    const ks::Image out = ks::apply_perturbation(img, p);
    // The occlusion is where the user drew it on the output, not moved with the content.
    EXPECT_FLOAT_EQ(out.at(0, 0, 0), 1.0f);
    EXPECT_FLOAT_EQ(out.at(1, 1, 0), 1.0f);
    EXPECT_FLOAT_EQ(out.at(2, 1, 0), 0.0f);  // black fill from the translation
    EXPECT_FLOAT_EQ(out.at(5, 5, 0), img.at(2, 5, 0));
}

TEST(Perturb, TheNoiseKernelsMathsMatchLibm) {
    // log_v against std::log over many decades; the quantile against a double-precision
    // bisection of the normal CDF (erfc), tails included.
    for (float x = 1e-7f; x < 1e6f; x *= 1.37f) EXPECT_NEAR(ks::kernels::log_v(x), std::log(x), 2e-6 * (1 + std::fabs(std::log(x))));
    for (double p : {1e-7, 1e-4, 0.01, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97575, 0.999, 1 - 1e-5}) {
        double lo = -10, hi = 10;
        for (int it = 0; it < 200; ++it) {
            const double mid = 0.5 * (lo + hi);
            (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
        }
        // float holds 1 - p to about 1e-7 absolute, so far tails are good to a few 1e-4;
        // a wrong coefficient is off by far more.
        EXPECT_NEAR(ks::kernels::normal_quantile(static_cast<float>(p)), lo, 5e-4 * (1 + std::fabs(lo))) << p;
    }
}
