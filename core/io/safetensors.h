#pragma once
// Reader for the .safetensors checkpoint format: an 8-byte little-endian header
// length, a JSON header naming every tensor (dtype, shape, byte range), then the
// raw data. It is the only checkpoint format we accept because it carries no code:
// pickled .pth/.bin files are refused (see tools/pth_to_safetensors.py).
//
// The whole header is validated before any tensor is used, since a checkpoint is
// untrusted input: a bad file must give one clear sentence, never a crash.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ks {

constexpr uint64_t kMaxSafetensorsHeader = 100ull * 1024 * 1024;  // 100 MiB

struct TensorInfo {
    std::string dtype;              // as written: "F32", "F16", "BF16", "I64", ...
    std::vector<int64_t> shape;
    uint64_t begin = 0, end = 0;    // byte range inside the data section
    int64_t numel() const;
};

class SafetensorsFile {
public:
    // Reads and validates `path`. Throws InputError (one sentence, naming the file
    // and, where relevant, the tensor).
    static SafetensorsFile read(const std::string& path);
    // Same, from bytes in memory; `name` is used in messages.
    static SafetensorsFile parse(std::string bytes, const std::string& name);

    const std::string& name() const { return name_; }
    bool has(const std::string& key) const { return index_.count(key) != 0; }
    const TensorInfo& info(const std::string& key) const;
    std::vector<std::string> keys() const;
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    // The tensor converted to float32 (F32, F16, BF16, F64 are convertible).
    // Throws InputError for a missing key or a dtype that is not floating point.
    std::vector<float> to_float(const std::string& key) const;

private:
    std::string name_;
    std::string bytes_;             // the whole file; data section starts at data_start_
    uint64_t data_start_ = 0;
    std::map<std::string, TensorInfo> index_;
    std::map<std::string, std::string> metadata_;
};

// True when the path's extension or first bytes say it is a pickle / torch zip
// archive. Exposed for the loaders' messages and for tests.
bool looks_like_pickle(const std::string& path, const std::string& first_bytes);

// Half-precision conversions (exact; used by the reader and the tests).
float half_to_float(uint16_t h);
float bf16_to_float(uint16_t b);

}  // namespace ks
