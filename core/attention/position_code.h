#pragma once
// 2-D sinusoidal position code (the row and column halves of the usual 1-D code).
#include <vector>

namespace ks {

constexpr int kPositionFrequencies = 8;  // per axis; the code has 4 * this entries

// Row-major [grid_h * grid_w][4 * kPositionFrequencies], each row of unit L2 norm.
std::vector<float> position_code_2d(int grid_h, int grid_w);

}  // namespace ks
