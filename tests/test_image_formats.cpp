// Photos as users have them, and only the listed formats reaching a decoder: EXIF
// orientation applied as viewers apply it, top-down BMPs, and the formats stb_image
// also decodes (PIC, HDR, PSD, PNM) refused by their first bytes before stb sees them.
#include <gtest/gtest.h>

#include <stb_image_write.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "image/exif_orientation.h"
#include "image/image.h"
#include "io/input_error.h"

using namespace ks;

namespace {

std::string error_of(const std::string& bytes) {
    try {
        load_image_from_memory(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), "x", ImageLoadOptions{});
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

// A 16 x 8 JPEG: the left half red, the right half blue.
std::string red_blue_jpeg() {
    std::vector<unsigned char> px(16 * 8 * 3, 0);
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 16; ++x) px[(y * 16 + x) * 3 + (x < 8 ? 0 : 2)] = 255;
    std::string out;
    stbi_write_jpg_to_func([](void* ctx, void* data, int n) { static_cast<std::string*>(ctx)->append(static_cast<char*>(data), n); },
                           &out, 16, 8, 3, px.data(), 100);
    return out;
}

// The same JPEG with an EXIF APP1 segment (big- or little-endian TIFF) saying `orientation`.
std::string with_exif(const std::string& jpeg, int orientation, bool little) {
    std::string tiff = little ? std::string("II*\0", 4) + std::string("\x08\0\0\0", 4) : std::string("MM\0*", 4) + std::string("\0\0\0\x08", 4);
    auto u16 = [&](unsigned v) { return little ? std::string{char(v & 255), char(v >> 8)} : std::string{char(v >> 8), char(v & 255)}; };
    tiff += u16(1);                                  // one IFD0 entry
    tiff += u16(0x0112) + u16(3);                    // Orientation, SHORT
    tiff += little ? std::string("\x01\0\0\0", 4) : std::string("\0\0\0\x01", 4);  // count 1
    tiff += u16(static_cast<unsigned>(orientation)) + std::string(2, '\0');
    tiff += std::string(4, '\0');                    // no next IFD
    const std::string payload = std::string("Exif\0\0", 6) + tiff;
    const size_t len = payload.size() + 2;
    const std::string app1 = std::string("\xFF\xE1", 2) + char(len >> 8) + char(len & 255) + payload;
    return jpeg.substr(0, 2) + app1 + jpeg.substr(2);
}

bool near_color(const Image& img, int x, int y, float r, float g, float b) {
    return std::abs(img.at(x, y, 0) - r) < 0.2f && std::abs(img.at(x, y, 1) - g) < 0.2f && std::abs(img.at(x, y, 2) - b) < 0.2f;
}

Image load(const std::string& bytes) {
    return load_image_from_memory(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), "x", ImageLoadOptions{});
}

}  // namespace

TEST(ExifOrientation, ReadsTheTagInBothByteOrdersAndIgnoresTheRest) {
    const std::string j = red_blue_jpeg();
    for (int o = 1; o <= 8; ++o)
        for (bool little : {true, false}) {
            const std::string e = with_exif(j, o, little);
            EXPECT_EQ(jpeg_exif_orientation(reinterpret_cast<const unsigned char*>(e.data()), e.size()), o);
        }
    EXPECT_EQ(jpeg_exif_orientation(reinterpret_cast<const unsigned char*>(j.data()), j.size()), 1);  // no EXIF
    const std::string bad = with_exif(j, 9, true);  // out of range
    EXPECT_EQ(jpeg_exif_orientation(reinterpret_cast<const unsigned char*>(bad.data()), bad.size()), 1);
    // A truncated EXIF block: every offset is checked, the answer is 1.
    const std::string cut = with_exif(j, 6, true).substr(0, 24);
    EXPECT_EQ(jpeg_exif_orientation(reinterpret_cast<const unsigned char*>(cut.data()), cut.size()), 1);
}

TEST(ExifOrientation, APhonePhotoTakenUprightLoadsUpright) {
    const std::string j = red_blue_jpeg();
    const Image plain = load(j);
    ASSERT_EQ(plain.width, 16);
    ASSERT_EQ(plain.height, 8);
    EXPECT_TRUE(near_color(plain, 2, 4, 1, 0, 0));
    // 6: the stored picture is to be turned 90 degrees clockwise: its left (red) half on top.
    const Image six = load(with_exif(j, 6, true));
    ASSERT_EQ(six.width, 8);
    ASSERT_EQ(six.height, 16);
    EXPECT_TRUE(near_color(six, 4, 2, 1, 0, 0));
    EXPECT_TRUE(near_color(six, 4, 13, 0, 0, 1));
    // 8: counter-clockwise: red at the bottom. 3: upside down: red on the right.
    const Image eight = load(with_exif(j, 8, false));
    ASSERT_EQ(eight.height, 16);
    EXPECT_TRUE(near_color(eight, 4, 13, 1, 0, 0));
    const Image three = load(with_exif(j, 3, true));
    ASSERT_EQ(three.width, 16);
    EXPECT_TRUE(near_color(three, 13, 4, 1, 0, 0));
}

TEST(ExifOrientation, EveryOrientationMapsPixelsAsEXIFDefinesThem) {
    // A 3 x 2 picture of one channel: values 0..5 row-major. Each orientation's expected
    // result written out by hand from the EXIF definitions.
    const unsigned char s[6] = {0, 1, 2, 3, 4, 5};
    const std::vector<std::vector<unsigned char>> want = {
        {}, {0, 1, 2, 3, 4, 5}, {2, 1, 0, 5, 4, 3}, {5, 4, 3, 2, 1, 0}, {3, 4, 5, 0, 1, 2},
        {0, 3, 1, 4, 2, 5}, {3, 0, 4, 1, 5, 2}, {5, 2, 4, 1, 3, 0}, {2, 5, 1, 4, 0, 3}};
    for (int o = 1; o <= 8; ++o) {
        int w = 3, h = 2;
        EXPECT_EQ(apply_exif_orientation(s, &w, &h, 1, o), want[static_cast<size_t>(o)]) << "orientation " << o;
        EXPECT_EQ(w, o >= 5 ? 2 : 3);
    }
}

TEST(ImageFormats, ATopDownBmpLoadsTheRightWayUp) {
    // 2 x 2, 24-bit, height -2: the first stored row is the top row (red, green), then (blue, white).
    std::string b = "BM";
    auto u32 = [](uint32_t v) { return std::string{char(v), char(v >> 8), char(v >> 16), char(v >> 24)}; };
    auto u16 = [](uint16_t v) { return std::string{char(v), char(v >> 8)}; };
    const std::string rows = std::string("\x00\x00\xFF\x00\xFF\x00", 6) + std::string(2, '\0') +
                             std::string("\xFF\x00\x00\xFF\xFF\xFF", 6) + std::string(2, '\0');  // BGR, rows padded to 4
    b += u32(54 + static_cast<uint32_t>(rows.size())) + u32(0) + u32(54);
    b += u32(40) + u32(2) + u32(static_cast<uint32_t>(-2)) + u16(1) + u16(24) + u32(0) + u32(static_cast<uint32_t>(rows.size())) +
         u32(2835) + u32(2835) + u32(0) + u32(0);
    b += rows;
    const Image img = load(b);
    ASSERT_EQ(img.width, 2);
    ASSERT_EQ(img.height, 2);
    EXPECT_TRUE(near_color(img, 0, 0, 1, 0, 0));
    EXPECT_TRUE(near_color(img, 1, 0, 0, 1, 0));
    EXPECT_TRUE(near_color(img, 0, 1, 0, 0, 1));
    EXPECT_TRUE(near_color(img, 1, 1, 1, 1, 1));
}

TEST(ImageFormats, FormatsOffTheListNeverReachADecoder) {
    // The 128-byte Softimage PIC that crashed stb and the 53-byte Radiance HDR that hung it.
    std::string pic = std::string("\x53\x80\xF6\x34", 4) + std::string(84, 'x') + "PICT" + std::string(36, '\0');
    EXPECT_EQ(error_of(pic), "Cannot open the image 'x': it is a Softimage PIC image; kernelscope reads PNG, JPEG, BMP, TGA and GIF.");
    const std::string hdr = "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 8 +X 8\n\x02\x02\x00\x08\x80";
    EXPECT_EQ(error_of(hdr), "Cannot open the image 'x': it is a Radiance HDR image; kernelscope reads PNG, JPEG, BMP, TGA and GIF.");
    EXPECT_NE(error_of("8BPS" + std::string(40, '\0')).find("Photoshop (PSD)"), std::string::npos);
    EXPECT_NE(error_of("P6\n4 4\n255\n" + std::string(48, 'a')).find("PNM"), std::string::npos);
    EXPECT_EQ(error_of(std::string(64, 'z')), "Cannot open the image 'x': it is not a PNG, JPEG, BMP, TGA or GIF image.");
}

TEST(ImageFormats, AJpegScanMustUseTablesTheFileDefines) {
    // stb 2.27 decodes with its unzeroed decoder state when a scan names a Huffman or
    // quantisation table no segment defined (UBSan: shift exponents of 34); refused first.
    const std::string seeds = std::string(KS_FIXTURES_DIR) + "/../fuzz/corpus/image/";
    auto bytes = [&](const std::string& name) {
        std::ifstream in(seeds + name, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string base = bytes("rgb17.jpg");
    ASSERT_FALSE(base.empty());
    // A progressive file (jpegtran -progressive of the same data) defines each table just
    // before the scans that use it, and its DC refinement scans name tables they never read.
    const Image a = load(base), p = load(bytes("rgb17_progressive.jpg"));
    ASSERT_EQ(p.width, a.width);
    ASSERT_EQ(p.height, a.height);
    EXPECT_EQ(p.rgb, a.rgb) << "the same coefficients decode to the same pixels";
    const size_t sos = base.find("\xFF\xDA"), sof = base.find("\xFF\xC0");
    std::string ac = base, dc = base, q = base;
    ac[sos + 6] = 0x02;  // AC table 2 of the first component: never defined
    dc[sos + 6] = 0x30;
    q[sof + 12] = 0x03;  // quantisation table 3
    EXPECT_EQ(error_of(ac), "Cannot open the image 'x': the JPEG data is corrupt (a scan uses a Huffman table the file does not define).");
    EXPECT_EQ(error_of(dc), error_of(ac));
    EXPECT_EQ(error_of(q), "Cannot open the image 'x': the JPEG data is corrupt (a scan uses a quantisation table the file does not define).");
}
