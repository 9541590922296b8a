#pragma once
// Files are never half-written: every output goes to a temporary file in the same
// folder and is renamed into place only when it is complete.
#include <string>
#include <utility>
#include <vector>

#include "io/input_error.h"

namespace ks {

// Throws InputError on failure (the message names the path and the reason).
void write_file_atomic(const std::string& path, const std::string& bytes);
std::string read_file(const std::string& path);
// Encodes 8-bit RGB pixels as PNG bytes (io/png_encode.cpp: threaded, zlib).
std::string png_bytes(const std::vector<unsigned char>& rgb, int width, int height);
// A 0..1 value as a byte: clamped (NaN reads as 0), then rounded as std::lround rounds
// (half away from zero), without a libm call, so loops over millions vectorise.
inline unsigned char unit_to_byte(float v) {
    const float x = (v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f) * 255.0f;
    const int t = static_cast<int>(x);
    return static_cast<unsigned char>(t + (x - static_cast<float>(t) >= 0.5f ? 1 : 0));
}

// Writes a set of named files into dir, a new or empty folder, all or nothing: they are
// written into a temporary folder beside dir and moved in only when all are complete.
// A dir that holds anything is refused (InputError) before a byte is written, so no file
// or folder of the user's is ever replaced, moved, deleted or mixed with a run's files.
void write_files(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files);
// write_files's last step into an empty folder the user made, apart so its undo can be
// tested: every entry of `from` moves into `into`, in name order. Should one fail (its
// name taken in `into`, or the rename refused), those already moved are removed, so
// `into` holds what it held before. Returns the failure, "" when all moved.
std::string move_entries_all_or_none(const std::string& from, const std::string& into);
// What write_files checks first, for commands to call before their work starts: a
// folder name, not a dangling link or a file, new or empty, under a writable folder.
// Throws InputError with the one sentence.
void check_output_folder(const std::string& dir);
// For a signal watcher about to end the process: waits until no write_files call is
// under way and keeps new ones from starting, so an output folder is always whole or
// absent. Returns how many write_files calls completed. The caller must then exit.
int stop_output_writes();

}  // namespace ks
