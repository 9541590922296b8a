#pragma once
// A JPEG's EXIF orientation, applied as image viewers apply it: a phone stores a photo
// taken upright as landscape pixels with "rotate 90" in its EXIF block, and every viewer
// shows it upright. Read from the bytes with every offset checked (the file is untrusted).
#include <cstddef>
#include <vector>

namespace ks {

// 1..8 as EXIF defines them (1 = as stored); 1 for anything else, a file without EXIF,
// or an EXIF block that is malformed.
int jpeg_exif_orientation(const unsigned char* bytes, size_t size);

// The w x h interleaved 8-bit picture (`channels` a pixel) turned to how it is meant to
// be seen; w and h swap for orientations 5..8.
std::vector<unsigned char> apply_exif_orientation(const unsigned char* pixels, int* w, int* h, int channels,
                                                  int orientation);

}  // namespace ks
