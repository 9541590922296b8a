// The comparison view's numbers: the drawn heatmap and its prefix mass, the shared
// scale, the difference, the local window, B's centre crop, the response around the
// query, and colorbar labels.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>

#include "attention/query_comparison.h"
#include "conv/bilateral.h"
#include "conv/conv_filters.h"
#include "conv/convolution.h"
#include "conv/response_window.h"
#include "image/match_size.h"
#include "draw/number_format.h"
#include "test_support.h"

using namespace ks;

TEST(QueryComparison, PatchHeatStatesThePrefixMassAndRenormalisesOnlyWhenAsked) {
    const TokenLayout L = test::layout_with_cls(2, 2);
    const std::vector<float> row = {0.6f, 0.1f, 0.1f, 0.1f, 0.1f};
    const PatchHeat raw = patch_heat(row, L, 2, HeatOptions{});
    EXPECT_NEAR(raw.prefix_mass, 0.6, 1e-7);
    ASSERT_EQ(raw.values.size(), 4u);
    EXPECT_FLOAT_EQ(raw.values[0], 0.1f);
    EXPECT_EQ(raw.query_patch, 1);
    HeatOptions o;
    o.patches_only = true;
    const PatchHeat ren = patch_heat(row, L, 0, o);
    for (float v : ren.values) EXPECT_NEAR(v, 0.25f, 1e-6f);
    EXPECT_EQ(ren.query_patch, -1);  // the CLS query has no patch on the image
    EXPECT_THROW(patch_heat({0.5f, 0.5f}, L, 0, o), InputError);
}

TEST(QueryComparison, SharedScaleCoversBothInputsAndCanLeaveTheQueryOut) {
    PatchHeat a, b;
    a.values = {0.9f, 0.05f, 0.05f};
    a.query_patch = 0;
    b.values = {0.5f, 0.3f, 0.2f};
    b.query_patch = 0;
    HeatOptions o;
    EXPECT_TRUE(o.exclude_query);  // the defaults: the query's own patch does not set the scale,
    EXPECT_TRUE(o.log_scale);      // a log scale, and the top at the 99th percentile
    EXPECT_FLOAT_EQ(o.top_quantile, 0.99f);
    o.exclude_query = false;
    o.log_scale = false;
    o.top_quantile = 1.0f;
    HeatScale s = shared_heat_scale({&a, &b}, o);
    EXPECT_FLOAT_EQ(s.lo, 0.0f);
    EXPECT_FLOAT_EQ(s.hi, 0.9f);
    o.exclude_query = true;
    s = shared_heat_scale({&a, &b}, o);
    EXPECT_FLOAT_EQ(s.hi, 0.3f);
    o.log_scale = true;
    s = shared_heat_scale({&a, &b}, o);
    EXPECT_TRUE(s.log);
    EXPECT_FLOAT_EQ(s.lo, 0.3f * 1e-3f);
    const auto d = heat_for_display({0.3f, 0.0f}, s);
    EXPECT_NEAR(d[0], std::log10(0.3f), 1e-6f);
    EXPECT_NEAR(d[1], std::log10(0.3f * 1e-3f), 1e-6f);  // below the floor: the lowest colour
    float lo = 0, hi = 0;
    shader_range(s, &lo, &hi);
    EXPECT_NEAR(hi - lo, 3.0f, 1e-5f);
}

TEST(QueryComparison, DifferenceIsBMinusAWithItsLargestMagnitude) {
    float m = 0;
    const auto d = heat_difference({0.2f, 0.5f, 0.3f}, {0.4f, 0.1f, 0.5f}, &m);
    EXPECT_FLOAT_EQ(d[0], 0.2f);
    EXPECT_FLOAT_EQ(d[1], -0.4f);
    EXPECT_FLOAT_EQ(m, 0.4f);
    EXPECT_THROW(heat_difference({1.0f}, {1.0f, 2.0f}, &m), InputError);
}

TEST(QueryComparison, LocalWindowIsCentredOnTheQueryAndMarksCellsOffTheGrid) {
    std::vector<float> map(4 * 5);
    for (size_t i = 0; i < map.size(); ++i) map[i] = static_cast<float>(i);
    const auto w = local_window(map, 4, 5, 0, 4, 1, -1.0f);
    ASSERT_EQ(w.size(), 9u);
    EXPECT_FLOAT_EQ(w[4], 4.0f);   // centre = (0, 4)
    EXPECT_FLOAT_EQ(w[0], -1.0f);  // row -1: off the grid
    EXPECT_FLOAT_EQ(w[3], 3.0f);   // (0, 3)
    EXPECT_FLOAT_EQ(w[5], -1.0f);  // column 5: off the grid
    EXPECT_FLOAT_EQ(w[7], 9.0f);   // (1, 4)
}

TEST(QueryComparison, PrefixMassTextNamesEachPrefixToken) {
    TokenLayout L = test::layout_with_cls(1, 2);
    L.prefix_names = {"cls", "reg0"};
    EXPECT_EQ(prefix_mass_text({0.9f, 0.04f, 0.03f, 0.03f}, L), "cls 0.90, reg0 0.04");
    L.prefix_names.clear();
    EXPECT_EQ(prefix_mass_text({0.5f, 0.5f}, L), "");
}

TEST(MatchSize, SecondImageIsCentreCroppedToTheAspectNeverStretched) {
    Image b;
    b.width = 8;
    b.height = 4;
    b.rgb.resize(8 * 4 * 3);
    for (int y = 0; y < 4; ++y)
        for (int x = 0; x < 8; ++x)
            for (int c = 0; c < 3; ++c) b.at(x, y, c) = static_cast<float>(x) / 10.0f;
    const Image c = centre_crop_to_aspect(b, 2, 2);  // square: the middle 4 x 4
    ASSERT_EQ(c.width, 4);
    ASSERT_EQ(c.height, 4);
    EXPECT_FLOAT_EQ(c.at(0, 0, 0), 0.2f);
    EXPECT_FLOAT_EQ(c.at(3, 3, 2), 0.5f);
    const Image m = match_size_centre_crop(b, 4, 4);  // same as the crop: already 4 x 4
    EXPECT_EQ(m.rgb, c.rgb);
    const Image t = centre_crop_to_aspect(b, 4, 4 * 3);  // tall: full height, narrow
    EXPECT_EQ(t.height, 4);
    EXPECT_EQ(t.width, 1);
    const Image s = match_size_centre_crop(b, 16, 8);  // same aspect: only resized
    EXPECT_EQ(s.width, 16);
    EXPECT_EQ(s.height, 8);
}

// Crops whose sides differ, of images that vary along y (channel 1 = y, channel 2 = x):
// a tall B keeps its middle rows, a wide B all its rows and its middle columns. A y0
// taken from the crop's width would move the tall crop and read past a wide B's rows.
TEST(MatchSize, TheCropIsCentredDownAsWellAsAcross) {
    auto ramp = [](int w, int h) {
        Image im;
        im.width = w;
        im.height = h;
        im.rgb.resize(static_cast<size_t>(w) * h * 3);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                im.at(x, y, 0) = 0.5f;
                im.at(x, y, 1) = static_cast<float>(y);
                im.at(x, y, 2) = static_cast<float>(x);
            }
        return im;
    };
    auto expect_window = [](const Image& c, int w, int h, int x0, int y0) {
        ASSERT_EQ(c.width, w);
        ASSERT_EQ(c.height, h);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                EXPECT_EQ(c.at(x, y, 1), static_cast<float>(y0 + y)) << x << "," << y;
                EXPECT_EQ(c.at(x, y, 2), static_cast<float>(x0 + x)) << x << "," << y;
            }
    };
    // Tall 4 x 12 to 2 : 1: 4 x 2 at rows 5-6.
    expect_window(centre_crop_to_aspect(ramp(4, 12), 2, 1), 4, 2, 0, 5);
    // Wide 12 x 4 to 1 : 2: 2 x 4 at columns 5-6, every row; already A's size, so not resized.
    expect_window(centre_crop_to_aspect(ramp(12, 4), 1, 2), 2, 4, 5, 0);
    expect_window(match_size_centre_crop(ramp(12, 4), 2, 4), 2, 4, 5, 0);
    // Wide 10 x 6 to 4 : 3: 8 x 6 at columns 1-8.
    expect_window(centre_crop_to_aspect(ramp(10, 6), 4, 3), 8, 6, 1, 0);
}

TEST(ResponseWindow, EqualsTheWholeImageResponseAtTheSamePixels) {
    std::mt19937 rng(3);
    const Plane x = ks::test::random_plane(23, 17, rng, 0.0f, 1.0f);
    const ConvKernel k = make_filter("sobel_x");
    const Plane full = correlate(x, k);
    const Plane w = correlate_window(x, k, -2, 10, 9, 12);  // clipped at the left and bottom edges
    ASSERT_EQ(w.width, 7);
    ASSERT_EQ(w.height, 7);
    for (int y = 0; y < w.height; ++y)
        for (int xx = 0; xx < w.width; ++xx) EXPECT_NEAR(w.at(xx, y), full.at(xx, 10 + y), 1e-5f);
    BilateralParams p;
    const Plane bf = bilateral_filter(x, p);
    // Windows at the right and top edges, the left and bottom ones (clipped), and inside:
    // the same pixels of the whole-image response, exactly (one kernel computes both).
    for (const auto& [x0, y0, ww, hh] : {std::array<int, 4>{15, 0, 8, 5}, {-3, 9, 6, 12}, {4, 3, 9, 7}}) {
        const Plane bw = bilateral_window(x, p, x0, y0, ww, hh);
        const int cx = std::max(x0, 0), cy = std::max(y0, 0);
        ASSERT_EQ(bw.width, std::min(x0 + ww, x.width) - cx);
        ASSERT_EQ(bw.height, std::min(y0 + hh, x.height) - cy);
        for (int y = 0; y < bw.height; ++y)
            for (int xx = 0; xx < bw.width; ++xx) ASSERT_EQ(bw.at(xx, y), bf.at(cx + xx, cy + y)) << x0 << "," << y0;
    }
    EXPECT_THROW(bilateral_filter_region(x, p, 20, 0, 4, 4), InputError);
}

TEST(NumberFormat, ColorbarLabelsReadAsPeopleWriteThem) {
    EXPECT_EQ(format_for_people(1.58e-9, 0.0742), "0");
    EXPECT_EQ(format_for_people(0.0742, 0.0742), "0.0742");
    EXPECT_EQ(format_for_people(2.235e-7, 2.0), "0");
    EXPECT_EQ(format_for_people(2.235e-7), "2.24e-07");
    EXPECT_EQ(format_for_people(2.0), "2");
    EXPECT_EQ(format_for_people(0.225), "0.225");
    EXPECT_EQ(format_for_people(-0.5), "-0.5");
    EXPECT_EQ(format_for_people(123.4), "123");
    EXPECT_EQ(format_for_people(0.0), "0");
    EXPECT_EQ(format_for_people(std::nan("")), "nan");
}

TEST(QueryComparison, LitShareCountsPatchesAtOrAboveATenthOfTheRange) {
    HeatScale s;
    s.lo = 0.0f;
    s.hi = 1.0f;
    // 0.1 sits exactly on the threshold and counts; 0.0999 does not.
    EXPECT_DOUBLE_EQ(lit_share({0.0f, 0.0999f, 0.1f, 0.5f, 2.0f}, s), 3.0 / 5.0);
    EXPECT_DOUBLE_EQ(lit_share({}, s), 0.0);
    s.hi = 0.5f;
    EXPECT_DOUBLE_EQ(lit_share({0.04f, 0.05f, 0.5f, 0.0f}, s), 2.0 / 4.0);
    // Log scale: 10% of log10(hi) - log10(lo); with lo = hi * 1e-3 that is hi * 10^-2.7.
    s.log = true;
    s.hi = 1.0f;
    s.lo = 1e-3f;
    const float at = std::pow(10.0f, -2.7f);
    EXPECT_DOUBLE_EQ(lit_share({at * 1.01f, at * 0.99f, 0.0f, 1.0f}, s), 2.0 / 4.0);
}

TEST(QueryComparison, LeavingTheQueryOutLightsTheRestOfTheMap) {
    // One dominant self-weight: with it in the scale one patch is lit; without it, all.
    PatchHeat b;
    b.values.assign(100, 0.005f);
    b.values[42] = 0.5f;
    b.query_patch = 42;
    HeatOptions o;
    o.exclude_query = false;
    o.log_scale = false;
    o.top_quantile = 1.0f;
    EXPECT_DOUBLE_EQ(lit_share(b.values, shared_heat_scale({&b}, o)), 0.01);
    o.exclude_query = true;
    EXPECT_DOUBLE_EQ(lit_share(b.values, shared_heat_scale({&b}, o)), 1.0);
}

TEST(QueryComparison, TheScaleTopIsANearestRankQuantileAndSaysWhenItClips) {
    PatchHeat a;
    for (int i = 1; i <= 200; ++i) a.values.push_back(static_cast<float>(i));  // 1 .. 200
    a.query_patch = -1;
    HeatOptions o;
    o.log_scale = false;
    o.top_quantile = 0.99f;
    HeatScale s = shared_heat_scale({&a}, o);
    EXPECT_FLOAT_EQ(s.hi, 198.0f);  // rank ceil(0.99 * 200) = 198
    EXPECT_TRUE(s.clipped);         // 199 and 200 lie above it
    o.top_quantile = 1.0f;
    s = shared_heat_scale({&a}, o);
    EXPECT_FLOAT_EQ(s.hi, 200.0f);
    EXPECT_FALSE(s.clipped);
    // Two maps: the larger of their tops, so neither is scaled by the other's alone.
    PatchHeat b;
    b.values.assign(200, 0.5f);
    o.top_quantile = 0.99f;
    EXPECT_FLOAT_EQ(shared_heat_scale({&b, &a}, o).hi, 198.0f);
    EXPECT_FLOAT_EQ(shared_heat_scale({&b}, o).hi, 0.5f);
}

// A's and B's maps both set the one scale, in either order: the top is the larger of
// their tops, and a value of either above it says "clipped". (A scale from B alone
// would leave A's larger values at the top colour.)
TEST(QueryComparison, BothMapsEnterTheSharedScale) {
    PatchHeat a, b;
    a.values = {0.1f, 0.6f, 0.3f, 0.9f};  // 0.9: the query's own patch, left out of the top
    a.query_patch = 3;
    b.values = {0.2f, 0.4f, 0.3f, 0.1f};
    b.query_patch = 3;
    HeatOptions o;
    o.log_scale = false;
    o.top_quantile = 1.0f;
    for (const auto& pair : {std::vector<const PatchHeat*>{&a, &b}, std::vector<const PatchHeat*>{&b, &a}}) {
        const HeatScale s = shared_heat_scale(pair, o);
        EXPECT_FLOAT_EQ(s.hi, 0.6f);  // A's top; B's alone is 0.4
        EXPECT_TRUE(s.clipped);       // by A's query patch only
    }
    a.values[1] = 0.05f;  // now B sets the top, and nothing lies above it
    a.values[3] = 0.35f;
    for (const auto& pair : {std::vector<const PatchHeat*>{&a, &b}, std::vector<const PatchHeat*>{&b, &a}}) {
        const HeatScale s = shared_heat_scale(pair, o);
        EXPECT_FLOAT_EQ(s.hi, 0.4f);
        EXPECT_FALSE(s.clipped);
    }
}

TEST(QueryComparison, TheDifferenceScaleLeavesTheQueryOut) {
    std::vector<float> d(100, 0.0f);
    for (int i = 0; i < 100; ++i) d[static_cast<size_t>(i)] = (i % 2 ? 1.0f : -1.0f) * 0.01f * static_cast<float>(i % 7);
    d[10] = -0.9f;  // the query's own patch: most of the change
    HeatOptions o;
    o.top_quantile = 1.0f;
    EXPECT_FLOAT_EQ(difference_scale(d, 10, o), 0.06f);
    o.exclude_query = false;
    EXPECT_FLOAT_EQ(difference_scale(d, 10, o), 0.9f);
    EXPECT_FLOAT_EQ(difference_scale(std::vector<float>(5, 0.0f), -1, o), 0.0f);
}
