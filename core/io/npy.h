#pragma once
// NumPy .npy (version 1.0) for float32 arrays (what the CLI exports and tests read back)
// and float64 ones (sums that shards add exactly: analyze's kernel_sums_<kind>.npy).
#include <cstdint>
#include <string>
#include <vector>

namespace ks {

// Serialises a C-order little-endian float32 array.
std::string npy_bytes(const std::vector<float>& data, const std::vector<size_t>& shape);
std::string npy_bytes(const float* data, size_t n, const std::vector<size_t>& shape);

struct NpyArray {
    std::vector<size_t> shape;
    std::vector<float> data;
};
// Parses bytes written by npy_bytes (or numpy for '<f4', C order). Throws InputError.
NpyArray parse_npy(const std::string& bytes);
NpyArray read_npy(const std::string& path);

// float64 ('<f8'), C order, little-endian.
std::string npy_bytes_f64(const double* data, size_t n, const std::vector<size_t>& shape);
struct NpyArray64 {
    std::vector<size_t> shape;
    std::vector<double> data;
};
NpyArray64 parse_npy_f64(const std::string& bytes);
// Reads at most `max_bytes` (the size the caller expects from a shape it trusts, plus the
// header); a larger file is refused before it is read.
NpyArray64 read_npy_f64(const std::string& path, uint64_t max_bytes);

}  // namespace ks
