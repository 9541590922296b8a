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

namespace {

// What a JPEG's marker segments have defined so far, as stb 2.27 reads them. stb
// allocates its decoder without zeroing it, so a scan that names a Huffman or
// quantisation table no segment defined reads whatever the heap held: UBSan saw a
// shift exponent of 34 and out-of-range table indexes from such files.
struct JpegState {
    bool dc[4] = {}, ac[4] = {}, quant[4] = {};
    int comp_id[4] = {}, comp_tq[4] = {}, comps = 0;
    bool progressive = false;
};

// stb reads bytes past the end of the data as zeros.
unsigned byte_at(const unsigned char* b, size_t n, size_t p) { return p < n ? b[p] : 0u; }

// DHT: tables of 1 + 16 counts + sum(counts) values. False when one has more than 256
// codes (stb writes past its 257-entry tables). A table cut short by the end of the file
// still counts the bytes that are there.
bool read_dht(const unsigned char* b, size_t n, size_t i, size_t len, JpegState& s) {
    long long left = static_cast<long long>(len) - 2;
    size_t p = i + 4;
    while (left > 0 && p < n) {
        const unsigned q = b[p];
        size_t codes = 0;
        for (int k = 1; k <= 16 && p + k < n; ++k) codes += b[p + k];
        if (codes > 256) return false;
        if ((q >> 4) <= 1 && (q & 15) <= 3) ((q >> 4) == 0 ? s.dc : s.ac)[q & 15] = true;
        p += 17 + codes;
        left -= 17 + static_cast<long long>(codes);
    }
    return true;
}

// DQT: tables of 1 + 64 values of 8 or 16 bits.
void read_dqt(const unsigned char* b, size_t n, size_t i, size_t len, JpegState& s) {
    long long left = static_cast<long long>(len) - 2;
    size_t p = i + 4;
    while (left > 0 && p < n) {
        const unsigned q = b[p];
        if ((q >> 4) > 1) return;  // stb refuses the file itself
        if ((q & 15) <= 3) s.quant[q & 15] = true;
        const size_t size = (q >> 4) ? 129 : 65;
        p += size;
        left -= static_cast<long long>(size);
    }
}

// SOF0..2 (the frames stb decodes): the components and their quantisation tables.
void read_sof(const unsigned char* b, size_t n, size_t i, unsigned char marker, JpegState& s) {
    s.progressive = marker == 0xC2;
    s.comps = static_cast<int>(std::min(4u, byte_at(b, n, i + 9)));
    for (int c = 0; c < s.comps; ++c) {
        s.comp_id[c] = static_cast<int>(byte_at(b, n, i + 10 + 3 * c));
        s.comp_tq[c] = static_cast<int>(byte_at(b, n, i + 12 + 3 * c));
    }
}

// SOS: every table the scan decodes with must have been defined before it. A
// progressive scan reads the DC table only in a first DC scan and the AC table only in
// an AC scan; a sequential one reads both.
std::string sos_problem(const unsigned char* b, size_t n, size_t i, const JpegState& s) {
    const unsigned count = byte_at(b, n, i + 4);
    const size_t spec = i + 5 + 2 * count;
    const bool dc_scan = byte_at(b, n, spec) == 0, dc_first = (byte_at(b, n, spec + 2) >> 4) == 0;
    for (unsigned k = 0; k < count && k < 4; ++k) {
        const int id = static_cast<int>(byte_at(b, n, i + 5 + 2 * k));
        const unsigned tables = byte_at(b, n, i + 6 + 2 * k), td = tables >> 4, ta = tables & 15;
        if (td > 3 || ta > 3) return "";  // stb refuses these itself
        const bool uses_dc = !s.progressive || (dc_scan && dc_first), uses_ac = !s.progressive || !dc_scan;
        if ((uses_dc && !s.dc[td]) || (uses_ac && !s.ac[ta])) return "a scan uses a Huffman table the file does not define";
        for (int c = 0; c < s.comps; ++c)
            if (s.comp_id[c] == id && (s.comp_tq[c] > 3 || !s.quant[s.comp_tq[c]]))
                return "a scan uses a quantisation table the file does not define";
    }
    return "";
}

// The entropy-coded data after a scan header runs up to the next marker that is not a
// stuffed 0xFF00 or a restart marker.
size_t skip_scan_data(const unsigned char* b, size_t n, size_t i) {
    while (i + 1 < n && !(b[i] == 0xFF && b[i + 1] != 0x00 && !(b[i + 1] >= 0xD0 && b[i + 1] <= 0xD7))) ++i;
    return i;
}

}  // namespace

std::string jpeg_structure_problem(const unsigned char* b, size_t n) {
    // stb takes any run of 0xFF before D8 as the start-of-image marker.
    size_t i = 0;
    while (i < n && b[i] == 0xFF) ++i;
    if (i == 0 || i >= n || b[i] != 0xD8) return "";
    ++i;
    JpegState s;
    while (i + 1 < n) {
        // Not at a marker: stb skips such bytes one by one looking for the next 0xFF
        // (it tolerates padding between segments), so the walk must resync the same way.
        if (b[i] != 0xFF) { ++i; continue; }
        const unsigned char m = b[i + 1];
        if (m == 0xFF) { ++i; continue; }
        if (m == 0xD9) return "";                                        // EOI
        if ((m >= 0xD0 && m <= 0xD7) || m == 0x01 || m == 0xD8) { i += 2; continue; }  // no length
        if (i + 3 >= n) return "";
        const size_t len = be16(b + i + 2);
        if (len < 2) return "a marker segment has a length below 2";
        if (m == 0xC4 && !read_dht(b, n, i, len, s)) return "a Huffman table has more than 256 codes";
        if (m == 0xDB) read_dqt(b, n, i, len, s);
        if (m >= 0xC0 && m <= 0xC2) read_sof(b, n, i, m, s);
        if (m == 0xDA)
            if (std::string p = sos_problem(b, n, i, s); !p.empty()) return p;
        i += 2 + len;
        if (m == 0xDA) i = skip_scan_data(b, n, i);
    }
    return "";
}

size_t min_encoded_bytes(const unsigned char* b, size_t n, int w, int h) {
    if (w <= 0 || h <= 0) return 0;
    const unsigned long long W = static_cast<unsigned>(w), H = static_cast<unsigned>(h), pixels = W * H;
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n >= 26 && std::memcmp(b, png_sig, 8) == 0) {
        // Bits per pixel from the colour type and depth; unknown combinations as 1.
        const unsigned depth = b[24], type = b[25];
        const unsigned channels = type == 2 ? 3 : type == 4 ? 2 : type == 6 ? 4 : 1;
        const unsigned long long bits = std::max(1u, depth) * channels;
        const unsigned long long raw = H * (1 + (W * bits + 7) / 8);  // a filter byte per row
        return static_cast<size_t>(raw / 1032);
    }
    if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
        const unsigned long long blocks = ((W + 7) / 8) * ((H + 7) / 8);
        return static_cast<size_t>(blocks / 8);
    }
    if (n >= 30 && b[0] == 'B' && b[1] == 'M') {
        const unsigned bpp = b[28] | (b[29] << 8);
        const unsigned compression = n >= 34 ? (b[30] | (b[31] << 8) | (b[32] << 16) | (static_cast<unsigned>(b[33]) << 24)) : 0;
        if (compression != 0 && compression != 3) return 0;  // RLE and others: stb refuses them anyway
        const unsigned long long stride = ((W * std::max(1u, bpp) + 31) / 32) * 4;
        return static_cast<size_t>(H * stride);
    }
    // TGA has no signature: trust the header only when it is consistent with w x h.
    if (n >= 18) {
        const unsigned cmap = b[1], type = b[2], bpp = b[16];
        const unsigned tw = b[12] | (b[13] << 8), th = b[14] | (b[15] << 8);
        const bool tga = cmap <= 1 && (type == 1 || type == 2 || type == 3 || type == 9 || type == 10 || type == 11) &&
                         (bpp == 8 || bpp == 15 || bpp == 16 || bpp == 24 || bpp == 32) && tw == W && th == H;
        if (tga) {
            const unsigned long long bytes_pp = (bpp + 7) / 8;
            return static_cast<size_t>(type >= 9 ? 18 + (pixels + 127) / 128 * (1 + bytes_pp) : 18 + pixels * bytes_pp);
        }
    }
    return 0;
}

std::string png_without_empty_idat(const unsigned char* b, size_t n) {
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n < 8 || std::memcmp(b, sig, 8) != 0) return {};
    std::string out;
    size_t i = 8, kept = 0;  // bytes [kept, i) are still to be copied
    bool found = false;
    while (i + 12 <= n) {
        const size_t len = be32(b + i);
        if (len > n - i - 12) break;  // a chunk past the end: left as it is for stb to refuse
        if (len == 0 && std::memcmp(b + i + 4, "IDAT", 4) == 0) {
            out.append(reinterpret_cast<const char*>(b) + kept, i - kept);
            found = true;
            kept = i + 12;
        }
        i += 12 + len;
    }
    if (!found) return {};
    out.append(reinterpret_cast<const char*>(b) + kept, n - kept);
    return out;
}

bool claimed_image_size(const unsigned char* bytes, size_t size, int* w, int* h) {
    return png_size(bytes, size, w, h) || jpeg_size(bytes, size, w, h);
}

}  // namespace ks
