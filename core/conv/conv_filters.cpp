#include "conv/conv_filters.h"

#include <algorithm>
#include <cmath>

#include "image/image.h"

namespace ks {

namespace {

ConvKernel square(const std::string& name, int k, std::vector<float> w) {
    ConvKernel out;
    out.name = name;
    out.size = k;
    out.w = std::move(w);
    return out;
}

}  // namespace

const std::vector<std::string>& filter_names() {
    static const std::vector<std::string> names = {"identity", "box3",      "box5",   "gaussian",
                                                   "sobel_x",  "sobel_y",   "laplacian", "sharpen",
                                                   "gabor0",   "gabor45",   "gabor90",   "gabor135"};
    return names;
}

ConvKernel gaussian_kernel(float sigma) {
    // Below 0.1 px the kernel is the identity to float precision, and 2 sigma^2 underflows.
    if (!(sigma >= 0.1f && sigma <= 16.0f)) throw InputError("The Gaussian sigma must be a number from 0.1 to 16.");
    const int r = static_cast<int>(std::ceil(3.0f * sigma));
    const int k = 2 * r + 1;
    std::vector<float> w(static_cast<size_t>(k) * k);
    double sum = 0;
    for (int y = -r; y <= r; ++y)
        for (int x = -r; x <= r; ++x) sum += w[(y + r) * k + (x + r)] = std::exp(-(x * x + y * y) / (2.0f * sigma * sigma));
    for (float& v : w) v = static_cast<float>(v / sum);
    return square("gaussian", k, std::move(w));
}

ConvKernel gabor_kernel(float theta_deg, int size, float sigma, float lambda) {
    const int r = size / 2;
    const float th = theta_deg * 3.14159265358979f / 180.0f;
    std::vector<float> w(static_cast<size_t>(size) * size);
    double mean = 0;
    for (int y = -r; y <= r; ++y) {
        for (int x = -r; x <= r; ++x) {
            const float xr = x * std::cos(th) + y * std::sin(th);
            const float yr = -x * std::sin(th) + y * std::cos(th);
            const float v = std::exp(-(xr * xr + 0.5f * 0.5f * yr * yr) / (2 * sigma * sigma)) *
                            std::cos(2 * 3.14159265358979f * xr / lambda);
            w[(y + r) * size + (x + r)] = v;
            mean += v;
        }
    }
    // Zero mean: a Gabor filter responds to oriented structure, not to brightness.
    mean /= w.size();
    for (float& v : w) v -= static_cast<float>(mean);
    return square("gabor" + std::to_string(static_cast<int>(theta_deg)), size, std::move(w));
}

ConvKernel make_filter(const std::string& name, float gaussian_sigma) {
    if (name == "identity") return square(name, 3, {0, 0, 0, 0, 1, 0, 0, 0, 0});
    if (name == "box3") return square(name, 3, std::vector<float>(9, 1.0f / 9));
    if (name == "box5") return square(name, 5, std::vector<float>(25, 1.0f / 25));
    if (name == "gaussian") return gaussian_kernel(gaussian_sigma);
    if (name == "sobel_x") return square(name, 3, {-1, 0, 1, -2, 0, 2, -1, 0, 1});
    if (name == "sobel_y") return square(name, 3, {-1, -2, -1, 0, 0, 0, 1, 2, 1});
    if (name == "laplacian") return square(name, 3, {0, 1, 0, 1, -4, 1, 0, 1, 0});
    if (name == "sharpen") return square(name, 3, {0, -1, 0, -1, 5, -1, 0, -1, 0});
    if (name == "gabor0") return gabor_kernel(0);
    if (name == "gabor45") return gabor_kernel(45);
    if (name == "gabor90") return gabor_kernel(90);
    if (name == "gabor135") return gabor_kernel(135);
    std::string all;
    for (const auto& n : filter_names()) all += (all.empty() ? "" : ", ") + n;
    throw InputError("Unknown filter '" + name + "'; choose one of " + all + ".");
}

ConvKernel user_kernel(const std::vector<float>& values, const std::string& name) {
    const int k = static_cast<int>(std::lround(std::sqrt(static_cast<double>(values.size()))));
    if (k * k != static_cast<int>(values.size()) || k % 2 == 0 || k > 31)
        throw InputError("A user kernel needs k x k values with k odd and at most 31 (got " +
                         std::to_string(values.size()) + " values).");
    // Bounded so that its sums (L1 norm, the response on 8-bit pixels) stay finite in float32.
    for (float v : values)
        if (!std::isfinite(v) || std::fabs(v) > kMaxUserKernelValue)
            throw InputError("A user kernel may only hold finite numbers within +-1e6.");
    return square(name, k, values);
}

KernelReadouts kernel_readouts(const ConvKernel& k) {
    KernelReadouts r;
    if (k.w.empty()) return r;
    r.min = *std::min_element(k.w.begin(), k.w.end());
    r.max = *std::max_element(k.w.begin(), k.w.end());
    for (float v : k.w) {
        r.sum += v;
        r.l1 += std::fabs(v);
    }
    return r;
}

}  // namespace ks
