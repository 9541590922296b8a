#include <gtest/gtest.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "io/file_output.h"
#include "image/image.h"
#include "io/npy.h"
#include "test_support.h"

using namespace ks;

namespace {

std::string write_bytes(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
}

// 2x2 image with known pixels encoded with `comp` channels by stb_image_write.
std::string encode(const std::string& fmt, int comp, const std::filesystem::path& p) {
    const unsigned char px[4][4] = {{255, 0, 0, 255}, {0, 255, 0, 128}, {0, 0, 255, 255}, {255, 255, 255, 0}};
    std::vector<unsigned char> data;
    for (auto& q : px)
        for (int c = 0; c < comp; ++c) data.push_back(comp <= 2 ? q[c == 0 ? 0 : 3] : q[c]);
    const std::string path = p.string();
    int ok = 0;
    if (fmt == "png") ok = stbi_write_png(path.c_str(), 2, 2, comp, data.data(), 2 * comp);
    if (fmt == "bmp") ok = stbi_write_bmp(path.c_str(), 2, 2, comp, data.data());
    if (fmt == "tga") ok = stbi_write_tga(path.c_str(), 2, 2, comp, data.data());
    if (fmt == "jpg") ok = stbi_write_jpg(path.c_str(), 2, 2, comp, data.data(), 100);
    EXPECT_TRUE(ok);
    return path;
}

}  // namespace

TEST(ImageLoad, LosslessFormatsDecodeExactPixelsAsRgb) {
    const auto dir = test::scratch_dir("fmt");
    for (const std::string fmt : {"png", "bmp", "tga"}) {
        const Image img = load_image(encode(fmt, 3, dir / ("a." + fmt)));
        ASSERT_EQ(img.width, 2);
        ASSERT_EQ(img.height, 2);
        EXPECT_FLOAT_EQ(img.at(0, 0, 0), 1.0f) << fmt;
        EXPECT_FLOAT_EQ(img.at(1, 0, 1), 1.0f) << fmt;
        EXPECT_FLOAT_EQ(img.at(0, 1, 2), 1.0f) << fmt;
        EXPECT_FLOAT_EQ(img.at(0, 0, 1), 0.0f) << fmt;
    }
}

TEST(ImageLoad, JpegDecodesCloseToSource) {
    const auto dir = test::scratch_dir("jpg");
    const Image img = load_image(encode("jpg", 3, dir / "a.jpg"));
    ASSERT_EQ(img.width, 2);
    EXPECT_EQ(img.rgb.size(), 12u);
    EXPECT_GT(img.at(1, 1, 0), 0.6f);  // the white pixel stays bright
}

TEST(ImageLoad, GrayGrayAlphaAndRgbaBecomeRgb) {
    const auto dir = test::scratch_dir("comp");
    for (int comp : {1, 2, 4}) {
        const Image img = load_image(encode("png", comp, dir / ("c" + std::to_string(comp) + ".png")));
        ASSERT_EQ(img.rgb.size(), 12u) << comp;
        if (comp <= 2) {  // gray: the three channels are equal
            EXPECT_FLOAT_EQ(img.at(0, 0, 0), img.at(0, 0, 1));
            EXPECT_FLOAT_EQ(img.at(0, 0, 1), img.at(0, 0, 2));
            EXPECT_FLOAT_EQ(img.at(0, 0, 0), 1.0f);
        } else {
            EXPECT_FLOAT_EQ(img.at(0, 0, 0), 1.0f);
            EXPECT_FLOAT_EQ(img.at(0, 0, 2), 0.0f);
        }
    }
}

TEST(ImageLoad, GifFirstFrame) {
    // A 2x1 GIF89a, palette {red, blue}, pixels [red, blue]; hand-assembled so no tool is needed.
    const unsigned char gif[] = {'G', 'I', 'F', '8', '9', 'a', 2, 0, 1, 0, 0x80, 0, 0,
                                 255, 0, 0, 0, 0, 255,                          // global palette
                                 0x2C, 0, 0, 0, 0, 2, 0, 1, 0, 0,               // image descriptor
                                 2, 2, 0x44, 0x0A, 0, 0x3B};                    // LZW min 2, codes [clear,0,1,end]
    const Image img = load_image_from_memory(gif, sizeof gif, "tiny.gif");
    ASSERT_EQ(img.width, 2);
    ASSERT_EQ(img.height, 1);
    EXPECT_FLOAT_EQ(img.at(0, 0, 0), 1.0f);
    EXPECT_FLOAT_EQ(img.at(1, 0, 2), 1.0f);
    EXPECT_FLOAT_EQ(img.at(1, 0, 0), 0.0f);
}

TEST(ImageLoad, BundledSamplesLoad) {
    for (const char* name : {"chelsea.png", "coffee.png", "astronaut.png", "rocket.jpg", "brick.png"}) {
        const Image img = load_image(test::sample(name));
        EXPECT_GT(img.width, 100) << name;
        EXPECT_EQ(img.rgb.size(), static_cast<size_t>(img.width) * img.height * 3);
    }
}

TEST(ImageLoad, ErrorsNameTheFileAndReason) {
    const auto dir = test::scratch_dir("bad");
    const std::string missing = (dir / "nope.png").string();
    try {
        load_image(missing);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find(missing), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos);
    }
    EXPECT_THROW(load_image(write_bytes(dir / "empty.png", "")), InputError);
    EXPECT_THROW(load_image(write_bytes(dir / "text.png", "hello, I am text\n")), InputError);
}

TEST(ImageLoad, HugeClaimedSizeRefusedBeforeDecoding) {
    // A PNG signature and an IHDR that claims 100000 x 100000; stbi_info reads it, the
    // decoder must never be asked to allocate 30 GB.
    std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
    const unsigned char dims[] = {0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0, 8, 2, 0, 0, 0};
    png.append(reinterpret_cast<const char*>(dims), sizeof dims);
    png.append("\0\0\0\0", 4);  // CRC (stb does not check it)
    try {
        load_image_from_memory(reinterpret_cast<const unsigned char*>(png.data()), png.size(), "huge.png");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("100000 x 100000"), std::string::npos) << e.what();
    }
}

namespace {

Image from_hwc(const NpyArray& a) {
    Image img;
    img.height = static_cast<int>(a.shape[0]);
    img.width = static_cast<int>(a.shape[1]);
    img.rgb = a.data;
    return img;
}

}  // namespace

TEST(Resize, MatchesTorchInterpolate) {
    const Image src = from_hwc(read_npy(test::fixture("core/resize_input.npy")));
    for (const auto& [mode, interp] : {std::pair{"bilinear", Interp::Bilinear}, std::pair{"bicubic", Interp::Bicubic}}) {
        for (const auto& [h, w] : {std::pair{20, 31}, std::pair{5, 4}}) {
            const NpyArray want = read_npy(test::fixture("core/resize_" + std::string(mode) + "_" + std::to_string(h) + "x" +
                                                         std::to_string(w) + ".npy"));
            const Image got = resize(src, w, h, interp);
            ASSERT_EQ(got.rgb.size(), want.data.size());
            float err = 0;
            for (size_t i = 0; i < got.rgb.size(); ++i) err = std::max(err, std::fabs(got.rgb[i] - want.data[i]));
            EXPECT_LT(err, 1e-5f) << mode << " " << h << "x" << w;
        }
    }
}

TEST(Resize, SameSizeIsIdentityAndLuminanceWeights) {
    const Image img = test::random_image(7, 5, 3);
    EXPECT_EQ(resize(img, 7, 5, Interp::Bicubic).rgb, img.rgb);
    const Plane y = luminance(img);
    EXPECT_NEAR(y.at(2, 3), 0.299f * img.at(2, 3, 0) + 0.587f * img.at(2, 3, 1) + 0.114f * img.at(2, 3, 2), 1e-6f);
}

// to_rgb8 rounds as std::lround of the clamped value times 255 (its earlier form),
// halves included, over a dense sweep; NaN and out-of-range values clamp.
TEST(Image, ToRgb8RoundsLikeLround) {
    Image img;
    std::vector<float> v;
    for (int k = -300; k <= 1300000; ++k) v.push_back(static_cast<float>(k) / 1000000.0f * 1.1f - 0.05f);
    for (int k = 0; k < 255; ++k) v.push_back((static_cast<float>(k) + 0.5f) / 255.0f);  // the halves
    v.push_back(std::nanf(""));
    v.push_back(-INFINITY);
    v.push_back(INFINITY);
    while (v.size() % 3) v.push_back(0.5f);
    img.width = static_cast<int>(v.size() / 3);
    img.height = 1;
    img.rgb = v;
    const std::vector<unsigned char> got = to_rgb8(img);
    ASSERT_EQ(got.size(), v.size());
    for (size_t i = 0; i < v.size(); ++i) {
        const float c = std::isnan(v[i]) ? 0.0f : std::clamp(v[i], 0.0f, 1.0f);
        ASSERT_EQ(got[i], static_cast<unsigned char>(std::lround(c * 255.0f))) << "at " << v[i];
    }
}
