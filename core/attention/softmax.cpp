#include "attention/softmax.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace ks {

void softmax_rows(float* data, int rows, int cols) {
    for (int i = 0; i < rows; ++i) {
        float* row = data + static_cast<size_t>(i) * cols;
        const float m = *std::max_element(row, row + cols);
        double sum = 0.0;
        for (int j = 0; j < cols; ++j) {
            row[j] = std::exp(row[j] - m);
            sum += row[j];
        }
        const float inv = static_cast<float>(1.0 / sum);
        for (int j = 0; j < cols; ++j) row[j] *= inv;
    }
}

}  // namespace ks
