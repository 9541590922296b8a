#include "sample_image.h"

namespace ks {

std::string bundled_sample_image() { return std::string(KS_ASSETS_DIR) + "/images/astronaut.png"; }

}  // namespace ks
