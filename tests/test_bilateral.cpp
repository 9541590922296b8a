#include <gtest/gtest.h>

#include <cmath>

#include "conv/bilateral.h"
#include "conv/conv_filters.h"
#include "conv/convolution.h"
#include "analysis/measures.h"
#include "test_support.h"

using namespace ks;

namespace {

Plane constant_plane(int w, int h, float v) {
    Plane p;
    p.width = w;
    p.height = h;
    p.v.assign(static_cast<size_t>(w) * h, v);
    return p;
}

// A vertical step: 0.2 left of column `edge`, 0.8 from it on.
Plane step_plane(int w, int h, int edge) {
    Plane p = constant_plane(w, h, 0.2f);
    for (int y = 0; y < h; ++y)
        for (int x = edge; x < w; ++x) p.at(x, y) = 0.8f;
    return p;
}

// exp(-|u|^2 / 2 s^2) on the (2r+1)^2 window, normalised: the Gaussian of the same
// window (gaussian_kernel's window is 2 ceil(3 s) + 1 and may differ).
std::vector<float> window_gaussian(int r, float s) {
    std::vector<float> g;
    double sum = 0;
    for (int v = -r; v <= r; ++v)
        for (int u = -r; u <= r; ++u) {
            g.push_back(std::exp(-(u * u + v * v) / (2.0f * s * s)));
            sum += g.back();
        }
    for (float& x : g) x = static_cast<float>(x / sum);
    return g;
}

}  // namespace

TEST(Bilateral, KernelIsNonNegativeAndSumsToOne) {
    const Plane lum = luminance(test::random_image(40, 30, 7));
    for (const auto& [x, y] : {std::pair{0, 0}, std::pair{39, 29}, std::pair{17, 11}}) {
        const ConvKernel k = bilateral_kernel_at(lum, x, y, 3, 2.0f, 0.1f);
        ASSERT_EQ(k.size, 7);
        double sum = 0;
        for (float v : k.w) {
            EXPECT_GE(v, 0.0f);
            sum += v;
        }
        EXPECT_NEAR(sum, 1.0, 1e-5);
        EXPECT_EQ(k.name, "bilateral");
    }
}

TEST(Bilateral, OnAConstantImageItIsTheNormalisedGaussian) {
    const Plane lum = constant_plane(20, 20, 0.37f);
    const ConvKernel k = bilateral_kernel_at(lum, 5, 9, 2, 1.5f, 0.05f);
    const auto g = window_gaussian(2, 1.5f);
    ASSERT_EQ(k.w.size(), g.size());
    for (size_t i = 0; i < g.size(); ++i) EXPECT_NEAR(k.w[i], g[i], 1e-6) << i;
    // gaussian_kernel(sigma) with a window of exactly 2r+1 agrees too (sigma 1: k = 7, r = 3).
    const ConvKernel k7 = bilateral_kernel_at(lum, 10, 10, 3, 1.0f, 0.1f);
    const ConvKernel gk = gaussian_kernel(1.0f);
    ASSERT_EQ(gk.size, 7);
    for (size_t i = 0; i < gk.w.size(); ++i) EXPECT_NEAR(k7.w[i], gk.w[i], 1e-6);
}

TEST(Bilateral, KernelAtTheSamePixelDiffersBetweenPhotosUnlikeEveryFixedFilter) {
    const Image a = load_image(test::sample("astronaut.png"));
    const Image b = resize(load_image(test::sample("chelsea.png")), a.width, a.height);
    const Plane la = luminance(a), lb = luminance(b);
    const int x = a.width / 2, y = a.height / 3;
    const ConvKernel ka = bilateral_kernel_at(la, x, y, 3, 2.0f, 0.1f);
    const ConvKernel kb = bilateral_kernel_at(lb, x, y, 3, 2.0f, 0.1f);
    EXPECT_GT(kernel_change(abs_normalised(ka), abs_normalised(kb)), 0.05);
    // A fixed filter is the same kernel whatever the image: its kernel change is exactly 0.
    for (const auto& name : filter_names())
        EXPECT_EQ(kernel_change(abs_normalised(make_filter(name)), abs_normalised(make_filter(name))), 0.0) << name;
}

TEST(Bilateral, FilterEqualsTheKernelAtEachPixelIncludingEdges) {
    const Plane x = luminance(test::random_image(23, 17, 3));
    const BilateralParams p{2, 1.3f, 0.2f};
    const Plane y = bilateral_filter(x, p);
    ASSERT_EQ(y.width, x.width);
    ASSERT_EQ(y.height, x.height);
    for (int py = 0; py < x.height; ++py)
        for (int px = 0; px < x.width; ++px) {
            const ConvKernel k = bilateral_kernel_at(x, px, py, p);
            double want = 0;
            for (int v = 0; v < k.size; ++v)
                for (int u = 0; u < k.size; ++u)
                    want += k.at(v, u) * x.at(reflect_index(px + u - p.radius, x.width), reflect_index(py + v - p.radius, x.height));
            ASSERT_NEAR(y.at(px, py), want, 1e-5) << px << ", " << py;
        }
}

TEST(Bilateral, AStepEdgeStaysSharperThanWithTheGaussian) {
    const Plane step = step_plane(32, 8, 16);
    const BilateralParams p{3, 2.0f, 0.1f};
    const Plane yb = bilateral_filter(step, p);
    ConvKernel g;
    g.size = 7;
    g.w = window_gaussian(3, 2.0f);
    const Plane yg = correlate(step, g);
    // The jump across the edge: the bilateral filter keeps nearly all of the 0.6 step.
    const float jb = yb.at(16, 4) - yb.at(15, 4), jg = yg.at(16, 4) - yg.at(15, 4);
    EXPECT_GT(jb, 0.55f);
    EXPECT_LT(jg, 0.35f);
    EXPECT_GT(jb, jg + 0.2f);
}

TEST(Bilateral, JointFilterWithItselfAsGuideIsTheFilter) {
    const Plane x = luminance(test::random_image(12, 9, 5));
    const BilateralParams p{1, 1.0f, 0.3f};
    EXPECT_EQ(joint_bilateral_filter(x, x, p).v, bilateral_filter(x, p).v);
}

TEST(Bilateral, BadParametersAreOneSentenceErrors) {
    const Plane x = constant_plane(5, 5, 0.5f);
    EXPECT_THROW(bilateral_kernel_at(x, 2, 2, 0, 2.0f, 0.1f), InputError);
    EXPECT_THROW(bilateral_kernel_at(x, 2, 2, 16, 2.0f, 0.1f), InputError);
    EXPECT_THROW(bilateral_kernel_at(x, 2, 2, 3, 0.0f, 0.1f), InputError);
    EXPECT_THROW(bilateral_kernel_at(x, 2, 2, 3, 2.0f, -1.0f), InputError);
    EXPECT_THROW(bilateral_kernel_at(x, 5, 2, 3, 2.0f, 0.1f), InputError);
}
