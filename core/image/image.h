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

// Limits (README, "Limits"). A file whose header claims more is refused before decoding.
constexpr int kMaxImageSide = 8192;
constexpr long long kMaxImagePixels = 64LL * 1000 * 1000;
// Images are worked on at most this size: a larger one is box-averaged by the smallest
// whole factor that brings it within, as it is read (the 8-bit decode is reduced
// straight into the float image, so the full-size float copy never exists).
constexpr long long kMaxWorkingPixels = 12LL * 1000 * 1000;

struct ImageLoadOptions {
    long long max_pixels = kMaxWorkingPixels;  // reduce on reading until w * h fits
    // When both are set (a ViT's input size), reduce further by the whole factor
    // f = min(w / (2 * min_w), h / (2 * min_h)) when it is 2 or more: the model only ever
    // sees the image box-averaged to about twice its input size (image/model_input.h).
    int model_w = 0, model_h = 0;
};

// What reading did: the decoded size, and the factor the image was box-reduced by (1 = none).
struct ImageLoadInfo {
    int file_width = 0, file_height = 0;
    int reduced_by = 1;
};

// Loads PNG, JPEG, BMP, TGA, GIF (first frame) as RGB. The file must be a regular file
// of at most kMaxImageFileBytes; its header is read before decoding so a huge claimed
// size is refused without allocating. Throws InputError naming the file and the reason.
Image load_image(const std::string& path, const ImageLoadOptions& opt = {}, ImageLoadInfo* info = nullptr);
// Same, from bytes in memory (drag-and-drop, tests). `name` is used in messages.
Image load_image_from_memory(const unsigned char* bytes, size_t size, const std::string& name,
                             const ImageLoadOptions& opt = {}, ImageLoadInfo* info = nullptr);
// The box-reduction factor load_image uses for a w x h image (1 = none).
int image_read_reduction(int w, int h, const ImageLoadOptions& opt);

enum class Interp { Bilinear, Bicubic };
Image resize(const Image& src, int width, int height, Interp interp = Interp::Bilinear);
// The out_w x out_h window at (x0, y0) of resize(src, width, height): the same values,
// computed for the window only (resize-then-crop at the cost of the crop).
Image resize_window(const Image& src, int width, int height, int x0, int y0, int out_w, int out_h,
                    Interp interp = Interp::Bilinear);

// Rec. 601 luma, the usual choice for "gray" in vision code.
Plane luminance(const Image& img);
Plane channel(const Image& img, int c);
// 8-bit RGB for a PNG: each value through unit_to_byte (io/file_output.h).
std::vector<unsigned char> to_rgb8(const Image& img);

}  // namespace ks
