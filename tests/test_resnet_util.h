#pragma once
// Helpers shared by the ResNet tests: fixture paths and the relative error measure
// the issue asks for (max |a - b| over max |reference|).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace kst {

inline std::string resnet_fixture(const std::string& rel) { return std::string(KS_FIXTURES_DIR) + "/resnet/" + rel; }

// max |got - want| / max |want|; infinity when sizes differ or a value is NaN.
inline double rel_error(const std::vector<float>& got, const std::vector<float>& want) {
    if (got.size() != want.size() || want.empty()) return INFINITY;
    double err = 0, ref = 0;
    for (size_t i = 0; i < got.size(); ++i) {
        const double d = std::fabs(static_cast<double>(got[i]) - want[i]);
        if (!(d <= err)) err = d;
        ref = std::max(ref, std::fabs(static_cast<double>(want[i])));
    }
    return ref > 0 ? err / ref : err;
}

}  // namespace kst
