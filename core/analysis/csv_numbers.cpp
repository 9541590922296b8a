#include "analysis/csv_numbers.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "io/input_error.h"

namespace ks {

// A whole number as std::to_string writes it: digits only, no sign, no leading zero,
// no exponent, so "0x1", "+1", "01" and "1e0" are refused (strtod reads "0x1" as 1).
long long csv_whole(const std::string& s, long long hi, const std::string& what) {
    const bool digits = !s.empty() && s.size() <= 16 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || (s.size() > 1 && s[0] == '0') || std::stoll(s) > hi)
        throw InputError(what + " holds \"" + s + "\" where a whole number from 0 to " + std::to_string(hi) + " belongs.");
    return std::stoll(s);
}

// A finite number in the plain decimal form printf writes (no hex, inf, nan or spaces).
double csv_number(const std::string& s, const std::string& what) {
    const bool plain = !s.empty() && s.size() <= 32 &&
                       std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e'; });
    char* end = nullptr;
    const double v = plain ? std::strtod(s.c_str(), &end) : 0.0;
    if (!plain || end != s.c_str() + s.size() || !std::isfinite(v)) throw InputError(what + " holds \"" + s + "\" where a number belongs.");
    return v;
}

// n values whose sum and sum of squares these are exist only when n = 0 gives zeros
// and sum_sq * n >= sum^2 (Cauchy-Schwarz), to rounding.
RunningSum checked_sums(long long n, double sum, double sum_sq, const std::string& where) {
    const bool ok = n == 0 ? (sum == 0 && sum_sq == 0) : (sum_sq >= 0 && sum_sq * n >= sum * sum * (1 - 1e-9) - 1e-300);
    if (!ok) throw InputError(where + " has sums that no " + std::to_string(n) + " numbers could have.");
    return {n, sum, sum_sq};
}

std::vector<CsvRecord> csv_rows_after_header(const std::string& text, const char* header, const std::string& what) {
    std::vector<CsvRecord> rows = csv_records(text, what);
    if (rows.empty() || rows.front().raw != header)
        throw InputError(what + " does not start with the header kernelscope analyze writes (" + header + ").");
    rows.erase(rows.begin());
    return rows;
}

}  // namespace ks
