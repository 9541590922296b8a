// Preprocessing for ViTs and the position-embedding resampling.
#include <gtest/gtest.h>

#include <cmath>

#include "io/npy.h"
#include "test_vit_util.h"
#include "vit/vit_pos_embed.h"
#include "image/model_input.h"

using namespace ks;

namespace {

Image make_image(int w, int h, float (*f)(int x, int y, int c)) {
    Image img;
    img.width = w;
    img.height = h;
    img.rgb.resize(static_cast<size_t>(w) * h * 3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c) img.at(x, y, c) = f(x, y, c);
    return img;
}

const std::array<float, 3> kMean{0.485f, 0.456f, 0.406f}, kStd{0.229f, 0.224f, 0.225f};

}  // namespace

TEST(VitPreprocess, ImageAtInputSizeIsUsedAsIs) {
    const Image img = make_image(32, 48, [](int x, int y, int c) { return std::fmod(0.37f * x + 0.11f * y + 0.3f * c, 1.0f); });
    for (VitResize mode : {VitResize::ShorterSideCrop, VitResize::Whole}) {
        const VitInput in = preprocess_vit(img, 32, 48, mode, kMean, kStd);
        EXPECT_EQ(in.shown.rgb, img.rgb);
        ASSERT_EQ(in.chw.size(), static_cast<size_t>(3 * 32 * 48));
        // CHW layout and (v - mean) / std per channel.
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < 48; y += 7)
                for (int x = 0; x < 32; x += 5)
                    EXPECT_FLOAT_EQ(in.chw[(static_cast<size_t>(c) * 48 + y) * 32 + x], (img.at(x, y, c) - kMean[c]) / kStd[c]);
    }
}

TEST(VitPreprocess, ShorterSideThenCentreCrop) {
    // A horizontal ramp, 200 x 100: the 64 x 64 crop must see the middle half
    // (x in 50..150), sampled where torchvision's Resize(64) + CenterCrop(64) samples.
    const Image img = make_image(200, 100, [](int x, int, int c) { return c == 0 ? x / 199.0f : 0.5f; });
    const VitInput in = preprocess_vit(img, 64, 64, VitResize::ShorterSideCrop, kMean, kStd);
    ASSERT_EQ(in.shown.width, 64);
    ASSERT_EQ(in.shown.height, 64);
    for (int j = 2; j < 62; ++j) {
        const double src = (j + 32 + 0.5) * 200.0 / 128.0 - 0.5;  // resized to 128 x 64, crop offset 32
        // Keys cubic with a = -0.75 reproduces a ramp only approximately (~2e-4 here);
        // a one-pixel misplacement of the crop would be 5e-3.
        EXPECT_NEAR(in.shown.at(j, 30, 0), src / 199.0, 1.5e-3) << j;
        EXPECT_NEAR(in.shown.at(j, 30, 1), 0.5, 1e-5);
    }
}

TEST(VitPreprocess, WholeImageKeepsEverything) {
    const Image img = make_image(200, 100, [](int x, int, int) { return x < 100 ? 0.0f : 1.0f; });
    const VitInput in = preprocess_vit(img, 32, 32, VitResize::Whole, kMean, kStd);
    EXPECT_EQ(in.shown.width, 32);
    EXPECT_NEAR(in.shown.at(2, 10, 0), 0.0f, 1e-6);   // left half stays on the left
    EXPECT_NEAR(in.shown.at(29, 10, 0), 1.0f, 1e-6);
    for (float v : in.shown.rgb) {                    // bicubic overshoot is clipped
        EXPECT_GE(v, 0.0f);
        EXPECT_LE(v, 1.0f);
    }
}

TEST(VitPreprocess, LargeReductionDoesNotAlias) {
    // A 1-pixel checkerboard averages to grey; plain point-sampled bicubic would
    // return (nearly) black or white.
    const Image img = make_image(1000, 1000, [](int x, int y, int) { return static_cast<float>((x + y) % 2); });
    const VitInput in = preprocess_vit(img, 50, 50, VitResize::Whole, kMean, kStd);
    for (float v : in.shown.rgb) EXPECT_NEAR(v, 0.5f, 0.02f);
}

TEST(VitPosEmbed, MatchesTorchBicubic) {
    const NpyArray src = read_npy(kst::vit_fixture("pos_resample/src_4x4x5.npy"));
    ASSERT_EQ(src.shape, (std::vector<size_t>{4, 4, 5}));
    for (auto [h, w] : {std::pair{6, 6}, {7, 5}, {3, 3}, {2, 9}}) {
        const NpyArray want = read_npy(kst::vit_fixture("pos_resample/out_" + std::to_string(h) + "x" + std::to_string(w) + ".npy"));
        const auto got = resample_pos_grid(src.data, 4, 4, 5, h, w);
        EXPECT_LE(kst::max_abs_diff(got, want.data), 1e-5f) << h << "x" << w;
    }
    EXPECT_EQ(resample_pos_grid(src.data, 4, 4, 5, 4, 4), src.data);
}
