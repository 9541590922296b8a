#pragma once
#include <string>

namespace ks {

// The photo the app and `render` use when no --image is given (assets/images, with
// its licence in SOURCES.md).
std::string bundled_sample_image();

}  // namespace ks
