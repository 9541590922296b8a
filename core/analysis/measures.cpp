#include "analysis/measures.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ks {

double kernel_change(const float* a, const float* b, int n) {
    double tv = 0.0;
    for (int j = 0; j < n; ++j) tv += std::fabs(static_cast<double>(a[j]) - b[j]);
    return 0.5 * tv;
}

double kernel_change(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) throw std::invalid_argument("kernel_change: the two kernels differ in size");
    return kernel_change(a.data(), b.data(), static_cast<int>(a.size()));
}

std::vector<float> abs_normalised(const ConvKernel& k) {
    std::vector<float> out(k.w.size());
    double l1 = 0;
    for (float v : k.w) l1 += std::fabs(v);
    for (size_t i = 0; i < out.size(); ++i) out[i] = l1 > 0 ? static_cast<float>(std::fabs(k.w[i]) / l1) : 0.0f;
    return out;
}

double entropy(const float* w, int n) {
    double h = 0.0;
    for (int j = 0; j < n; ++j)
        if (w[j] > 0) h -= w[j] * std::log(static_cast<double>(w[j]));
    return h;
}

RowStats row_stats(const float* w, int n) {
    RowStats s;
    if (n <= 0) return s;
    s.min = s.max = w[0];
    double sum = 0;
    for (int j = 0; j < n; ++j) {
        s.min = std::min(s.min, w[j]);
        if (w[j] > s.max) { s.max = w[j]; s.argmax = j; }
        sum += w[j];
        if (w[j] != 0.0f) ++s.support;
    }
    s.sum = static_cast<float>(sum);
    s.entropy = entropy(w, n);
    return s;
}

}  // namespace ks
