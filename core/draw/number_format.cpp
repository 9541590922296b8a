#include "draw/number_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace ks {

std::string format_for_people(double v, double range) {
    if (!std::isfinite(v)) return v != v ? "nan" : (v > 0 ? "inf" : "-inf");
    const double a = std::fabs(v);
    if (v == 0.0 || (range > 0.0 && a < std::fabs(range) * 5e-4)) return "0";
    char buf[32];
    if (a >= 1e5 || a < 1e-3) {
        std::snprintf(buf, sizeof buf, "%.2e", v);  // 1.58e-09: three significant digits
    } else {
        // Three significant digits without an exponent, trailing zeros dropped (0.0742, 1.5, 250).
        const int digits = std::max(0, 2 - static_cast<int>(std::floor(std::log10(a))));
        std::snprintf(buf, sizeof buf, "%.*f", digits, v);
        std::string s = buf;
        if (s.find('.') != std::string::npos) {
            while (!s.empty() && s.back() == '0') s.pop_back();
            if (!s.empty() && s.back() == '.') s.pop_back();
        }
        if (s == "-0") s = "0";
        return s;
    }
    return buf;
}

}  // namespace ks
