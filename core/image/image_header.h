#pragma once
// Reads the pixel size an image file claims, from its header alone. stb_image refuses
// very large PNG and JPEG headers without saying why ("unknown image type"), so the
// size is read here first and the user is told the real reason.
#include <cstddef>

namespace ks {

// True and w/h set when bytes start with a PNG or JPEG header whose size is readable.
bool claimed_image_size(const unsigned char* bytes, size_t size, int* w, int* h);

// False when a JPEG's marker segments are malformed in a way Debian's stb_image 2.27
// does not catch itself: a Huffman table (DHT) with more than 256 codes, which stb
// writes past its 257-entry tables. Files that are not JPEG return true.
bool jpeg_tables_ok(const unsigned char* bytes, size_t size);

}  // namespace ks
