#include "sample_image.h"

namespace ks {

std::string bundled_sample_image() { return std::string(KS_ASSETS_DIR) + "/images/coffee.png"; }

std::pair<int, int> bundled_sample_query() { return {2, 16}; }

}  // namespace ks
