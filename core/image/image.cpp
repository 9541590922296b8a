#include "image/image.h"

#include "image/image_header.h"

#include <stb_image.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ks {

namespace {

Image decode_checked(const unsigned char* bytes, size_t size, const std::string& name) {
    if (size == 0) throw InputError("Cannot open image '" + name + "': the file is empty.");
    if (size > static_cast<size_t>(INT32_MAX)) throw InputError("Cannot open image '" + name + "': the file is too large.");
    int w = 0, h = 0, comp = 0;
    // Read the header first so a file claiming a huge size is refused before decoding.
    const bool known = claimed_image_size(bytes, size, &w, &h);
    if (!known && !stbi_info_from_memory(bytes, static_cast<int>(size), &w, &h, &comp)) {
        throw InputError("Cannot open image '" + name + "': not a supported image (" +
                         std::string(stbi_failure_reason() ? stbi_failure_reason() : "unknown format") +
                         "); use PNG, JPEG, BMP, TGA or GIF.");
    }
    if (w <= 0 || h <= 0 || w > kMaxImageSide || h > kMaxImageSide ||
        static_cast<long long>(w) * h > kMaxImagePixels) {
        throw InputError("Cannot open image '" + name + "': its size " + std::to_string(w) + " x " +
                         std::to_string(h) + " exceeds the limit of " + std::to_string(kMaxImageSide) +
                         " px a side and 64 megapixels.");
    }
    int dw = 0, dh = 0, dc = 0;
    // Asking for 3 channels makes stb convert gray, gray+alpha and RGBA to RGB.
    unsigned char* pix = stbi_load_from_memory(bytes, static_cast<int>(size), &dw, &dh, &dc, 3);
    if (!pix) {
        throw InputError("Cannot open image '" + name + "': the data is corrupt or truncated (" +
                         std::string(stbi_failure_reason() ? stbi_failure_reason() : "decode failed") + ").");
    }
    Image img;
    img.width = dw;
    img.height = dh;
    img.rgb.resize(static_cast<size_t>(dw) * dh * 3);
    for (size_t i = 0; i < img.rgb.size(); ++i) img.rgb[i] = pix[i] / 255.0f;
    stbi_image_free(pix);
    return img;
}

}  // namespace

Image load_image_from_memory(const unsigned char* bytes, size_t size, const std::string& name) {
    return decode_checked(bytes, size, name);
}

Image load_image(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw InputError("Cannot open image '" + path + "': " + std::strerror(errno) + ".");
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw InputError("Cannot open image '" + path + "': reading the file failed.");
    const std::string bytes = ss.str();
    return decode_checked(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), path);
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
    Image dst;
    dst.width = width;
    dst.height = height;
    dst.rgb.assign(static_cast<size_t>(width) * height * 3, 0.0f);
    auto clampi = [](int v, int n) { return std::min(std::max(v, 0), n - 1); };
    for (int y = 0; y < height; ++y) {
        const float sy = source_coord(y, height, src.height);
        for (int x = 0; x < width; ++x) {
            const float sx = source_coord(x, width, src.width);
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
    for (size_t i = 0; i < p.v.size(); ++i) {
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

}  // namespace ks
