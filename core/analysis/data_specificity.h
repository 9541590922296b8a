#pragma once
// Data specificity: a kernel at a query split into the mean kernel over images (the
// data-agnostic part, what a conv layer could have learned) and each image's departure
// from it (the data-specific part). For a kind of kernel, layer l and head h:
//   m(q)          = mean over images i of a_i(q)
//   specificity   = mean over images i and measured queries q of TV(a_i(q), m(q))
//   TV(a, m)      = 1/2 * sum over tokens |a - m|      (0 = the same kernel on every image)
//   std           = population standard deviation of the same (i, q) values.
// The mean must be known before the departures can be measured, so a folder takes two
// passes: KernelSums (pass 1) and SpecificityTotals (pass 2). Both are counts and sums,
// so shards of either pass merge by adding.
#include <string>
#include <vector>

#include "analysis/folder_analysis.h"  // RunningSum

namespace ks {

// The kinds, in the order data_specificity.csv lists them.
inline constexpr const char* kSpecificityKinds[] = {"attention", "builtin", "effective_kernel", "bilateral", "dynamic", "fixed_conv"};

// 1/2 * sum |a - m| over n tokens.
double tv_distance(const float* a, const double* m, int n);
double tv_distance(const float* a, const float* b, int n);

// One image's kernels of one kind, [layers][heads][queries][tokens] row-major; each row
// a distribution (non-negative, sums to 1). A view: `data` belongs to the caller.
// Rows from `first_measured_query` on count towards the specificity (a ViT's patch
// queries; its prefix-token rows are kept in the mean kernel but not measured).
struct KernelView {
    std::string kind;
    int layers = 0, heads = 0, queries = 0, tokens = 0;
    int first_measured_query = 0;
    const float* data = nullptr;
    size_t size() const { return static_cast<size_t>(layers) * heads * queries * tokens; }
};

// The shape of a kind's kernels; two runs merge only when their shapes are equal.
struct KernelShape {
    std::string kind;
    int layers = 0, heads = 0, queries = 0, tokens = 0;
    int first_measured_query = 0;
    bool operator==(const KernelShape& o) const {
        return kind == o.kind && layers == o.layers && heads == o.heads && queries == o.queries && tokens == o.tokens &&
               first_measured_query == o.first_measured_query;
    }
    size_t size() const { return static_cast<size_t>(layers) * heads * queries * tokens; }
};
KernelShape shape_of(const KernelView& k);

// Pass 1: the image count and, per entry, the sum of the kernels over images (double).
struct KernelSums {
    KernelShape shape;
    long long images = 0;
    std::vector<double> sum;

    void init(const KernelShape& s);
    void add(const KernelView& k);           // shape must equal init's (InputError otherwise)
    void merge(const KernelSums& other);     // shapes must be equal (InputError naming what differs)
    std::vector<float> mean() const;         // sum / images as float32; zeros with no image
};

// Pass 2: per (layer, head) the RunningSum of TV(a_i(q), m(q)) over images and measured
// queries, with m = mean.sum / mean.images.
struct SpecificityTotals {
    KernelShape shape;
    long long images = 0;
    std::vector<RunningSum> tv;   // [layers][heads]

    void init(const KernelShape& s);
    void add(const KernelView& k, const KernelSums& mean);
    void merge(const SpecificityTotals& other);
};

}  // namespace ks
