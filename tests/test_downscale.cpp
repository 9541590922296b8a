#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <omp.h>

#include "image/downscale.h"
#include "io/file_output.h"
#include "pipeline/render.h"
#include "test_support.h"

using namespace ks;
using ks::test::random_image;

namespace {

Plane ramp_plane(int w, int h) {
    Plane p;
    p.width = w;
    p.height = h;
    p.v.resize(static_cast<size_t>(w) * h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) p.at(x, y) = static_cast<float>(y * 1000 + x * x % 97);
    return p;
}

}  // namespace

TEST(Downscale, FitSizeKeepsAspectAndLimit) {
    int w = 0, h = 0;
    fit_size(4000, 3000, 2048, &w, &h);
    EXPECT_EQ(w, 2048);
    EXPECT_EQ(h, 1536);
    fit_size(3000, 4000, 2048, &w, &h);  // portrait: the height is the longer side
    EXPECT_EQ(w, 1536);
    EXPECT_EQ(h, 2048);
    fit_size(10000, 3, 100, &w, &h);     // an extreme strip still keeps one row
    EXPECT_EQ(w, 100);
    EXPECT_EQ(h, 1);
    fit_size(640, 480, 2048, &w, &h);
    EXPECT_EQ(w, 640);
    EXPECT_EQ(h, 480);
    EXPECT_THROW(fit_size(10, 10, 0, &w, &h), InputError);
}

TEST(Downscale, IdentityWhenAlreadySmall) {
    const Image img = random_image(37, 23, 5);
    const Image out = downscale_to_fit(img, 37);
    EXPECT_EQ(out.width, 37);
    EXPECT_EQ(out.height, 23);
    EXPECT_EQ(out.rgb, img.rgb);
    const Plane p = ramp_plane(20, 30);
    EXPECT_EQ(downscale_to_fit(p, 64).v, p.v);
}

TEST(Downscale, IntegerFactorGivesExactBoxMeans) {
    // 12 x 8 -> 3 x 2: every output pixel is the plain mean of a 4 x 4 block.
    const Image img = random_image(12, 8, 11);
    const Image out = downscale_to_fit(img, 3);
    ASSERT_EQ(out.width, 3);
    ASSERT_EQ(out.height, 2);
    for (int oy = 0; oy < 2; ++oy)
        for (int ox = 0; ox < 3; ++ox)
            for (int c = 0; c < 3; ++c) {
                double s = 0;
                for (int y = 0; y < 4; ++y)
                    for (int x = 0; x < 4; ++x) s += img.at(ox * 4 + x, oy * 4 + y, c);
                EXPECT_NEAR(out.at(ox, oy, c), s / 16.0, 1e-5) << ox << "," << oy << "," << c;
            }
    const Plane p = ramp_plane(8, 6);
    const Plane q = downscale_to_fit(p, 4);  // factor 2
    ASSERT_EQ(q.width, 4);
    ASSERT_EQ(q.height, 3);
    for (int oy = 0; oy < 3; ++oy)
        for (int ox = 0; ox < 4; ++ox) {
            const double m = (p.at(2 * ox, 2 * oy) + p.at(2 * ox + 1, 2 * oy) + p.at(2 * ox, 2 * oy + 1) +
                              p.at(2 * ox + 1, 2 * oy + 1)) / 4.0;
            EXPECT_NEAR(q.at(ox, oy), m, 1e-3);
        }
}

TEST(Downscale, FractionalFactorWeighsByCoveredArea) {
    // 3 pixels -> 2: the middle source pixel is split half and half.
    Plane p;
    p.width = 3;
    p.height = 1;
    p.v = {0.0f, 3.0f, 6.0f};
    const Plane q = downscale_to_fit(p, 2);
    ASSERT_EQ(q.width, 2);
    ASSERT_EQ(q.height, 1);
    EXPECT_NEAR(q.v[0], (0.0 * 1.0 + 3.0 * 0.5) / 1.5, 1e-6);
    EXPECT_NEAR(q.v[1], (3.0 * 0.5 + 6.0 * 1.0) / 1.5, 1e-6);
}

TEST(Downscale, KeepsMeanAndDoesNotAlias) {
    // A one-pixel checkerboard point-sampled at factor 2 is all black or all white;
    // the area mean is a flat 0.5 everywhere.
    Plane p;
    p.width = 400;
    p.height = 300;
    p.v.resize(400 * 300);
    for (int y = 0; y < 300; ++y)
        for (int x = 0; x < 400; ++x) p.at(x, y) = static_cast<float>((x + y) % 2);
    for (int side : {200, 133}) {  // integer and fractional factors
        const Plane q = downscale_to_fit(p, side);
        EXPECT_EQ(q.width, side);
        EXPECT_EQ(q.height, static_cast<int>(std::lround(300.0 * side / 400)));
        for (float v : q.v) EXPECT_NEAR(v, 0.5f, side == 200 ? 1e-6f : 0.2f);
    }
}

// Large enough (over a megapixel) for the threaded path, at a fractional factor in
// both axes: each output is the area-weighted mean of the source, computed here
// directly in 2-D, and 1 or 2 threads give the very same floats.
TEST(Downscale, ThreadedBandsMatchTheDirectAreaMeanOnALargePlane) {
    const Plane p = ramp_plane(1301, 977);
    omp_set_num_threads(1);
    const Plane one = downscale_to_fit(p, 500);
    omp_set_num_threads(2);
    const Plane two = downscale_to_fit(p, 500);
    omp_set_num_threads(omp_get_num_procs());
    ASSERT_EQ(two.width, 500);
    ASSERT_EQ(two.height, 375);
    EXPECT_EQ(one.v, two.v);
    const double sx = 1301.0 / 500, sy = 977.0 / 375;
    double worst = 0;
    for (int oy = 0; oy < two.height; ++oy)  // every row: the bands meet at one of them
        for (int ox = 0; ox < two.width; ox += 11) {
            const double ax = ox * sx, bx = (ox + 1) * sx, ay = oy * sy, by = (oy + 1) * sy;
            double s = 0;
            for (int y = static_cast<int>(ay); y < std::min(977, static_cast<int>(std::ceil(by))); ++y)
                for (int x = static_cast<int>(ax); x < std::min(1301, static_cast<int>(std::ceil(bx))); ++x) {
                    const double wy = std::min<double>(by, y + 1) - std::max<double>(ay, y);
                    const double wx = std::min<double>(bx, x + 1) - std::max<double>(ax, x);
                    s += wx * wy * p.at(x, y);
                }
            worst = std::max(worst, std::fabs(two.at(ox, oy) - s / (sx * sy)) / 977000.0);
        }
    EXPECT_LT(worst, 1e-6);
}

TEST(RenderPictures, ExplicitScaleMatchesTheDefaultPicture) {
    Plane p = ramp_plane(50, 40);
    for (size_t i = 0; i < p.v.size(); i += 3) p.v[i] = -p.v[i];
    const Image a = response_picture(p);
    const Image b = response_picture(p, response_scale(p), response_is_signed(p));
    EXPECT_EQ(a.rgb, b.rgb);
}

TEST(RenderPictures, ExplicitSignedFlagAndScaleAreUsed) {
    Plane p;
    p.width = 2;
    p.height = 1;
    p.v = {0.0f, 1.0f};
    // Non-negative, but coloured as the full-resolution (signed) response was.
    const Image img = response_picture(p, 2.0f, true);
    const auto mid = colormap_rgb(Colormap::Diverging, 0.5f), half = colormap_rgb(Colormap::Diverging, 0.75f);
    for (int c = 0; c < 3; ++c) {
        EXPECT_FLOAT_EQ(img.at(0, 0, c), mid[c]);
        EXPECT_FLOAT_EQ(img.at(1, 0, c), half[c]);
    }
    const Image g = response_picture(p, 2.0f, false);
    const auto gray = colormap_rgb(Colormap::Gray, 0.5f);
    for (int c = 0; c < 3; ++c) EXPECT_FLOAT_EQ(g.at(1, 0, c), gray[c]);
}

TEST(RenderPictures, ResponseScaleIsThe99thPercentile) {
    Plane p;
    p.width = 200;
    p.height = 1;
    for (int i = 0; i < 200; ++i) p.v.push_back(static_cast<float>(i % 2 ? i : -i));
    EXPECT_FLOAT_EQ(response_scale(p), 197.0f);  // |v| sorted 0..199; index 199 * 99 / 100 = 197
    Plane z;
    z.width = 3;
    z.height = 1;
    z.v = {0, 0, 0};
    EXPECT_FLOAT_EQ(response_scale(z), 1.0f);
}

// response_scale selects the 99th percentile of |v| through a histogram of float
// bits: it must be the very value a full sort gives, on a large threaded plane with
// signs, ties and a heavy bucket of zeros, on values packed in one bucket, and when
// the percentile is 0 (then the maximum).
TEST(RenderPictures, ResponseScaleIsTheExactPercentileOfAbs) {
    auto sorted_pick = [](const Plane& p) {
        std::vector<float> a;
        for (float v : p.v) a.push_back(std::fabs(v));
        std::sort(a.begin(), a.end());
        const float q = a[(a.size() - 1) * 99 / 100];
        return q > 0 ? q : (a.back() > 0 ? a.back() : 1.0f);
    };
    Plane p;
    p.width = 1200;
    p.height = 700;
    p.v.resize(size_t(1200) * 700);
    uint32_t s = 12345;
    for (float& v : p.v) {
        s = s * 1664525u + 1013904223u;
        v = (s >> 30) == 0 ? 0.0f : (static_cast<float>(s >> 8) / 16777216.0f - 0.5f) * 40.0f;
    }
    EXPECT_EQ(response_scale(p), sorted_pick(p));
    for (size_t i = 0; i < p.v.size(); ++i) p.v[i] = 1.0f + static_cast<float>(i % 1000) * 1e-7f;  // one bucket
    EXPECT_EQ(response_scale(p), sorted_pick(p));
    std::fill(p.v.begin(), p.v.end(), 0.0f);
    p.v[77] = -3.5f;  // the percentile is 0: the maximum |v|
    EXPECT_EQ(response_scale(p), 3.5f);
}

// The app colours its display copy of the response straight to bytes; it must be the
// very picture the float path and to_rgb8 give, signed and gray, threaded size.
TEST(RenderPictures, Rgb8PictureEqualsTheFloatPictureConverted) {
    Plane p = ramp_plane(700, 500);
    for (size_t i = 0; i < p.v.size(); i += 3) p.v[i] = -p.v[i];
    const float scale = response_scale(p);
    for (const bool signed_map : {true, false})
        EXPECT_EQ(response_picture_rgb8(p, scale, signed_map), to_rgb8(response_picture(p, scale, signed_map)))
            << (signed_map ? "signed" : "gray");
}
