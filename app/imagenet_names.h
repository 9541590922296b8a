#pragma once
// ImageNet-1k's class names for the top logits, from the data folder (app/data_dir.h):
// <data>/assets/imagenet_classes.txt, installed with the shaders (cmake/install.cmake).
#include <memory>

#include "io/class_names.h"

namespace ks {

// Read once per process, on first use (any thread). Never null: an empty list when the
// data folder or the file is missing or malformed, and the logits then show their indices alone.
std::shared_ptr<const ClassNames> imagenet_class_names();

}  // namespace ks
