#pragma once
// Reads the pixel size an image file claims, from its header alone. stb_image refuses
// very large PNG and JPEG headers without saying why ("unknown image type"), so the
// size is read here first and the user is told the real reason.
#include <cstddef>
#include <string>

namespace ks {

// True and w/h set when bytes start with a PNG or JPEG header whose size is readable.
bool claimed_image_size(const unsigned char* bytes, size_t size, int* w, int* h);

// Why a JPEG's marker segments are malformed in a way Debian's stb_image 2.27 does not
// catch itself, or "" (also for files that are not JPEG): a Huffman table (DHT) with
// more than 256 codes, which stb writes past its 257-entry tables; a scan that decodes
// with a Huffman or quantisation table no segment defined, where stb reads its
// unzeroed decoder state (undefined behaviour: shifts of 34 bits, wild table indexes).
std::string jpeg_structure_problem(const unsigned char* bytes, size_t size);

// The fewest bytes a PNG, JPEG, TGA or BMP file of w x h pixels can have, from its
// format's best case (deflate at most 1032:1 on the 1-bit-per-pixel rows the header
// allows; a JPEG's at least one bit per 8 x 8 block of its full-resolution component;
// a TGA RLE packet at most 128 pixels; a BMP's rows stored whole). 0 for other formats.
// stb decodes data missing at the end of a file as zeros, so a file shorter than this
// would open as a silently black picture (and a 100-byte file as 17 megapixels).
size_t min_encoded_bytes(const unsigned char* bytes, size_t size, int w, int h);

// A PNG's bytes with its zero-length IDAT chunks left out (they hold no data), or an
// empty string when it has none or is not a PNG. Debian's stb 2.27 adds 0 to its still
// null data pointer for an empty first IDAT (undefined behaviour the image fuzzer found).
std::string png_without_empty_idat(const unsigned char* bytes, size_t size);

}  // namespace ks
