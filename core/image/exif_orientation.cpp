#include "image/exif_orientation.h"

#include <cstring>

namespace ks {

namespace {

struct Tiff {
    const unsigned char* p;
    size_t n;
    bool little;
    bool u16(size_t at, unsigned* v) const {
        if (at + 2 > n) return false;
        *v = little ? p[at] | p[at + 1] << 8 : p[at] << 8 | p[at + 1];
        return true;
    }
    bool u32(size_t at, unsigned long* v) const {
        unsigned a = 0, b = 0;
        if (!u16(at, &a) || !u16(at + 2, &b)) return false;
        *v = little ? a | static_cast<unsigned long>(b) << 16 : static_cast<unsigned long>(a) << 16 | b;
        return true;
    }
};

// The orientation tag (0x0112) of IFD0 in an EXIF block's TIFF data, else 1.
int orientation_in_tiff(const unsigned char* p, size_t n) {
    if (n < 8) return 1;
    Tiff t{p, n, p[0] == 'I' && p[1] == 'I'};
    if (!t.little && !(p[0] == 'M' && p[1] == 'M')) return 1;
    unsigned magic = 0, count = 0;
    unsigned long ifd = 0;
    if (!t.u16(2, &magic) || magic != 42 || !t.u32(4, &ifd) || ifd > n || !t.u16(ifd, &count)) return 1;
    for (unsigned i = 0; i < count; ++i) {
        const size_t e = ifd + 2 + static_cast<size_t>(i) * 12;
        unsigned tag = 0, type = 0, value = 0;
        if (!t.u16(e, &tag) || !t.u16(e + 2, &type)) return 1;
        if (tag != 0x0112) continue;
        if (type != 3 || !t.u16(e + 8, &value) || value < 1 || value > 8) return 1;
        return static_cast<int>(value);
    }
    return 1;
}

}  // namespace

int jpeg_exif_orientation(const unsigned char* b, size_t n) {
    if (n < 4 || b[0] != 0xFF || b[1] != 0xD8) return 1;
    size_t at = 2;
    // Marker segments up to the first scan; EXIF is an APP1 segment starting "Exif\0\0".
    while (at + 4 <= n && b[at] == 0xFF) {
        const unsigned char marker = b[at + 1];
        if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 || marker == 0xFF) {
            at += marker == 0xFF ? 1 : 2;  // fill bytes and markers without a length
            continue;
        }
        if (marker == 0xDA || marker == 0xD9) break;  // start of scan, end of image
        const size_t len = static_cast<size_t>(b[at + 2]) << 8 | b[at + 3];
        if (len < 2 || at + 2 + len > n) break;
        const unsigned char* seg = b + at + 4;
        const size_t seg_n = len - 2;
        if (marker == 0xE1 && seg_n >= 6 && std::memcmp(seg, "Exif\0\0", 6) == 0) return orientation_in_tiff(seg + 6, seg_n - 6);
        at += 2 + len;
    }
    return 1;
}

std::vector<unsigned char> apply_exif_orientation(const unsigned char* px, int* w, int* h, int ch, int o) {
    const int sw = *w, sh = *h;
    const bool swap = o >= 5 && o <= 8;
    const int dw = swap ? sh : sw, dh = swap ? sw : sh;
    std::vector<unsigned char> out(static_cast<size_t>(dw) * dh * ch);
    for (int yd = 0; yd < dh; ++yd)
        for (int xd = 0; xd < dw; ++xd) {
            // The stored pixel shown at (xd, yd).
            int xs = xd, ys = yd;
            switch (o) {
                case 2: xs = sw - 1 - xd; break;                        // mirrored left-right
                case 3: xs = sw - 1 - xd; ys = sh - 1 - yd; break;      // rotated 180
                case 4: ys = sh - 1 - yd; break;                        // mirrored top-bottom
                case 5: xs = yd; ys = xd; break;                        // transposed
                case 6: xs = yd; ys = sh - 1 - xd; break;               // to be turned 90 clockwise
                case 7: xs = sw - 1 - yd; ys = sh - 1 - xd; break;      // transversed
                case 8: xs = sw - 1 - yd; ys = xd; break;               // to be turned 90 counter-clockwise
                default: break;
            }
            std::memcpy(&out[(static_cast<size_t>(yd) * dw + xd) * ch], &px[(static_cast<size_t>(ys) * sw + xs) * ch],
                        static_cast<size_t>(ch));
        }
    *w = dw;
    *h = dh;
    return out;
}

}  // namespace ks
