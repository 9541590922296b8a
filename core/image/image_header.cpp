#include "image/image_header.h"

#include <algorithm>
#include <cstring>

namespace ks {

namespace {

unsigned be32(const unsigned char* p) { return (unsigned(p[0]) << 24) | (unsigned(p[1]) << 16) | (unsigned(p[2]) << 8) | p[3]; }
unsigned be16(const unsigned char* p) { return (unsigned(p[0]) << 8) | p[1]; }

bool png_size(const unsigned char* b, size_t n, int* w, int* h) {
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n < 24 || std::memcmp(b, sig, 8) != 0 || std::memcmp(b + 12, "IHDR", 4) != 0) return false;
    const unsigned pw = be32(b + 16), ph = be32(b + 20);
    *w = pw > 0x7fffffffu ? 0x7fffffff : static_cast<int>(pw);
    *h = ph > 0x7fffffffu ? 0x7fffffff : static_cast<int>(ph);
    return true;
}

bool jpeg_size(const unsigned char* b, size_t n, int* w, int* h) {
    if (n < 4 || b[0] != 0xFF || b[1] != 0xD8) return false;
    size_t i = 2;
    // Walk the marker segments up to the first start-of-frame (SOF0..SOF15 but DHT, JPG, DAC).
    while (i + 9 < n) {
        if (b[i] != 0xFF) return false;
        const unsigned char m = b[i + 1];
        if (m == 0xFF) { ++i; continue; }
        const unsigned len = be16(b + i + 2);
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            *h = static_cast<int>(be16(b + i + 5));
            *w = static_cast<int>(be16(b + i + 7));
            return true;
        }
        i += 2 + len;
    }
    return false;
}

}  // namespace

bool jpeg_tables_ok(const unsigned char* b, size_t n) {
    // stb takes any run of 0xFF before D8 as the start-of-image marker.
    size_t i = 0;
    while (i < n && b[i] == 0xFF) ++i;
    if (i == 0 || i >= n || b[i] != 0xD8) return true;
    ++i;
    while (i + 1 < n) {
        // Not at a marker: stb skips such bytes one by one looking for the next 0xFF
        // (it tolerates padding between segments), so the walk must resync the same way.
        if (b[i] != 0xFF) { ++i; continue; }
        const unsigned char m = b[i + 1];
        if (m == 0xFF) { ++i; continue; }
        if (m == 0xD9) return true;                                      // EOI
        if ((m >= 0xD0 && m <= 0xD7) || m == 0x01 || m == 0xD8) { i += 2; continue; }  // no length
        if (i + 3 >= n) return true;
        const size_t len = be16(b + i + 2);
        if (len < 2) return false;
        if (m == 0xC4) {  // DHT: tables of 1 + 16 counts + sum(counts) values, read as stb reads them
            long long left = static_cast<long long>(len) - 2;
            size_t p = i + 4;
            // stb reads past the end of the data as zeros, so a table cut short by the end
            // of the file still counts the bytes that are there.
            while (left > 0 && p < n) {
                size_t codes = 0;
                for (int k = 1; k <= 16 && p + k < n; ++k) codes += b[p + k];
                if (codes > 256) return false;
                p += 17 + codes;
                left -= 17 + static_cast<long long>(codes);
            }
        }
        i += 2 + len;
        if (m == 0xDA) {  // start of scan: skip the entropy-coded data up to the next real marker
            while (i + 1 < n && !(b[i] == 0xFF && b[i + 1] != 0x00 && !(b[i + 1] >= 0xD0 && b[i + 1] <= 0xD7))) ++i;
        }
    }
    return true;
}

bool claimed_image_size(const unsigned char* bytes, size_t size, int* w, int* h) {
    return png_size(bytes, size, w, h) || jpeg_size(bytes, size, w, h);
}

}  // namespace ks
