#include "cnn/checkpoint_kind.h"

#include "cnn/resnet_weights.h"
#include "io/checkpoint_header.h"

namespace ks {

CheckpointKind checkpoint_kind(const std::string& path) {
    return is_resnet_keys(checkpoint_tensor_names(path)) ? CheckpointKind::Resnet : CheckpointKind::Vit;
}

}  // namespace ks
