#include "analysis/data_specificity.h"

#include <cmath>

#include "io/input_error.h"

namespace ks {

double tv_distance(const float* a, const double* m, int n) {
    // Four partial sums, so the additions do not wait on each other (one chain made
    // pass 2's measuring latency-bound: 7 of its 8 ms per ViT-B image).
    double s[4] = {0, 0, 0, 0};
    int t = 0;
    for (; t + 4 <= n; t += 4)
        for (int k = 0; k < 4; ++k) s[k] += std::fabs(static_cast<double>(a[t + k]) - m[t + k]);
    for (; t < n; ++t) s[0] += std::fabs(static_cast<double>(a[t]) - m[t]);
    return 0.5 * ((s[0] + s[1]) + (s[2] + s[3]));
}

double tv_distance(const float* a, const float* b, int n) {
    double s = 0.0;
    for (int t = 0; t < n; ++t) s += std::fabs(static_cast<double>(a[t]) - static_cast<double>(b[t]));
    return 0.5 * s;
}

KernelShape shape_of(const KernelView& k) { return {k.kind, k.layers, k.heads, k.queries, k.tokens, k.first_measured_query}; }

namespace {

std::string describe(const KernelShape& s) {
    return s.kind + " [" + std::to_string(s.layers) + " layers, " + std::to_string(s.heads) + " heads, " + std::to_string(s.queries) +
           " queries, " + std::to_string(s.tokens) + " tokens, measured from query " + std::to_string(s.first_measured_query) + "]";
}

void require_same(const KernelShape& have, const KernelShape& got, const char* what) {
    if (!(have == got)) throw InputError(std::string(what) + ": kernels of " + describe(got) + " do not match " + describe(have) + ".");
}

}  // namespace

void KernelSums::init(const KernelShape& s) {
    shape = s;
    images = 0;
    sum.assign(s.size(), 0.0);
}

void KernelSums::add(const KernelView& k) {
    require_same(shape, shape_of(k), "Adding an image's kernels");
    for (size_t i = 0; i < sum.size(); ++i) sum[i] += k.data[i];
    ++images;
}

void KernelSums::merge(const KernelSums& o) {
    require_same(shape, o.shape, "Merging kernel sums");
    for (size_t i = 0; i < sum.size(); ++i) sum[i] += o.sum[i];
    images += o.images;
}

std::vector<float> KernelSums::mean() const {
    std::vector<float> m(sum.size(), 0.0f);
    if (images > 0)
        for (size_t i = 0; i < sum.size(); ++i) m[i] = static_cast<float>(sum[i] / static_cast<double>(images));
    return m;
}

void SpecificityTotals::init(const KernelShape& s) {
    shape = s;
    images = 0;
    tv.assign(static_cast<size_t>(s.layers) * s.heads, {});
}

void SpecificityTotals::add(const KernelView& k, const KernelSums& mean) {
    require_same(shape, shape_of(k), "Measuring an image's kernels");
    require_same(shape, mean.shape, "The mean kernel");
    if (mean.images <= 0) throw InputError("The mean kernel of " + shape.kind + " was taken over no image.");
    const double inv = 1.0 / static_cast<double>(mean.images);
    std::vector<double> m(static_cast<size_t>(shape.tokens));
    const size_t row = static_cast<size_t>(shape.tokens);
    for (int lh = 0; lh < shape.layers * shape.heads; ++lh)
        for (int q = shape.first_measured_query; q < shape.queries; ++q) {
            const size_t at = (static_cast<size_t>(lh) * shape.queries + q) * row;
            for (size_t t = 0; t < row; ++t) m[t] = mean.sum[at + t] * inv;
            tv[static_cast<size_t>(lh)].add(tv_distance(k.data + at, m.data(), shape.tokens));
        }
    ++images;
}

void SpecificityTotals::merge(const SpecificityTotals& o) {
    require_same(shape, o.shape, "Merging data specificity");
    for (size_t i = 0; i < tv.size(); ++i) tv[i].add(o.tv[i]);
    images += o.images;
}

}  // namespace ks
