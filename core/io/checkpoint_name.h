#pragma once
// A checkpoint's name as a person knows it. Hugging Face and timm save every model as
// "model.safetensors", so the file name alone says nothing: the folder names it
// ("vit-base-patch16-224/model.safetensors"), and a Hugging Face cache path
// (".../models--facebook--dino-vitb16/snapshots/<hash>/model.safetensors") names the
// repository ("facebook/dino-vitb16"). Other file names are shown as they are.
#include <string>

namespace ks {

std::string checkpoint_display_name(const std::string& path);

}  // namespace ks
