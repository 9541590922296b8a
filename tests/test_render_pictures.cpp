#include <gtest/gtest.h>

#include "pipeline/render.h"

using namespace ks;

namespace {

Plane plane(std::vector<float> v, int w) {
    Plane p;
    p.width = w;
    p.height = static_cast<int>(v.size()) / w;
    p.v = std::move(v);
    return p;
}

}  // namespace

TEST(RenderPictures, SignedResponseIsDivergingAboutZero) {
    const Plane p = plane({-1.0f, 0.0f, 1.0f, 0.5f}, 2);
    ASSERT_TRUE(response_is_signed(p));
    const Image img = response_picture(p);
    const auto zero = colormap_rgb(Colormap::Diverging, 0.5f);
    for (int c = 0; c < 3; ++c) EXPECT_FLOAT_EQ(img.at(1, 0, c), zero[c]);  // 0 sits at the neutral middle
    EXPECT_GT(img.at(0, 0, 2), img.at(0, 0, 0));                            // negative: blue
    EXPECT_GT(img.at(0, 1, 0), img.at(0, 1, 2));                            // positive: red
}

TEST(RenderPictures, NonNegativeResponseIsGray) {
    const Plane p = plane({0.0f, 0.25f, 0.5f, 1.0f}, 2);
    ASSERT_FALSE(response_is_signed(p));
    const Image img = response_picture(p);
    EXPECT_FLOAT_EQ(img.at(0, 0, 0), 0.0f);                 // 0 = black
    EXPECT_FLOAT_EQ(img.at(1, 0, 0), img.at(1, 0, 2));      // gray
    EXPECT_LT(img.at(1, 0, 0), img.at(0, 1, 0));            // brighter with the value
}

TEST(RenderPictures, KernelPictureCellsAndSignColours) {
    const ConvKernel k = make_filter("sobel_x");
    const Image img = kernel_picture(k, 10);
    EXPECT_EQ(img.width, 31);  // 3 cells of 10 px + the closing grid line
    const auto neg = colormap_rgb(Colormap::Diverging, 0.5f + 0.5f * -2.0f / 2.0f);
    const auto pos = colormap_rgb(Colormap::Diverging, 1.0f);
    for (int c = 0; c < 3; ++c) {
        EXPECT_FLOAT_EQ(img.at(5, 15, c), neg[c]);   // row 1, col 0: -2
        EXPECT_FLOAT_EQ(img.at(25, 15, c), pos[c]);  // row 1, col 2: +2
    }
}
