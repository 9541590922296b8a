#pragma once
// Measures of one kernel and of the change between two (tests/test_measures.cpp), on
// plain weight vectors so they apply to attention rows and conv kernels alike.
#include <vector>

#include "conv/conv_filters.h"

namespace ks {

// 0.5 * sum_j |a_j - b_j|; both are weightings of the same support (0..1 for distributions).
double kernel_change(const float* a, const float* b, int n);
double kernel_change(const std::vector<float>& a, const std::vector<float>& b);
// |w| / sum |w|: a conv kernel as a distribution, so kernel_change compares like with like.
std::vector<float> abs_normalised(const ConvKernel& k);

// Shannon entropy in nats of a weighting (zeros skipped).
double entropy(const float* w, int n);

struct RowStats {
    float min = 0, max = 0, sum = 0;
    int support = 0;   // nonzero entries: how many positions the kernel touches
    double entropy = 0;
    int argmax = 0;
};
RowStats row_stats(const float* w, int n);

}  // namespace ks
