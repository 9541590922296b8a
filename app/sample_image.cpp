#include "sample_image.h"

#include "data_dir.h"

namespace ks {

// Found through the data folder (installed, $KS_DATA_DIR or the build tree), never the
// compiled-in source path alone, so an installed binary runs with the sources gone.
std::string bundled_sample_image() { return data_dir() + "/assets/images/coffee.png"; }

std::pair<int, int> bundled_sample_query() { return {2, 16}; }

}  // namespace ks
