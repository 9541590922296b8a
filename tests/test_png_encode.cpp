// png_bytes (core/io/png_encode.cpp): lossless, a valid PNG for any size, and the same
// bytes whatever the thread count (render and the app's Ctrl+E write the same files).
// The big pictures are coloured straight to bytes: the same bytes as to_rgb8 of the
// float pictures.
#include <gtest/gtest.h>

#include <omp.h>
#include <stb_image.h>

#include "io/file_output.h"
#include "pipeline/render.h"
#include "test_support.h"

using namespace ks;

namespace {

std::vector<unsigned char> random_bytes(int w, int h, unsigned seed, bool smooth) {
    std::mt19937 rng(seed);
    std::vector<unsigned char> v(static_cast<size_t>(w) * h * 3);
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = smooth ? static_cast<unsigned char>((i / 3 % w + i / 3 / w + i % 3 * 40 + rng() % 3) & 0xff)
                      : static_cast<unsigned char>(rng());
    return v;
}

std::vector<unsigned char> decode(const std::string& png, int* w, int* h) {
    int c = 0;
    unsigned char* p = stbi_load_from_memory(reinterpret_cast<const unsigned char*>(png.data()), static_cast<int>(png.size()), w,
                                             h, &c, 3);
    if (!p) return {};
    std::vector<unsigned char> out(p, p + static_cast<size_t>(*w) * *h * 3);
    stbi_image_free(p);
    return out;
}

}  // namespace

TEST(PngEncode, RoundTripsExactly) {
    // One row, one column, one band, several bands and a short last band (128 rows a band).
    for (const auto& [w, h] : std::vector<std::pair<int, int>>{{1, 1}, {7, 1}, {1, 300}, {33, 128}, {50, 129}, {301, 517}})
        for (const bool smooth : {false, true}) {
            const auto rgb = random_bytes(w, h, static_cast<unsigned>(w * 1000 + h), smooth);
            int dw = 0, dh = 0;
            const auto back = decode(png_bytes(rgb, w, h), &dw, &dh);
            ASSERT_EQ(dw, w);
            ASSERT_EQ(dh, h);
            EXPECT_EQ(back, rgb) << w << " x " << h << (smooth ? " smooth" : " noise");
        }
}

TEST(PngEncode, SameBytesForAnyThreadCount) {
    const auto rgb = random_bytes(640, 700, 7, true);
    const int before = omp_get_max_threads();
    omp_set_num_threads(1);
    const std::string one = png_bytes(rgb, 640, 700);
    omp_set_num_threads(4);
    const std::string four = png_bytes(rgb, 640, 700);
    omp_set_num_threads(before);
    EXPECT_EQ(one, four);
}

TEST(PngEncode, RefusesAMismatchedBuffer) {
    EXPECT_THROW(png_bytes(std::vector<unsigned char>(11), 2, 2), InputError);
    EXPECT_THROW(png_bytes({}, 0, 0), InputError);
}

TEST(PngEncode, PicturesStraightToBytesMatchTheFloatOnes) {
    const Image img = test::random_image(203, 151, 3);
    TokenLayout lay;
    lay.grid_h = 9;
    lay.grid_w = 12;
    std::mt19937 rng(5);
    std::vector<float> heat(static_cast<size_t>(lay.grid_h) * lay.grid_w);
    for (float& v : heat) v = std::uniform_real_distribution<float>(0.0f, 1.0f)(rng);
    for (const int qr : {-1, 0, 4, 8})
        EXPECT_EQ(heatmap_overlay_rgb8(img, heat, lay, Colormap::Inferno, 0.6f, qr, qr + 3),
                  to_rgb8(heatmap_overlay(img, heat, lay, Colormap::Inferno, 0.6f, qr, qr + 3)))
            << qr;
    const Plane p = test::random_plane(203, 151, rng, -2.0f, 3.0f);
    EXPECT_EQ(response_picture_rgb8(p, response_scale(p), response_is_signed(p)), to_rgb8(response_picture(p)));
}
