#pragma once
// An RGB float image (values 0..1, interleaved, row-major) and the operations on it
// that every model and filter shares: loading, resizing, luminance.
#include <string>
#include <vector>

#include "io/input_error.h"

namespace ks {

struct Image {
    int width = 0;
    int height = 0;
    std::vector<float> rgb;  // width * height * 3

    bool empty() const { return width <= 0 || height <= 0; }
    float& at(int x, int y, int c) { return rgb[(static_cast<size_t>(y) * width + x) * 3 + c]; }
    float at(int x, int y, int c) const { return rgb[(static_cast<size_t>(y) * width + x) * 3 + c]; }
};

// A single-channel float plane (luminance, a conv response, a heatmap).
struct Plane {
    int width = 0;
    int height = 0;
    std::vector<float> v;  // width * height

    float& at(int x, int y) { return v[static_cast<size_t>(y) * width + x]; }
    float at(int x, int y) const { return v[static_cast<size_t>(y) * width + x]; }
};

constexpr int kMaxImageSide = 8192;
constexpr long long kMaxImagePixels = 64LL * 1000 * 1000;

// Loads PNG, JPEG, BMP, TGA, GIF (first frame) as RGB. The header is checked with
// stbi_info before decoding so a huge claimed size is refused without allocating.
// Throws InputError naming the file and the reason.
Image load_image(const std::string& path);
// Same, from bytes in memory (drag-and-drop, tests). `name` is used in messages.
Image load_image_from_memory(const unsigned char* bytes, size_t size, const std::string& name);

enum class Interp { Bilinear, Bicubic };
Image resize(const Image& src, int width, int height, Interp interp = Interp::Bilinear);

// Rec. 601 luma, the usual choice for "gray" in vision code.
Plane luminance(const Image& img);
Plane channel(const Image& img, int c);

}  // namespace ks
