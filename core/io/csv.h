#pragma once
// Plain-text tables for spreadsheets: a rows x cols matrix as CSV, one row a line,
// values with 9 significant digits (float32 round-trips exactly).
#include <string>
#include <vector>

namespace ks {

std::string csv_matrix(const std::vector<float>& v, int rows, int cols);

}  // namespace ks
