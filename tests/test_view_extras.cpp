#include <gtest/gtest.h>

#include <cmath>

#include "conv/convolution.h"
#include "attention/view_extras.h"
#include "attention/views.h"

using namespace ks;

namespace {

// Two layers, two heads, one prefix token and a 1 x 2 patch grid (N = 3).
AttentionSet tiny_set() {
    AttentionSet a;
    a.resize(2, 2, 3);
    a.layout.prefix_names = {"cls"};
    a.layout.grid_h = 1;
    a.layout.grid_w = 2;
    a.layout.patch = 10;
    for (size_t i = 0; i < a.data.size(); ++i) a.data[i] = static_cast<float>(i);
    return a;
}

}  // namespace

TEST(ViewExtras, HeadGridRowsAreThePatchPartOfEveryHeadsRow) {
    const AttentionSet a = tiny_set();
    for (int q = 0; q < 3; ++q) {
        const auto g = head_grid_rows(a, q);
        ASSERT_EQ(g.size(), 2u * 2u * 2u);
        for (int l = 0; l < 2; ++l)
            for (int h = 0; h < 2; ++h) {
                ViewSpec v;
                v.layer = l;
                v.head = h;
                v.kind = q == 0 ? QueryKind::Prefix : QueryKind::Patch;
                v.prefix = 0;
                v.row = 0;
                v.col = q - 1;
                const auto want = patch_heatmap(view_row(a, v), a.layout);
                for (int j = 0; j < 2; ++j) EXPECT_EQ(g[(l * 2 + h) * 2 + j], want[j]);
            }
    }
    EXPECT_THROW(head_grid_rows(a, 3), InputError);
}

TEST(ViewExtras, MassMaskRenormalisesOverPatches) {
    // Patch weights 0.1, 0.2, 0.3 (0.4 went to a prefix token): renormalised 1/6, 2/6, 3/6.
    const std::vector<float> heat = {0.1f, 0.2f, 0.3f};
    EXPECT_EQ(heatmap_mass_mask(heat, 0.5f), (std::vector<unsigned char>{0, 0, 1}));
    EXPECT_EQ(heatmap_mass_mask(heat, 0.6f), (std::vector<unsigned char>{0, 1, 1}));
    EXPECT_EQ(heatmap_mass_mask(heat, 1.0f), (std::vector<unsigned char>{1, 1, 1}));
    EXPECT_EQ(heatmap_mass_mask(heat, 0.0f), (std::vector<unsigned char>{1, 1, 1}));
}

TEST(ViewExtras, KernelRgbShowsEachChannelAroundGray) {
    ConvKernel k;
    k.size = 1;
    k.channels = 3;
    k.w = {2.0f, -1.0f, 0.0f};
    const Image im = kernel_rgb(k);
    ASSERT_EQ(im.width, 1);
    EXPECT_FLOAT_EQ(im.at(0, 0, 0), 1.0f);
    EXPECT_FLOAT_EQ(im.at(0, 0, 1), 0.25f);
    EXPECT_FLOAT_EQ(im.at(0, 0, 2), 0.5f);
    const Image g = kernel_rgb(make_filter("sobel_x"));
    EXPECT_EQ(g.width, 3);
    EXPECT_FLOAT_EQ(g.at(0, 0, 0), g.at(0, 0, 2));  // gray
}

TEST(ViewExtras, RgbKernelResponseSumsTheChannels) {
    Image x;
    x.width = 5;
    x.height = 4;
    x.rgb.resize(5 * 4 * 3);
    for (size_t i = 0; i < x.rgb.size(); ++i) x.rgb[i] = static_cast<float>((i * 37) % 11) / 10.0f;
    ConvKernel k;
    k.size = 3;
    k.channels = 3;
    for (int i = 0; i < 27; ++i) k.w.push_back(std::sin(static_cast<float>(i)));
    const Plane y = kernel_response(x, k);
    ASSERT_EQ(y.width, 5);
    ASSERT_EQ(y.height, 4);
    for (int py = 0; py < 4; ++py)
        for (int px = 0; px < 5; ++px) {
            double want = 0;
            for (int c = 0; c < 3; ++c)
                for (int u = -1; u <= 1; ++u)
                    for (int v = -1; v <= 1; ++v)
                        want += k.at(u + 1, v + 1, c) * x.at(reflect_index(px + v, 5), reflect_index(py + u, 4), c);
            EXPECT_NEAR(y.at(px, py), want, 1e-5);
        }
    // A one-channel kernel goes on the luminance, as before.
    const ConvKernel s = make_filter("sobel_x");
    const Plane ys = kernel_response(x, s), yl = correlate(luminance(x), s);
    EXPECT_EQ(ys.v, yl.v);
}

TEST(ViewExtras, NormalisedImageIsPerChannel) {
    Image x;
    x.width = 2;
    x.height = 1;
    x.rgb = {0.5f, 0.5f, 0.5f, 1.0f, 0.0f, 0.25f};
    const Image n = normalised_image(x, {0.5f, 0.25f, 0.0f}, {0.5f, 0.25f, 0.5f});
    EXPECT_FLOAT_EQ(n.at(0, 0, 0), 0.0f);
    EXPECT_FLOAT_EQ(n.at(0, 0, 1), 1.0f);
    EXPECT_FLOAT_EQ(n.at(0, 0, 2), 1.0f);
    EXPECT_FLOAT_EQ(n.at(1, 0, 0), 1.0f);
    EXPECT_FLOAT_EQ(n.at(1, 0, 1), -1.0f);
    EXPECT_FLOAT_EQ(n.at(1, 0, 2), 0.5f);
}
