#pragma once
// Comparisons the data-specificity tests share (ViT and ResNet runs alike): two output
// folders' CSVs and float64 kernel sums, equal to a relative tolerance.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "analysis/data_specificity_files.h"
#include "io/npy.h"
#include "test_support.h"

namespace ks::test {

// Same text (the header, names), every number within `rel` of the other.
inline void expect_csv_near_relative(const std::filesystem::path& a, const std::filesystem::path& b, double rel) {
    const auto ra = csv_rows(a), rb = csv_rows(b);
    ASSERT_EQ(ra.size(), rb.size()) << a;
    for (size_t i = 0; i < ra.size(); ++i) {
        ASSERT_EQ(ra[i].size(), rb[i].size()) << a << " row " << i;
        for (size_t j = 0; j < ra[i].size(); ++j) {
            char* end = nullptr;
            const double x = std::strtod(ra[i][j].c_str(), &end);
            if (i == 0 || ra[i][j].empty() || *end != '\0') {
                EXPECT_EQ(ra[i][j], rb[i][j]) << a << " row " << i;
                continue;
            }
            const double y = std::stod(rb[i][j]);
            EXPECT_LE(std::fabs(x - y), rel * std::max(std::fabs(x), std::fabs(y)) + 1e-300) << a << " row " << i << " col " << j;
        }
    }
}

// Folder a's and b's kernel_sums_<kind>.npy, entry by entry within `rel`.
inline void expect_kernel_sums_near(const std::filesystem::path& a, const std::filesystem::path& b, const std::string& kind,
                                    double rel) {
    const NpyArray64 x = read_npy_f64((a / kernel_sums_file(kind)).string(), 1u << 30);
    const NpyArray64 y = read_npy_f64((b / kernel_sums_file(kind)).string(), 1u << 30);
    ASSERT_EQ(x.shape, y.shape) << kind;
    for (size_t i = 0; i < x.data.size(); ++i)
        ASSERT_LE(std::fabs(x.data[i] - y.data[i]), rel * std::fabs(x.data[i]) + 1e-300) << kind << " entry " << i;
}

}  // namespace ks::test
