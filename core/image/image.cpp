#include "image/image.h"

#include "image/exif_orientation.h"
#include "image/image_header.h"
#include "io/file_output.h"  // unit_to_byte
#include "io/file_read.h"

#include <stb_image.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ks {

namespace {

// The format the first bytes announce ("PNG", "JPEG", ...), for messages: stb's own
// failure ids ("outofdata", "bad png sig") are not sentences and often name the wrong format.
std::string format_of(const unsigned char* b, size_t n) {
    if (n >= 8 && std::memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) return "PNG";
    if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return "JPEG";
    if (n >= 6 && (std::memcmp(b, "GIF87a", 6) == 0 || std::memcmp(b, "GIF89a", 6) == 0)) return "GIF";
    if (n >= 2 && b[0] == 'B' && b[1] == 'M') return "BMP";
    if (n >= 18 && b[1] <= 1 && (b[2] == 1 || b[2] == 2 || b[2] == 3 || b[2] == 9 || b[2] == 10 || b[2] == 11)) return "TGA";
    return "image";
}

// Formats stb_image also decodes but kernelscope does not read, named for the message.
// Their decoders in stb 2.27 crash or hang on crafted files (a 128-byte Softimage PIC,
// a 53-byte Radiance HDR), so they never reach stb.
std::string unlisted_format(const unsigned char* b, size_t n) {
    if (n >= 4 && b[0] == 0x53 && b[1] == 0x80 && b[2] == 0xF6 && b[3] == 0x34) return "a Softimage PIC image";
    if (n >= 2 && b[0] == '#' && b[1] == '?') return "a Radiance HDR image";
    if (n >= 4 && std::memcmp(b, "8BPS", 4) == 0) return "a Photoshop (PSD) image";
    if (n >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '7') return "a PNM (PPM/PGM) image";
    return "";
}

// The format the first bytes announce, checked before any decoder sees them: only the
// listed formats, of an allowed file size, with sane JPEG tables. `head` starts each sentence.
std::string checked_format(const unsigned char* bytes, size_t size, const std::string& head) {
    if (size == 0) throw InputError(head + "the file is empty.");
    if (size > kMaxImageFileBytes)
        throw InputError(head + "the file is " + byte_size_text(size) + ", more than the " +
                         byte_size_text(kMaxImageFileBytes) + " allowed for an image.");
    const std::string format = format_of(bytes, size);
    if (format == "image") {
        const std::string other = unlisted_format(bytes, size);
        throw InputError(head + (other.empty() ? std::string("it is not a PNG, JPEG, BMP, TGA or GIF image.")
                                               : "it is " + other + "; kernelscope reads PNG, JPEG, BMP, TGA and GIF."));
    }
    // Before stb sees the bytes at all (stbi_info parses the tables too).
    if (const std::string why = jpeg_structure_problem(bytes, size); !why.empty())
        throw InputError(head + "the JPEG data is corrupt (" + why + ").");
    return format;
}

// The size the header claims, read before decoding so a file claiming a huge size, or
// more pixels than its bytes can hold, is refused without a decoder running.
void check_claimed_size(const unsigned char* bytes, size_t size, const std::string& format, const std::string& head) {
    int w = 0, h = 0, comp = 0;
    const bool known = claimed_image_size(bytes, size, &w, &h);
    if (!known && !stbi_info_from_memory(bytes, static_cast<int>(size), &w, &h, &comp))
        throw InputError(head + (format_of(bytes, size) == "image"
                                     ? std::string("it is not a PNG, JPEG, BMP, TGA or GIF image.")
                                     : "its " + format_of(bytes, size) + " header is corrupt or truncated."));
    // A BMP stored top-down gives a negative height; stb reads it the right way up.
    if (format == "BMP" && h < 0 && h > -kMaxImageSide - 1) h = -h;
    if (w <= 0 || h <= 0)
        throw InputError(head + "its header gives the size " + std::to_string(w) + " x " + std::to_string(h) +
                         ", which has no pixels.");
    if (w > kMaxImageSide || h > kMaxImageSide || static_cast<long long>(w) * h > kMaxImagePixels)
        throw InputError(head + "its size " + std::to_string(w) + " x " + std::to_string(h) + " exceeds the limit of " +
                         std::to_string(kMaxImageSide) + " px a side and 64 megapixels.");
    if (const size_t need = min_encoded_bytes(bytes, size, w, h); size < need)
        throw InputError(head + "its header gives " + std::to_string(w) + " x " + std::to_string(h) + " pixels, but its " +
                         std::to_string(size) + " bytes cannot hold them (a " + format_of(bytes, size) +
                         " of that size needs at least " + std::to_string(need) + "): it is truncated or corrupt.");
}

// 8-bit RGB to float while box-reducing by f, so only the reduced float image is held.
// Each output value is (((0 + p0/255) + p1/255) + ...) / n in row-major order of its
// block's pixels; the table holds the 256 quotients. Dividing by 4 and multiplying by
// 0.25 give the same float, so the 2 x 2 path equals the general one bit for bit.
Image to_float_reduced(const unsigned char* px, int dw, int dh, int f) {
    static const std::array<float, 256> unit = [] {
        std::array<float, 256> t{};
        for (int i = 0; i < 256; ++i) t[static_cast<size_t>(i)] = static_cast<float>(i) / 255.0f;
        return t;
    }();
    Image img;
    img.width = (dw + f - 1) / f;
    img.height = (dh + f - 1) / f;
    img.rgb.resize(static_cast<size_t>(img.width) * img.height * 3);
    if (f == 1) {
        for (size_t i = 0; i < img.rgb.size(); ++i) img.rgb[i] = unit[px[i]];
        return img;
    }
    for (int y = 0; y < img.height; ++y) {
        const int y0 = y * f, y1 = std::min(dh, y0 + f);
        float* out = img.rgb.data() + static_cast<size_t>(y) * img.width * 3;
        int x = 0;
        if (f == 2 && y1 - y0 == 2) {  // the common case, whole 2 x 2 blocks: the same sums, unrolled
            const unsigned char* a = px + static_cast<size_t>(y0) * dw * 3;
            const unsigned char* b = a + static_cast<size_t>(dw) * 3;
            for (; 2 * x + 2 <= dw; ++x, out += 3, a += 6, b += 6)
                for (int c = 0; c < 3; ++c) out[c] = (((unit[a[c]] + unit[a[c + 3]]) + unit[b[c]]) + unit[b[c + 3]]) * 0.25f;
        }
        for (; x < img.width; ++x, out += 3) {
            const int x0 = x * f, x1 = std::min(dw, x0 + f);
            float r = 0, g = 0, b = 0;
            for (int yy = y0; yy < y1; ++yy) {
                const unsigned char* p = px + (static_cast<size_t>(yy) * dw + x0) * 3;
                for (int xx = x0; xx < x1; ++xx, p += 3) {
                    r += unit[p[0]];
                    g += unit[p[1]];
                    b += unit[p[2]];
                }
            }
            const float n = static_cast<float>((y1 - y0) * (x1 - x0));
            out[0] = r / n;
            out[1] = g / n;
            out[2] = b / n;
        }
    }
    return img;
}

Image decode_checked(const unsigned char* bytes, size_t size, const std::string& name, const ImageLoadOptions& opt,
                     ImageLoadInfo* info) {
    const std::string head = "Cannot open the image '" + name + "': ";
    const std::string format = checked_format(bytes, size, head);
    check_claimed_size(bytes, size, format, head);
    int dw = 0, dh = 0, dc = 0;
    const std::string png = png_without_empty_idat(bytes, size);
    if (!png.empty()) {
        bytes = reinterpret_cast<const unsigned char*>(png.data());
        size = png.size();
    }
    // Asking for 3 channels makes stb convert gray, gray+alpha and RGBA to RGB.
    unsigned char* pix = stbi_load_from_memory(bytes, static_cast<int>(size), &dw, &dh, &dc, 3);
    if (!pix) throw InputError(head + "its " + format_of(bytes, size) + " data is corrupt or truncated.");
    struct Free {
        unsigned char* p;
        ~Free() { stbi_image_free(p); }
    } guard{pix};
    if (dw <= 0 || dh <= 0 || dw > kMaxImageSide || dh > kMaxImageSide || static_cast<long long>(dw) * dh > kMaxImagePixels)
        throw InputError(head + "it decodes to " + std::to_string(dw) + " x " + std::to_string(dh) +
                         " pixels, not the size its header gives.");
    // A phone photo's EXIF orientation, applied as viewers apply it.
    const unsigned char* px = pix;
    std::vector<unsigned char> oriented;
    if (const int o = format == "JPEG" ? jpeg_exif_orientation(bytes, size) : 1; o != 1) {
        oriented = apply_exif_orientation(pix, &dw, &dh, 3, o);
        px = oriented.data();
    }
    const int f = image_read_reduction(dw, dh, opt);
    if (info) {
        info->file_width = dw;
        info->file_height = dh;
        info->reduced_by = f;
    }
    return to_float_reduced(px, dw, dh, f);
}

}  // namespace

int image_read_reduction(int w, int h, const ImageLoadOptions& opt) {
    if (w <= 0 || h <= 0) return 1;
    int f = 1;
    if (opt.model_w > 0 && opt.model_h > 0)
        f = std::max(1, std::min(w / (2 * opt.model_w), h / (2 * opt.model_h)));
    if (f < 2) f = 1;
    const long long cap = std::max(1LL, opt.max_pixels);
    auto fits = [&](int g) { return static_cast<long long>((w + g - 1) / g) * ((h + g - 1) / g) <= cap; };
    while (!fits(f)) ++f;
    return f;
}

Image load_image_from_memory(const unsigned char* bytes, size_t size, const std::string& name, const ImageLoadOptions& opt,
                             ImageLoadInfo* info) {
    return decode_checked(bytes, size, name, opt, info);
}

Image load_image(const std::string& path, const ImageLoadOptions& opt, ImageLoadInfo* info) {
    const std::string bytes = read_regular_file(path, kMaxImageFileBytes, "image");
    return decode_checked(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), path, opt, info);
}

namespace {

// Keys' cubic convolution with a = -0.75, the kernel PyTorch and OpenCV use.
float cubic_weight(float x) {
    const float a = -0.75f;
    x = std::fabs(x);
    if (x <= 1.0f) return ((a + 2.0f) * x - (a + 3.0f)) * x * x + 1.0f;
    if (x < 2.0f) return ((a * x - 5.0f * a) * x + 8.0f * a) * x - 4.0f * a;
    return 0.0f;
}

// Half-pixel centre mapping (align_corners = false).
float source_coord(int dst, int dst_size, int src_size) {
    return (dst + 0.5f) * static_cast<float>(src_size) / dst_size - 0.5f;
}

}  // namespace

Image resize(const Image& src, int width, int height, Interp interp) {
    if (src.empty() || width <= 0 || height <= 0) throw InputError("Cannot resize an empty image.");
    if (width == src.width && height == src.height) return src;
    return resize_window(src, width, height, 0, 0, width, height, interp);
}

Image resize_window(const Image& src, int width, int height, int x0, int y0, int out_w, int out_h, Interp interp) {
    if (src.empty() || width <= 0 || height <= 0) throw InputError("Cannot resize an empty image.");
    if (x0 < 0 || y0 < 0 || out_w <= 0 || out_h <= 0 || x0 + static_cast<long long>(out_w) > width ||
        y0 + static_cast<long long>(out_h) > height || static_cast<long long>(out_w) * out_h > kMaxImagePixels)
        throw InputError("Cannot resize: the window lies outside the resized image or is too large.");
    Image dst;
    dst.width = out_w;
    dst.height = out_h;
    dst.rgb.assign(static_cast<size_t>(out_w) * out_h * 3, 0.0f);
    auto clampi = [](int v, int n) { return std::min(std::max(v, 0), n - 1); };
    // Only the window's pixels of the (virtual) width x height result are computed, so
    // a crop of a huge intermediate (an extreme aspect ratio) costs only the crop.
    // Rows are independent: threaded, the same floats on any thread count.
#pragma omp parallel for schedule(static) if (static_cast<long long>(out_w) * out_h > (1 << 12))
    for (int y = 0; y < out_h; ++y) {
        const float sy = source_coord(y0 + y, height, src.height);
        for (int x = 0; x < out_w; ++x) {
            const float sx = source_coord(x0 + x, width, src.width);
            float acc[3] = {0, 0, 0};
            if (interp == Interp::Bilinear) {
                const float cy = std::max(sy, 0.0f), cx = std::max(sx, 0.0f);
                const int y0 = std::min(static_cast<int>(cy), src.height - 1), x0 = std::min(static_cast<int>(cx), src.width - 1);
                const int y1 = std::min(y0 + 1, src.height - 1), x1 = std::min(x0 + 1, src.width - 1);
                const float fy = cy - y0, fx = cx - x0;
                for (int c = 0; c < 3; ++c) {
                    acc[c] = (1 - fy) * ((1 - fx) * src.at(x0, y0, c) + fx * src.at(x1, y0, c)) +
                             fy * ((1 - fx) * src.at(x0, y1, c) + fx * src.at(x1, y1, c));
                }
            } else {
                const int iy = static_cast<int>(std::floor(sy)), ix = static_cast<int>(std::floor(sx));
                const float ty = sy - iy, tx = sx - ix;
                for (int m = -1; m <= 2; ++m) {
                    const float wy = cubic_weight(m - ty);
                    const int yy = clampi(iy + m, src.height);
                    for (int n = -1; n <= 2; ++n) {
                        const float w = wy * cubic_weight(n - tx);
                        const int xx = clampi(ix + n, src.width);
                        for (int c = 0; c < 3; ++c) acc[c] += w * src.at(xx, yy, c);
                    }
                }
            }
            for (int c = 0; c < 3; ++c) dst.at(x, y, c) = acc[c];
        }
    }
    return dst;
}

Plane luminance(const Image& img) {
    Plane p;
    p.width = img.width;
    p.height = img.height;
    p.v.resize(static_cast<size_t>(img.width) * img.height);
    const long long n = static_cast<long long>(p.v.size());
#pragma omp parallel for schedule(static) if (n > (1 << 20))
    for (long long i = 0; i < n; ++i) {
        p.v[i] = 0.299f * img.rgb[3 * i] + 0.587f * img.rgb[3 * i + 1] + 0.114f * img.rgb[3 * i + 2];
    }
    return p;
}

Plane channel(const Image& img, int c) {
    Plane p;
    p.width = img.width;
    p.height = img.height;
    p.v.resize(static_cast<size_t>(img.width) * img.height);
    for (size_t i = 0; i < p.v.size(); ++i) p.v[i] = img.rgb[3 * i + c];
    return p;
}

std::vector<unsigned char> to_rgb8(const Image& img) {
    std::vector<unsigned char> out(img.rgb.size());
    const long long n = static_cast<long long>(out.size());
#pragma omp parallel for simd schedule(static) if (n > (1 << 20))
    for (long long i = 0; i < n; ++i) out[i] = unit_to_byte(img.rgb[i]);
    return out;
}

}  // namespace ks
