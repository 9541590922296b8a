#pragma once
// Input perturbations for the data-specificity experiments: change the input, watch
// the attention kernel move while the conv kernel stays put. Pure functions on Image.
#include <cstdint>

#include "image/image.h"

namespace ks {

// A rectangle in image pixels (x, y = top-left corner). Empty when w or h <= 0.
struct PixelRect {
    int x = 0, y = 0, w = 0, h = 0;
    bool empty() const { return w <= 0 || h <= 0; }
};

enum class TranslateFill { Black, Wrap, Edge };

struct Perturbation {
    float brightness = 0.0f;      // added to every channel (-1..1)
    float contrast = 1.0f;        // scale about mid-gray 0.5 (0..3)
    float noise_sigma = 0.0f;     // std of additive Gaussian noise (0..1)
    uint32_t noise_seed = 1;
    PixelRect occlusion;          // filled with occlusion_value
    float occlusion_value = 0.5f;
    int dx = 0, dy = 0;           // translation in pixels (content moves right / down)
    TranslateFill fill = TranslateFill::Black;

    bool is_identity() const {
        return brightness == 0.0f && contrast == 1.0f && noise_sigma == 0.0f && occlusion.empty() &&
               dx == 0 && dy == 0;
    }
};

// Content moves by (dx, dy); uncovered pixels follow `fill`.
Image translate(const Image& img, int dx, int dy, TranslateFill fill = TranslateFill::Black);
// (x - 0.5) * contrast + 0.5 + brightness, clamped to 0..1.
Image brightness_contrast(const Image& img, float brightness, float contrast);
// Additive N(0, sigma^2) noise, clamped to 0..1. Deterministic for a seed on every
// platform and thread count: value i is the normal quantile of a 24-bit uniform hashed
// from (seed, i) (kernels/noise.h; not std::normal_distribution, whose output is the
// library's choice).
Image add_gaussian_noise(const Image& img, float sigma, uint32_t seed);
// The rectangle (clipped to the image) set to `value` in every channel.
Image occlude(const Image& img, const PixelRect& r, float value = 0.5f);
void occlude_in_place(Image& img, const PixelRect& r, float value);  // the same, without a copy

// All of the above in a fixed order: translate, brightness/contrast, occlusion, noise.
// The occlusion rectangle is in the coordinates of the output (what the user sees).
Image apply_perturbation(const Image& img, const Perturbation& p);

}  // namespace ks
