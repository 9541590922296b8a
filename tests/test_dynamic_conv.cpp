// The dynamic conv (conv/dynamic_conv.h): the kernel at a pixel is a fixed seeded
// conv f applied to the input there; checked against naive loops written here.
#include <gtest/gtest.h>

#include <tuple>

#include "conv/dynamic_conv.h"
#include "conv/filter_choice.h"
#include "analysis/measures.h"
#include "test_support.h"

using namespace ks;

namespace {

// Reflect padding without repeating the edge (..., 2, 1 | 0, 1, 2, ... | n-2, n-3, ...).
int reflect(int i, int n) {
    if (n == 1) return 0;
    while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
    return i;
}

Plane random_plane(int w, int h, unsigned seed) {
    const Image img = test::random_image(w, h, seed);
    return luminance(img);
}

}  // namespace

TEST(DynamicConv, KernelAtAPixelIsFAppliedToTheInputThere) {
    const DynamicConvParams p{5, 3, 7};
    const Plane lum = random_plane(23, 17, 1);
    const std::vector<float> f = dynamic_conv_generator(p);
    ASSERT_EQ(f.size(), static_cast<size_t>(25 * 9));
    for (auto [x, y] : {std::pair{0, 0}, std::pair{11, 8}, std::pair{22, 16}, std::pair{1, 15}}) {
        const ConvKernel k = dynamic_kernel_at(lum, x, y, p);
        ASSERT_EQ(k.size, 5);
        EXPECT_EQ(k.name, "dynamic");
        for (int c = 0; c < 25; ++c) {
            double s = 0;
            for (int a = 0; a < 3; ++a)
                for (int b = 0; b < 3; ++b) s += f[static_cast<size_t>(c) * 9 + a * 3 + b] * lum.at(reflect(x + b - 1, 23), reflect(y + a - 1, 17));
            EXPECT_NEAR(k.w[c], s, 1e-5) << x << "," << y << " tap " << c;
        }
    }
}

TEST(DynamicConv, ResponseIsEachPixelsKernelTimesTheInput) {
    const DynamicConvParams p{3, 5, 2};
    const Plane lum = random_plane(19, 13, 2);
    const Plane y = dynamic_conv_filter(lum, p);
    ASSERT_EQ(y.width, 19);
    ASSERT_EQ(y.height, 13);
    for (int py = 0; py < 13; ++py)
        for (int px = 0; px < 19; ++px) {
            const ConvKernel k = dynamic_kernel_at(lum, px, py, p);
            double s = 0;
            for (int v = 0; v < 3; ++v)
                for (int u = 0; u < 3; ++u) s += k.at(v, u) * lum.at(reflect(px + u - 1, 19), reflect(py + v - 1, 13));
            EXPECT_NEAR(y.at(px, py), s, 1e-5) << px << "," << py;
        }
    const Plane w = dynamic_conv_window(lum, p, 4, 3, 7, 20);  // clipped to the image: 7 x 10
    ASSERT_EQ(w.width, 7);
    ASSERT_EQ(w.height, 10);
    for (int py = 0; py < w.height; ++py)
        for (int px = 0; px < w.width; ++px) EXPECT_EQ(w.at(px, py), y.at(4 + px, 3 + py));
}

// The kernels from one plane applied to another, with kernels wider than the image
// (the reflect padding folds more than once) and strips longer than one (300 px).
TEST(DynamicConv, JointResponseUsesTheGuidesKernelsOnTheOtherPlane) {
    for (const auto& [p, w, h] : {std::tuple{DynamicConvParams{15, 7, 4}, 9, 6}, std::tuple{DynamicConvParams{5, 3, 9}, 300, 3}}) {
        const Plane guide = random_plane(w, h, 5), x = random_plane(w, h, 6);
        const Plane y = joint_dynamic_conv_filter(guide, x, p);
        ASSERT_EQ(y.width, w);
        ASSERT_EQ(y.height, h);
        const int r = p.k / 2;
        for (int py = 0; py < h; ++py)
            for (int px = 0; px < w; ++px) {
                const ConvKernel k = dynamic_kernel_at(guide, px, py, p);
                double s = 0;
                for (int v = 0; v < p.k; ++v)
                    for (int u = 0; u < p.k; ++u) s += k.at(v, u) * x.at(reflect(px + u - r, w), reflect(py + v - r, h));
                ASSERT_NEAR(y.at(px, py), s, 1e-4) << p.k << ": " << px << "," << py;
            }
    }
}

TEST(DynamicConv, SignedUnnormalisedAndDataDependent) {
    const DynamicConvParams p;
    const Plane a = random_plane(16, 16, 3), b = random_plane(16, 16, 4);
    const ConvKernel ka = dynamic_kernel_at(a, 8, 8, p), kb = dynamic_kernel_at(b, 8, 8, p);
    bool neg = false, pos = false;
    double sum = 0;
    for (float v : ka.w) { neg |= v < 0; pos |= v > 0; sum += v; }
    EXPECT_TRUE(neg && pos);
    EXPECT_GT(std::fabs(sum - 1.0), 1e-3);
    // Another input, another kernel at the same pixel; the same input, the same kernel.
    EXPECT_GT(kernel_change(abs_normalised(ka), abs_normalised(kb)), 0.01);
    EXPECT_EQ(dynamic_kernel_at(a, 8, 8, p).w, ka.w);
    // The seed fixes f.
    DynamicConvParams q = p;
    q.seed = 1;
    EXPECT_NE(dynamic_conv_generator(q), dynamic_conv_generator(p));
    EXPECT_EQ(dynamic_conv_generator(p), dynamic_conv_generator(p));
    EXPECT_THROW(check_dynamic_conv({4, 3, 0}), InputError);
    EXPECT_THROW(check_dynamic_conv({3, 17, 0}), InputError);
}

TEST(DynamicConv, RegisteredAsADataDependentFilter) {
    const auto all = conv_filter_choices();
    EXPECT_NE(std::find(all.begin(), all.end(), "dynamic"), all.end());
    EXPECT_TRUE(is_data_dependent("dynamic"));
    EXPECT_NO_THROW(check_filter_name("dynamic"));
    EXPECT_THROW(fixed_filter("dynamic", 1.0f, {}), InputError);
    const Image img = test::random_image(12, 10, 5);
    const Plane lum = luminance(img);
    const DynamicConvParams d{3, 3, 4};
    EXPECT_EQ(data_dependent_kernel_at("dynamic", lum, 3, 4, {}, d).w, dynamic_kernel_at(lum, 3, 4, d).w);
    EXPECT_EQ(data_dependent_response("dynamic", lum, {}, d).v, dynamic_conv_filter(lum, d).v);
    EXPECT_EQ(data_dependent_window("dynamic", lum, {}, d, 2, 2, 4, 4).v, dynamic_conv_window(lum, d, 2, 2, 4, 4).v);
    const Image rgb = data_dependent_response_rgb("dynamic", img, {}, d);
    EXPECT_EQ(channel(rgb, 1).v, joint_dynamic_conv_filter(lum, channel(img, 1), d).v);
    EXPECT_THROW(data_dependent_response("sobel_x", lum, {}, d), InputError);
}
