#include "io/npy.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>

#include "io/file_output.h"
#include "io/file_read.h"
#include "io/input_error.h"

namespace ks {

std::string npy_bytes(const std::vector<float>& data, const std::vector<size_t>& shape) {
    return npy_bytes(data.data(), data.size(), shape);
}

namespace {

// The header and data of an array of n elements of `width` bytes, numpy dtype `descr`.
std::string npy_encode(const void* data, size_t n, size_t width, const char* descr, const std::vector<size_t>& shape) {
    size_t count = 1;
    std::string dims;  // numpy's tuple text: "a, b", "a," for one dimension, "" for a scalar
    for (size_t i = 0; i < shape.size(); ++i) {
        count *= shape[i];
        dims += (i ? ", " : "") + std::to_string(shape[i]);
    }
    if (shape.size() == 1) dims += ",";
    if (count != n) throw std::invalid_argument("npy_bytes: shape does not match the data size");
    std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    // Magic (6) + version (2) + length (2) + header + '\n' is padded to a multiple of 64.
    const size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header.push_back('\n');
    std::string out("\x93NUMPY\x01\x00", 8);
    const uint16_t len = static_cast<uint16_t>(header.size());
    out.push_back(static_cast<char>(len & 0xff));
    out.push_back(static_cast<char>(len >> 8));
    out += header;
    const size_t at = out.size();
    out.resize(at + n * width);
    if (n) std::memcpy(&out[at], data, n * width);  // x86 and ARM are little-endian
    return out;
}

// A parsed header: the shape and where the data starts.
struct NpyHeader {
    std::vector<size_t> shape;
    uint64_t count = 1;
    size_t data_at = 0;
};

NpyHeader npy_decode_header(const std::string& b, const char* descr, const char* dtype_words) {
    if (b.size() < 10 || b.compare(0, 6, "\x93NUMPY") != 0) throw InputError("Not a .npy file (bad magic).");
    const int major = static_cast<unsigned char>(b[6]);
    size_t hlen = 0, hstart = 0;
    if (major == 1) {
        hlen = static_cast<unsigned char>(b[8]) | (static_cast<unsigned char>(b[9]) << 8);
        hstart = 10;
    } else if (major == 2 || major == 3) {
        if (b.size() < 12) throw InputError("Truncated .npy header.");
        hlen = 0;
        for (int i = 0; i < 4; ++i) hlen |= static_cast<size_t>(static_cast<unsigned char>(b[8 + i])) << (8 * i);
        hstart = 12;
    } else {
        throw InputError("Unsupported .npy version " + std::to_string(major) + ".");
    }
    if (hstart + hlen > b.size()) throw InputError("Truncated .npy header.");
    const std::string header = b.substr(hstart, hlen);
    if (header.find(std::string("'") + descr + "'") == std::string::npos)
        throw InputError(std::string("Only little-endian ") + dtype_words + " .npy files are supported here.");
    if (header.find("'fortran_order': False") == std::string::npos) throw InputError("Only C-order .npy files are supported.");
    // The shape tuple, read by hand (a regex over an untrusted, possibly huge header is
    // slow and recursive): "'shape': (" digits separated by commas and spaces ")".
    const size_t key = header.find("'shape':");
    if (key == std::string::npos) throw InputError("The .npy header has no shape.");
    size_t i = header.find_first_not_of(' ', key + 8);
    if (i == std::string::npos || header[i] != '(') throw InputError("The .npy header has no shape.");
    const size_t close = header.find(')', i);
    if (close == std::string::npos) throw InputError("The .npy header has no shape.");
    NpyHeader a;
    uint64_t& count = a.count;
    for (size_t k = i + 1; k < close;) {
        const char c = header[k];
        if (c == ' ' || c == ',') { ++k; continue; }
        if (c < '0' || c > '9') throw InputError("The .npy shape holds something other than whole numbers.");
        uint64_t d = 0;
        for (; k < close && header[k] >= '0' && header[k] <= '9'; ++k) {
            d = d * 10 + static_cast<uint64_t>(header[k] - '0');
            if (d > (1ull << 40)) throw InputError("The .npy shape has a dimension too large to be real.");
        }
        if (d != 0 && count > (std::numeric_limits<uint64_t>::max() / 4) / d)
            throw InputError("The .npy shape's element count overflows.");
        count *= d;
        a.shape.push_back(static_cast<size_t>(d));
    }
    a.data_at = hstart + hlen;
    return a;
}

template <class Array>
Array npy_decode(const std::string& b, const char* descr, const char* dtype_words) {
    using T = typename decltype(Array::data)::value_type;
    const NpyHeader h = npy_decode_header(b, descr, dtype_words);
    if (b.size() - h.data_at != h.count * sizeof(T)) throw InputError("The .npy data size does not match its shape.");
    Array a;
    a.shape = h.shape;
    a.data.resize(h.count);
    if (h.count) std::memcpy(a.data.data(), b.data() + h.data_at, h.count * sizeof(T));
    return a;
}

}  // namespace

std::string npy_bytes(const float* data, size_t n, const std::vector<size_t>& shape) {
    return npy_encode(data, n, sizeof(float), "<f4", shape);
}

std::string npy_bytes_f64(const double* data, size_t n, const std::vector<size_t>& shape) {
    return npy_encode(data, n, sizeof(double), "<f8", shape);
}

NpyArray parse_npy(const std::string& b) { return npy_decode<NpyArray>(b, "<f4", "float32"); }
NpyArray64 parse_npy_f64(const std::string& b) { return npy_decode<NpyArray64>(b, "<f8", "float64"); }

NpyArray read_npy(const std::string& path) {
    const std::string bytes = read_regular_file(path, kMaxNpyFileBytes, ".npy file");
    try {
        return parse_npy(bytes);
    } catch (const InputError& e) {
        throw InputError("Cannot read the .npy file '" + path + "': " + e.what());
    }
}

NpyArray64 read_npy_f64(const std::string& path, uint64_t max_bytes) {
    const std::string bytes = read_regular_file(path, std::min<uint64_t>(max_bytes, kMaxNpyFileBytes), ".npy file");
    try {
        return parse_npy_f64(bytes);
    } catch (const InputError& e) {
        throw InputError("Cannot read the .npy file '" + path + "': " + e.what());
    }
}

}  // namespace ks
