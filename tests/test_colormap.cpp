#include <gtest/gtest.h>

#include "draw/colormap.h"

using namespace ks;

TEST(Colormap, EndpointsMatchMatplotlib) {
    // matplotlib's published table values at 0 and 1.
    auto near = [](std::array<float, 3> got, std::array<float, 3> want) {
        for (int c = 0; c < 3; ++c) EXPECT_NEAR(got[c], want[c], 0.003f) << c;
    };
    near(colormap_rgb(Colormap::Viridis, 0), {0.267f, 0.005f, 0.329f});
    near(colormap_rgb(Colormap::Viridis, 1), {0.993f, 0.906f, 0.144f});
    near(colormap_rgb(Colormap::Magma, 0), {0.001f, 0.000f, 0.014f});
    near(colormap_rgb(Colormap::Magma, 1), {0.987f, 0.991f, 0.750f});
    near(colormap_rgb(Colormap::Inferno, 0), {0.001f, 0.000f, 0.014f});
    near(colormap_rgb(Colormap::Inferno, 1), {0.988f, 0.998f, 0.645f});
    near(colormap_rgb(Colormap::Gray, 0.5f), {0.502f, 0.502f, 0.502f});
    near(colormap_rgb(Colormap::Diverging, 0.0f), {0.020f, 0.188f, 0.380f});  // RdBu_r: blue below zero
    near(colormap_rgb(Colormap::Diverging, 1.0f), {0.404f, 0.000f, 0.122f});
}

TEST(Colormap, PerceptualMapsGetBrighterMonotonically) {
    for (Colormap c : {Colormap::Viridis, Colormap::Magma, Colormap::Inferno, Colormap::Gray}) {
        float prev = -1;
        for (int i = 0; i < 256; i += 8) {
            const auto rgb = colormap_rgb(c, i / 255.0f);
            const float lum = 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
            EXPECT_GT(lum, prev - 0.004f) << static_cast<int>(c) << " at " << i;
            prev = lum;
        }
    }
}

TEST(Colormap, NamesParseAndClamp) {
    Colormap c;
    ASSERT_TRUE(parse_colormap("turbo", &c));
    EXPECT_EQ(c, Colormap::Turbo);
    EXPECT_FALSE(parse_colormap("jet", &c));
    EXPECT_EQ(colormap_rgb(Colormap::Viridis, -3.0f), colormap_rgb(Colormap::Viridis, 0.0f));
    EXPECT_EQ(colormap_rgb(Colormap::Viridis, 7.0f), colormap_rgb(Colormap::Viridis, 1.0f));
}
