// png_bytes (declared in io/file_output.h): the PNG encoder of every picture kernelscope
// writes (render, Ctrl+E, screenshots' pictures, the analyses' plots).
//
// Why not stb_image_write's: its own deflate took 3-4 s for each 12 MP picture, and a
// 12 MP Ctrl+E writes four (heatmap.png and conv.png of A and of B): 14 s of its 18 s of
// CPU. Here each row gets the PNG filter of the five with the least sum of |byte| (stb's
// and libpng's heuristic), and bands of rows are deflated by zlib (level 1, run-length
// matches only: on filtered rows about as small as full matching, and on a noisy picture
// three times as fast, 0.3 s against 1 s a 12 MP picture on one thread), one band a thread. Each band is a raw deflate stream of its own ending on a byte boundary (a sync
// flush), so the bands join into one zlib stream, their Adler-32 checksums combined; the
// band height is fixed, so the bytes do not depend on the thread count. The pixels are
// the same as before (PNG is lossless); the files are about as small (a noisy picture
// does not compress with either).
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "io/file_output.h"
#include "io/input_error.h"

namespace ks {

namespace {

constexpr int kBandRows = 128;   // a 4000 px wide band is 1.5 MB: 24 bands for 12 MP, the threads kept busy

int paeth(int a, int b, int c) {
    const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

// `cur` filtered with PNG filter `type` into out; `prev` is the row above (zeros for the
// first row). One loop per type, so each vectorises.
void filter_row(int type, const unsigned char* cur, const unsigned char* prev, size_t n, unsigned char* out) {
    const size_t bpp = 3;
    switch (type) {
        case 0:
            std::memcpy(out, cur, n);
            break;
        case 1:
            for (size_t i = 0; i < bpp; ++i) out[i] = cur[i];
            for (size_t i = bpp; i < n; ++i) out[i] = static_cast<unsigned char>(cur[i] - cur[i - bpp]);
            break;
        case 2:
            for (size_t i = 0; i < n; ++i) out[i] = static_cast<unsigned char>(cur[i] - prev[i]);
            break;
        case 3:
            for (size_t i = 0; i < bpp; ++i) out[i] = static_cast<unsigned char>(cur[i] - (prev[i] >> 1));
            for (size_t i = bpp; i < n; ++i) out[i] = static_cast<unsigned char>(cur[i] - ((cur[i - bpp] + prev[i]) >> 1));
            break;
        default:
            for (size_t i = 0; i < bpp; ++i) out[i] = static_cast<unsigned char>(cur[i] - paeth(0, prev[i], 0));
            for (size_t i = bpp; i < n; ++i)
                out[i] = static_cast<unsigned char>(cur[i] - paeth(cur[i - bpp], prev[i], prev[i - bpp]));
    }
}

// Writes the filter byte, then the row filtered with the type of least sum |signed byte|.
void best_filtered_row(const unsigned char* cur, const unsigned char* prev, size_t n, unsigned char* out,
                       unsigned char* scratch) {
    long best = -1;
    for (int type = 0; type < 5; ++type) {
        filter_row(type, cur, prev, n, scratch);
        long sum = 0;
        for (size_t i = 0; i < n; ++i) sum += std::abs(static_cast<int>(static_cast<signed char>(scratch[i])));
        if (best < 0 || sum < best) {
            best = sum;
            out[0] = static_cast<unsigned char>(type);
            std::memcpy(out + 1, scratch, n);
        }
    }
}

struct Band {
    std::string deflated;
    uLong adler = 1;
    uLong length = 0;   // bytes of filtered input, for adler32_combine
    bool ok = true;
};

// Filters and deflates rows [y0, y1); the last band finishes the stream.
Band encode_band(const std::vector<unsigned char>& rgb, int width, int y0, int y1, bool last) {
    const size_t row = static_cast<size_t>(width) * 3;
    std::vector<unsigned char> filtered((row + 1) * static_cast<size_t>(y1 - y0)), scratch(row);
    const std::vector<unsigned char> zeros(y0 == 0 ? row : 0);   // the row "above" the first
    for (int y = y0; y < y1; ++y)
        best_filtered_row(&rgb[row * y], y > 0 ? &rgb[row * (y - 1)] : zeros.data(), row, &filtered[(row + 1) * (y - y0)],
                          scratch.data());
    Band b;
    b.length = static_cast<uLong>(filtered.size());
    b.adler = adler32(1, filtered.data(), static_cast<uInt>(filtered.size()));
    z_stream z{};
    if (deflateInit2(&z, 1, Z_DEFLATED, -15, 8, Z_RLE) != Z_OK) {
        b.ok = false;
        return b;
    }
    b.deflated.resize(deflateBound(&z, static_cast<uLong>(filtered.size())) + 16);
    z.next_in = filtered.data();
    z.avail_in = static_cast<uInt>(filtered.size());
    z.next_out = reinterpret_cast<Bytef*>(&b.deflated[0]);
    z.avail_out = static_cast<uInt>(b.deflated.size());
    const int rc = deflate(&z, last ? Z_FINISH : Z_SYNC_FLUSH);
    b.ok = (last ? rc == Z_STREAM_END : rc == Z_OK) && z.avail_in == 0;
    b.deflated.resize(z.total_out);
    deflateEnd(&z);
    return b;
}

void put_u32(std::string& s, uint32_t v) {
    const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
    s.append(b, 4);
}

void put_chunk(std::string& png, const char* type, const std::string& data) {
    put_u32(png, static_cast<uint32_t>(data.size()));
    const size_t at = png.size();
    png.append(type, 4);
    png += data;
    put_u32(png, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(png.data() + at), static_cast<uInt>(data.size() + 4))));
}

}  // namespace

std::string png_bytes(const std::vector<unsigned char>& rgb, int width, int height) {
    if (width <= 0 || height <= 0 || rgb.size() != static_cast<size_t>(width) * height * 3)
        throw InputError("Encoding a PNG of " + std::to_string(width) + " x " + std::to_string(height) + " failed.");
    const int bands = (height + kBandRows - 1) / kBandRows;
    std::vector<Band> band(static_cast<size_t>(bands));
#pragma omp parallel for schedule(dynamic) if (bands > 1)
    for (int i = 0; i < bands; ++i)
        band[i] = encode_band(rgb, width, i * kBandRows, std::min(height, (i + 1) * kBandRows), i == bands - 1);
    uLong adler = 1;
    std::string idat = {'\x78', '\x01'};   // zlib header: deflate, 32 KiB window, fastest
    for (const Band& b : band) {
        if (!b.ok) throw InputError("Encoding a PNG of " + std::to_string(width) + " x " + std::to_string(height) + " failed.");
        adler = adler32_combine(adler, b.adler, static_cast<z_off_t>(b.length));
    }
    size_t total = idat.size() + 4;
    for (const Band& b : band) total += b.deflated.size();
    idat.reserve(total);
    for (Band& b : band) {
        idat += b.deflated;
        std::string().swap(b.deflated);
    }
    put_u32(idat, static_cast<uint32_t>(adler));

    std::string png("\x89PNG\r\n\x1a\n", 8);
    std::string ihdr;
    put_u32(ihdr, static_cast<uint32_t>(width));
    put_u32(ihdr, static_cast<uint32_t>(height));
    ihdr += std::string("\x08\x02\x00\x00\x00", 5);   // 8 bits, RGB, deflate, adaptive filters, no interlace
    put_chunk(png, "IHDR", ihdr);
    png.reserve(png.size() + idat.size() + 24);
    put_chunk(png, "IDAT", idat);
    put_chunk(png, "IEND", std::string());
    return png;
}

}  // namespace ks
