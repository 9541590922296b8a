#include "io/json_bounded.h"
#include "io/safetensors.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "io/file_read.h"
#include "io/input_error.h"

namespace ks {
namespace {

// Bytes per element of every dtype the format defines. Knowing all of them lets
// us validate byte counts of tensors we never convert (e.g. int64 buffers).
int dtype_size(const std::string& d) {
    static const std::map<std::string, int> sizes = {
        {"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I64", 8}, {"U64", 8},
        {"I32", 4}, {"U32", 4}, {"I16", 2}, {"U16", 2}, {"I8", 1}, {"U8", 1},
        {"BOOL", 1}, {"F8_E4M3", 1}, {"F8_E5M2", 1}};
    auto it = sizes.find(d);
    return it == sizes.end() ? 0 : it->second;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool has_suffix(const std::string& s, const std::string& suf) {
    return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

[[noreturn]] void refuse_pickle(const std::string& name) {
    throw InputError(name + " is a pickled PyTorch checkpoint, which kernelscope never loads because unpickling can run code; "
                     "convert it first with `/usr/bin/python3 tools/pth_to_safetensors.py " + name + " model.safetensors`.");
}

uint64_t read_le64(const unsigned char* p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

// Shape entries must be non-negative integers; products must not overflow.
std::vector<int64_t> parse_shape(const nlohmann::json& j, const std::string& file, const std::string& key) {
    if (!j.is_array()) throw InputError(file + ": tensor '" + key + "' has no shape list in its header entry.");
    std::vector<int64_t> shape;
    for (const auto& d : j) {
        if (!d.is_number_integer() || d.get<int64_t>() < 0)
            throw InputError(file + ": tensor '" + key + "' has a shape entry that is not a non-negative integer.");
        shape.push_back(d.get<int64_t>());
    }
    return shape;
}

std::string shape_text(const std::vector<int64_t>& s) {
    std::string o = "[";
    for (size_t i = 0; i < s.size(); ++i) o += (i ? ", " : "") + std::to_string(s[i]);
    return o + "]";
}

}  // namespace

int64_t TensorInfo::numel() const {
    // Every shape in a parsed file was checked: its element count fits (it equals the
    // byte span divided by the element size), so this product cannot overflow.
    int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

float half_to_float(uint16_t h) {
    const uint32_t sign = (h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1f;
    const uint32_t man = h & 0x3ffu;
    uint32_t bits;
    if (exp == 0) {
        if (man == 0) {
            bits = sign;
        } else {  // subnormal: renormalise into float's wider exponent range
            int e = -1;
            uint32_t m = man;
            do { m <<= 1; ++e; } while ((m & 0x400u) == 0);
            bits = sign | (static_cast<uint32_t>(127 - 15 - e) << 23) | ((m & 0x3ffu) << 13);
        }
    } else if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (man << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (man << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

float bf16_to_float(uint16_t b) {
    const uint32_t bits = static_cast<uint32_t>(b) << 16;  // bf16 is float32's top half
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

bool looks_like_pickle(const std::string& path, const std::string& first) {
    const std::string p = lower(path);
    for (const char* ext : {".pth", ".pt", ".bin", ".ckpt", ".pkl", ".pickle", ".tar"})
        if (has_suffix(p, ext)) return true;
    // torch.save writes a zip archive ("PK\3\4") or, in the legacy format, a raw
    // pickle starting with the PROTO opcode 0x80.
    if (first.size() >= 4 && first.compare(0, 4, "PK\x03\x04") == 0) return true;
    if (!first.empty() && static_cast<unsigned char>(first[0]) == 0x80 &&
        (first.size() < 9 || first[8] != '{'))
        return true;
    return false;
}

SafetensorsFile SafetensorsFile::read(const std::string& path) {
    // A pickle is refused by its name before anything is read; then the file is read by
    // its size on disk (a regular file of at most kMaxCheckpointBytes, never more).
    if (looks_like_pickle(path, "")) refuse_pickle(path);
    std::string bytes = read_regular_file(path, kMaxCheckpointBytes, "checkpoint");
    const std::string& name = path;  // messages name the file as the user gave it
    if (looks_like_pickle(path, bytes.substr(0, 16))) refuse_pickle(name);
    return parse(std::move(bytes), name);
}

namespace {

// The 8-byte little-endian header length, checked against the limit and the file.
uint64_t header_length(const std::string& bytes, const std::string& name) {
    if (bytes.size() < 8)
        throw InputError(name + " is too short to be a safetensors file (it has no 8-byte header length).");
    const uint64_t n = read_le64(reinterpret_cast<const unsigned char*>(bytes.data()));
    if (n > kMaxSafetensorsHeader)
        throw InputError(name + " claims a safetensors header of " + std::to_string(n) +
                         " bytes, more than the 100 MiB allowed, so it is not a valid safetensors file.");
    if (n > bytes.size() - 8)
        throw InputError(name + " claims a safetensors header of " + std::to_string(n) + " bytes but the file has only " +
                         std::to_string(bytes.size() - 8) + " bytes after the length field.");
    return n;
}

void read_metadata(const nlohmann::json& e, const std::string& name, std::map<std::string, std::string>& out) {
    if (!e.is_object()) throw InputError(name + ": the __metadata__ entry is not a JSON object.");
    for (auto m = e.begin(); m != e.end(); ++m) {
        // The format's metadata maps strings to strings (its own library refuses anything else).
        if (!m.value().is_string()) throw InputError(name + ": the __metadata__ entry '" + m.key() + "' is not a string.");
        out[m.key()] = m.value().get<std::string>();
    }
}

// numel * esize in 64 bits; throws when a shape with no zero dimension overflows.
uint64_t tensor_bytes(const TensorInfo& t, int esize, const std::string& name, const std::string& key) {
    uint64_t expect = static_cast<uint64_t>(esize);
    bool overflow = false;
    for (auto d : t.shape) {
        if (d != 0 && expect > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d)) overflow = true;
        else expect *= static_cast<uint64_t>(d);
    }
    bool zero = false;
    for (auto d : t.shape) zero = zero || d == 0;
    if (overflow && !zero)
        throw InputError(name + ": tensor '" + key + "' has the shape " + shape_text(t.shape) +
                         ", whose element count overflows 64 bits.");
    return zero ? 0 : expect;
}

// One tensor's header entry: dtype, shape and a byte range inside the data section that
// its shape fills exactly.
TensorInfo parse_tensor_entry(const nlohmann::json& e, const std::string& key, const std::string& name, uint64_t data_size) {
    if (!e.is_object() || !e.contains("dtype") || !e.contains("shape") || !e.contains("data_offsets"))
        throw InputError(name + ": tensor '" + key + "' lacks dtype, shape or data_offsets in the header.");
    TensorInfo t;
    if (!e["dtype"].is_string()) throw InputError(name + ": tensor '" + key + "' has a dtype that is not a string.");
    t.dtype = e["dtype"].get<std::string>();
    const int esize = dtype_size(t.dtype);
    if (esize == 0) throw InputError(name + ": tensor '" + key + "' has the unknown dtype '" + t.dtype + "'.");
    t.shape = parse_shape(e["shape"], name, key);
    const auto& off = e["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
        throw InputError(name + ": tensor '" + key + "' has data_offsets that are not two non-negative integers.");
    t.begin = off[0].get<uint64_t>();
    t.end = off[1].get<uint64_t>();
    if (t.begin > t.end || t.end > data_size)
        throw InputError(name + ": tensor '" + key + "' has data_offsets [" + std::to_string(t.begin) + ", " +
                         std::to_string(t.end) + "] outside the data section of " + std::to_string(data_size) + " bytes.");
    const uint64_t expect = tensor_bytes(t, esize, name, key);
    if (expect != t.end - t.begin)
        throw InputError(name + ": tensor '" + key + "' (" + t.dtype + ", shape " + shape_text(t.shape) + ") needs " +
                         std::to_string(expect) + " bytes but its data_offsets span " + std::to_string(t.end - t.begin) +
                         ".");
    return t;
}

// As the format's own library validates: the byte ranges, sorted, must tile the data
// section exactly: each starts where the previous one ended (no gap, no overlap,
// empty tensors included) and the last ends at the end of the file.
void check_tiling(const std::map<std::string, TensorInfo>& index, uint64_t data_size, const std::string& name) {
    std::vector<std::pair<const std::string*, const TensorInfo*>> order;
    for (const auto& kv : index) order.emplace_back(&kv.first, &kv.second);
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        return a.second->begin != b.second->begin ? a.second->begin < b.second->begin : a.second->end < b.second->end;
    });
    uint64_t at = 0;
    for (size_t i = 0; i < order.size(); ++i) {
        const TensorInfo& t = *order[i].second;
        if (t.begin < at)
            throw InputError(name + ": tensor '" + *order[i].first + "' overlaps tensor '" + *order[i - 1].first +
                             "' in the data section.");
        if (t.begin > at)
            throw InputError(name + ": the data section has " + std::to_string(t.begin - at) +
                             " bytes that belong to no tensor, before tensor '" + *order[i].first + "'.");
        at = t.end;
    }
    if (at != data_size)
        throw InputError(name + ": the data section has " + std::to_string(data_size - at) +
                         " bytes after the last tensor that belong to no tensor.");
}

}  // namespace

SafetensorsFile SafetensorsFile::parse(std::string bytes, const std::string& name) {
    if (looks_like_pickle("", bytes.substr(0, 16))) refuse_pickle(name);
    const uint64_t n = header_length(bytes, name);
    const nlohmann::json header = parse_json_bounded(std::string(bytes.begin() + 8, bytes.begin() + 8 + static_cast<std::ptrdiff_t>(n)),
                                                     name + " has a safetensors header that");
    if (!header.is_object()) throw InputError(name + " has a safetensors header that is not a JSON object.");
    SafetensorsFile f;
    f.name_ = name;
    f.data_start_ = 8 + n;
    const uint64_t data_size = bytes.size() - f.data_start_;
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == "__metadata__") read_metadata(it.value(), name, f.metadata_);
        else f.index_[it.key()] = parse_tensor_entry(it.value(), it.key(), name, data_size);
    }
    check_tiling(f.index_, data_size, name);
    f.bytes_ = std::move(bytes);
    return f;
}

const TensorInfo& SafetensorsFile::info(const std::string& key) const {
    auto it = index_.find(key);
    if (it == index_.end()) throw InputError(name_ + " has no tensor named '" + key + "'.");
    return it->second;
}

std::vector<std::string> SafetensorsFile::keys() const {
    std::vector<std::string> k;
    for (const auto& kv : index_) k.push_back(kv.first);
    return k;
}

std::vector<float> SafetensorsFile::to_float(const std::string& key) const {
    const TensorInfo& t = info(key);
    const size_t n = static_cast<size_t>(t.numel());
    const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes_.data()) + data_start_ + t.begin;
    std::vector<float> out(n);
    // The format is little-endian; assemble values bytewise so the host order and
    // the (unaligned) offsets do not matter.
    if (t.dtype == "F32") {
        for (size_t i = 0; i < n; ++i) {
            uint32_t b = p[4 * i] | (p[4 * i + 1] << 8) | (p[4 * i + 2] << 16) | (static_cast<uint32_t>(p[4 * i + 3]) << 24);
            std::memcpy(&out[i], &b, 4);
        }
    } else if (t.dtype == "F16" || t.dtype == "BF16") {
        const bool half = t.dtype == "F16";
        for (size_t i = 0; i < n; ++i) {
            const uint16_t b = static_cast<uint16_t>(p[2 * i] | (p[2 * i + 1] << 8));
            out[i] = half ? half_to_float(b) : bf16_to_float(b);
        }
    } else if (t.dtype == "F64") {
        for (size_t i = 0; i < n; ++i) {
            uint64_t b = read_le64(p + 8 * i);
            double d;
            std::memcpy(&d, &b, 8);
            out[i] = static_cast<float>(d);
        }
    } else {
        throw InputError(name_ + ": tensor '" + key + "' has dtype " + t.dtype +
                         ", but only F32, F16, BF16 and F64 weights can be used.");
    }
    for (size_t i = 0; i < n; ++i)
        if (!std::isfinite(out[i]))
            throw InputError(name_ + ": tensor '" + key + "' holds a NaN or infinite value (element " + std::to_string(i) +
                             (t.dtype == "F64" ? ", or a value beyond float32's range" : "") + "), so it cannot be used.");
    return out;
}

}  // namespace ks
