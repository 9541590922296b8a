#pragma once
// Which conv filter is applied: a fixed bank filter, a user-given kernel ("user") or
// the data-dependent bilateral kernel ("bilateral"). The CLI's render and the app's
// worker both resolve the choice here, so they compute the same kernel and response.
#include <array>
#include <string>
#include <vector>

#include "conv/bilateral.h"
#include "conv/conv_filters.h"
#include "conv/dynamic_conv.h"
#include "image/image.h"

namespace ks {

inline const std::string kUserFilter = "user";
inline const std::string kBilateralFilter = "bilateral";
inline const std::string kDynamicFilter = "dynamic";   // conv/dynamic_conv.h: signed, unnormalised, data-dependent

// The bank, then "user", "bilateral" and "dynamic": every choice, in the order the app cycles them.
std::vector<std::string> conv_filter_choices();
// True for a kernel produced from the input around each pixel (its kernel change is not 0).
bool is_data_dependent(const std::string& filter);
// Throws InputError (one sentence naming the choices) unless `filter` is one of them.
void check_filter_name(const std::string& filter);
// A data-agnostic kernel: the bank filter, or for "user" the given k x k weights
// (validated by user_kernel; none given is an error naming --kernel).
ConvKernel fixed_filter(const std::string& filter, float gaussian_sigma, const std::vector<float>& user_weights);

// The pixel at the centre of patch (row, col) when a w x h image is split into a
// gh x gw grid, as the overlays place the query; clamped into the image.
std::array<int, 2> patch_centre_pixel(int w, int h, int gh, int gw, int row, int col);

// The bilateral response with the kernels of luminance(x): one plane (luminance), or
// each RGB channel filtered with the same per-pixel kernels.
Plane bilateral_response(const Image& x, const BilateralParams& p);
Image bilateral_response_rgb(const Image& x, const BilateralParams& p);

// Any data-dependent filter by name ("bilateral" or "dynamic"), each with its own
// parameters, so callers need no per-filter branches: the kernel at pixel (x, y) of
// `lum`, the response over the plane (luminance), per RGB channel (the kernels of
// luminance(x) applied to each channel), and over a window (as response_window.h).
// InputError for any other name.
ConvKernel data_dependent_kernel_at(const std::string& filter, const Plane& lum, int x, int y, const BilateralParams& b,
                                    const DynamicConvParams& d);
Plane data_dependent_response(const std::string& filter, const Plane& lum, const BilateralParams& b, const DynamicConvParams& d);
Image data_dependent_response_rgb(const std::string& filter, const Image& x, const BilateralParams& b, const DynamicConvParams& d);
Plane data_dependent_window(const std::string& filter, const Plane& lum, const BilateralParams& b, const DynamicConvParams& d,
                            int x0, int y0, int w, int h);

}  // namespace ks
