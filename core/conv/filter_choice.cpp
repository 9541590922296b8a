#include "conv/filter_choice.h"

#include <algorithm>

#include "conv/response_window.h"

namespace ks {

std::vector<std::string> conv_filter_choices() {
    std::vector<std::string> all = filter_names();
    all.push_back(kUserFilter);
    all.push_back(kBilateralFilter);
    all.push_back(kDynamicFilter);
    return all;
}

bool is_data_dependent(const std::string& filter) { return filter == kBilateralFilter || filter == kDynamicFilter; }

void check_filter_name(const std::string& filter) {
    const auto all = conv_filter_choices();
    if (std::find(all.begin(), all.end(), filter) != all.end()) return;
    std::string list;
    for (const auto& n : all) list += (list.empty() ? "" : ", ") + n;
    throw InputError("Unknown filter '" + filter + "'; choose one of " + list + ".");
}

ConvKernel fixed_filter(const std::string& filter, float gaussian_sigma, const std::vector<float>& user_weights) {
    if (filter == kUserFilter) {
        if (user_weights.empty()) throw InputError("The user filter needs its weights: --kernel v1,v2,... (k x k numbers, k odd).");
        return user_kernel(user_weights);
    }
    if (is_data_dependent(filter)) throw InputError("The " + filter + " filter has no fixed kernel; it depends on the input.");
    return make_filter(filter, gaussian_sigma);
}

std::array<int, 2> patch_centre_pixel(int w, int h, int gh, int gw, int row, int col) {
    const int x = static_cast<int>((col + 0.5) * w / std::max(1, gw));
    const int y = static_cast<int>((row + 0.5) * h / std::max(1, gh));
    return {std::clamp(x, 0, std::max(0, w - 1)), std::clamp(y, 0, std::max(0, h - 1))};
}

Plane bilateral_response(const Image& x, const BilateralParams& p) { return bilateral_filter(luminance(x), p); }

namespace {

// Each RGB channel filtered with kernels built from x's luminance (the joint filter):
// the same kernel at a pixel for all three channels, as for the luminance response.
template <class JointFilter>
Image guided_per_channel(const Image& x, JointFilter joint) {
    const Plane guide = luminance(x);
    Image out;
    out.width = x.width;
    out.height = x.height;
    out.rgb.assign(x.rgb.size(), 0.0f);
    for (int c = 0; c < 3; ++c) {
        const Plane y = joint(guide, channel(x, c));
        for (size_t i = 0; i < y.v.size(); ++i) out.rgb[3 * i + c] = y.v[i];
    }
    return out;
}

}  // namespace

Image bilateral_response_rgb(const Image& x, const BilateralParams& p) {
    return guided_per_channel(x, [&](const Plane& g, const Plane& v) { return joint_bilateral_filter(g, v, p); });
}

namespace {

void check_data_dependent(const std::string& filter) {
    if (!is_data_dependent(filter)) throw InputError("The " + filter + " filter is not data-dependent; it has one fixed kernel.");
}

}  // namespace

ConvKernel data_dependent_kernel_at(const std::string& filter, const Plane& lum, int x, int y, const BilateralParams& b,
                                    const DynamicConvParams& d) {
    check_data_dependent(filter);
    return filter == kDynamicFilter ? dynamic_kernel_at(lum, x, y, d) : bilateral_kernel_at(lum, x, y, b);
}

Plane data_dependent_response(const std::string& filter, const Plane& lum, const BilateralParams& b, const DynamicConvParams& d) {
    check_data_dependent(filter);
    return filter == kDynamicFilter ? dynamic_conv_filter(lum, d) : bilateral_filter(lum, b);
}

Image data_dependent_response_rgb(const std::string& filter, const Image& x, const BilateralParams& b, const DynamicConvParams& d) {
    check_data_dependent(filter);
    if (filter == kBilateralFilter) return bilateral_response_rgb(x, b);
    return guided_per_channel(x, [&](const Plane& g, const Plane& v) { return joint_dynamic_conv_filter(g, v, d); });
}

Plane data_dependent_window(const std::string& filter, const Plane& lum, const BilateralParams& b, const DynamicConvParams& d,
                            int x0, int y0, int w, int h) {
    check_data_dependent(filter);
    return filter == kDynamicFilter ? dynamic_conv_window(lum, d, x0, y0, w, h) : bilateral_window(lum, b, x0, y0, w, h);
}

}  // namespace ks
