#pragma once
// The tensor names of a .safetensors checkpoint, from its JSON header alone: what the
// model-family table (compare/model_family.h) and checkpoint_kind decide by, before
// any weight is read.
#include <string>
#include <vector>

namespace ks {

// Empty for anything that is not a readable, well-formed header (a missing file, a FIFO,
// a header too long or too deep): the loader then gives the user its one sentence.
std::vector<std::string> checkpoint_tensor_names(const std::string& path);

}  // namespace ks
