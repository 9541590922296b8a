#include "conv/kernel_edit.h"

#include <cmath>
#include <string>

namespace ks {

namespace {

int side_of(const std::vector<float>& w) {
    const int k = static_cast<int>(std::lround(std::sqrt(static_cast<double>(w.size()))));
    if (k * k != static_cast<int>(w.size()) || k % 2 == 0)
        throw InputError("A kernel needs k x k weights with k odd (got " + std::to_string(w.size()) + ").");
    return k;
}

}  // namespace

std::vector<float> resized_kernel(const std::vector<float>& w, int k_new) {
    if (k_new < 1 || k_new > 31 || k_new % 2 == 0)
        throw InputError("A kernel size must be odd and from 1 to 31 (got " + std::to_string(k_new) + ").");
    const int k = side_of(w);
    const int d = (k_new - k) / 2;  // offset of the old centre in the new grid
    std::vector<float> out(static_cast<size_t>(k_new) * k_new, 0.0f);
    for (int r = 0; r < k_new; ++r)
        for (int c = 0; c < k_new; ++c) {
            const int rr = r - d, cc = c - d;
            if (rr >= 0 && cc >= 0 && rr < k && cc < k) out[static_cast<size_t>(r) * k_new + c] = w[static_cast<size_t>(rr) * k + cc];
        }
    return out;
}

std::vector<float> normalised_to_sum1(const std::vector<float>& w) {
    double sum = 0;
    for (float v : w) sum += v;
    if (std::fabs(sum) < 1e-12) throw InputError("The weights sum to 0, so they cannot be scaled to sum 1.");
    std::vector<float> out(w.size());
    for (size_t i = 0; i < w.size(); ++i) out[i] = static_cast<float>(w[i] / sum);
    return out;
}

std::vector<float> copy_for_editing(const ConvKernel& k, int k_max) {
    std::vector<float> w(k.w.begin(), k.w.begin() + static_cast<std::ptrdiff_t>(k.size) * k.size);
    return k.size > k_max ? resized_kernel(w, k_max % 2 ? k_max : k_max - 1) : w;
}

}  // namespace ks
