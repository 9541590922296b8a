#pragma once
// SHA-256 (FIPS 180-4), for identities rather than secrets: `analyze` records its
// checkpoint's digest so that `--merge` can tell shards of one model from others, and
// the digest of its image list. No library in the build provides it (oneDNN, zlib and
// stb do not), and it is short.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace ks {

class Sha256 {
public:
    Sha256();
    void update(const void* data, size_t size);
    void update(const std::string& s) { update(s.data(), s.size()); }
    std::string hex();  // the digest as 64 lower-case hex digits; ends the hash

private:
    void block(const unsigned char* p);
    std::array<uint32_t, 8> h_;
    unsigned char buf_[64];
    size_t used_ = 0;
    uint64_t total_ = 0;
};

// The digest of a regular file of at most `max_bytes`, read in pieces (a checkpoint is
// not held twice). InputError as read_regular_file words it.
std::string sha256_file(const std::string& path, uint64_t max_bytes, const std::string& what);

}  // namespace ks
