#include "io/csv.h"

#include <cstdio>

#include "io/input_error.h"

namespace ks {

std::string csv_matrix(const std::vector<float>& v, int rows, int cols) {
    if (rows < 0 || cols < 0 || v.size() != static_cast<size_t>(rows) * static_cast<size_t>(cols))
        throw InputError("A table of " + std::to_string(v.size()) + " values is not " + std::to_string(rows) + " x " +
                         std::to_string(cols) + ".");
    std::string s;
    s.reserve(v.size() * 12);
    char buf[32];
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            std::snprintf(buf, sizeof buf, "%s%.9g", c ? "," : "", v[static_cast<size_t>(r) * cols + c]);
            s += buf;
        }
        s += '\n';
    }
    return s;
}

}  // namespace ks
