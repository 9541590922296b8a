#pragma once
// Reading untrusted input files by their size: a path must name a regular file (not a
// directory, device, pipe or socket), its size on disk is checked against the limit
// for its kind before a byte is read, and never more than that size is read. So a
// directory, /dev/zero or a 3 GB "image" is refused at once, in one sentence.
#include <cstdint>
#include <string>

namespace ks {

// Limits per kind of file (README, "Limits").
constexpr uint64_t kMaxConfigFileBytes = 1ull << 20;                  // config.json, preprocessor_config.json: 1 MiB
constexpr uint64_t kMaxImageFileBytes = 64ull * 1000 * 1000 * 4 + (1ull << 20);  // 64 MP x 4 bytes (raw BMP/TGA) + 1 MiB
constexpr uint64_t kMaxCheckpointBytes = 8ull << 30;                  // 8 GiB
constexpr uint64_t kMaxNpyFileBytes = 4ull << 30;                     // 4 GiB
constexpr uint64_t kMaxAnalysisCsvBytes = 2ull << 30;                 // an analyze run's CSVs (per image rows): 2 GiB

// Reads the whole regular file `path`, of at most `max_bytes` bytes. `what` names the
// kind in messages ("image", "checkpoint", "model configuration", ".npy file").
// Throws InputError: "Cannot open the <what> '<path>': <reason>."
std::string read_regular_file(const std::string& path, uint64_t max_bytes, const std::string& what);

// The checks of read_regular_file on an open file, for a reader that streams it
// (sha256_file): a regular file of at most `max_bytes`, closed with this object.
class RegularFile {
public:
    RegularFile(const std::string& path, uint64_t max_bytes, const std::string& what);   // throws InputError
    ~RegularFile();
    RegularFile(const RegularFile&) = delete;
    RegularFile& operator=(const RegularFile&) = delete;
    int fd() const { return fd_; }
    uint64_t size() const { return size_; }
    const std::string& head() const { return head_; }   // "Cannot open the <what> '<path>': "

private:
    std::string head_;
    int fd_ = -1;
    uint64_t size_ = 0;
};

// Human sizes for messages: "1.5 GB", "300 KB", "12 bytes".
std::string byte_size_text(uint64_t bytes);

}  // namespace ks
