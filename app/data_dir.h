#pragma once
#include <string>

namespace ks {

// kernelscope's data folder: the one holding shaders/ and assets/images/. Looked up, in
// this order, and never anywhere else:
//   1. $KS_DATA_DIR when set (an error when it lacks the files: no silent fallback);
//   2. next to the binary, as installed: <exe>/../share/kernelscope;
//   3. the source tree compiled in (KS_SOURCE_DIR), only for a binary that still sits in
//      its own build directory (KS_BUILD_DIR), so `./build/kernelscope` works unbuilt.
// An installed or unpacked binary therefore never reads the source tree, wherever that is.
// Returns "" and a sentence in *why when nothing fits.
std::string find_data_dir(std::string* why = nullptr);

// find_data_dir(), or an InputError with the sentence.
std::string data_dir();

// The shaders: $KS_SHADERS_DIR when set, else data_dir()/shaders ("" + *why when missing).
std::string find_shaders_dir(std::string* why = nullptr);

// "kernelscope 0.1" (CMake's project VERSION).
std::string version_string();

}  // namespace ks
