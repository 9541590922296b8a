#pragma once
// NumPy .npy (version 1.0) for float32 arrays: what the CLI exports and tests read back.
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

}  // namespace ks
