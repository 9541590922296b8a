#include "cnn/resnet_model.h"

#include <cmath>

#include "cnn/resnet_cost.h"
#include "conv/learned_filters.h"
#include "io/safetensors.h"
#include "image/model_input.h"

namespace ks {

std::vector<ConvKernel> ResnetModel::conv1_filters() const {
    std::vector<ConvKernel> f = learned_patch_filters(weights.stem_raw, weights.stem.geom.out, weights.stem.geom.k);
    for (size_t c = 0; c < f.size(); ++c) f[c].name = "conv1[" + std::to_string(c) + "]";
    return f;
}

ResnetModel load_resnet(const std::string& weights_path) {
    ResnetModel m;
    m.path = weights_path;
    // The file's bytes are released once the tensors are converted and folded.
    const SafetensorsFile f = SafetensorsFile::read(weights_path);
    m.weights = load_resnet_weights(f);
    return m;
}

ResnetRun run_resnet(const ResnetModel& m, const Image& image, const ResnetInput& in, int last_stage) {
    if (image.empty()) throw InputError("Cannot run the model on an empty image.");
    if (!in.whole && (in.size < 8 || in.size > 4096))
        throw InputError("The value of --image-size must lie in 8..4096 for a ResNet, not " + std::to_string(in.size) + ".");
    for (int c = 0; c < 3; ++c)
        if (!(in.std[c] > 0.0f) || !std::isfinite(in.mean[c]))
            throw InputError("The normalisation std must be positive and the mean finite.");
    // Said before a byte is allocated for the pass (io/cost_limits.h).
    check_resnet_cost(m.weights, in.whole ? image.height : in.size, in.whole ? image.width : in.size);
    ResnetRun r;
    if (in.whole) {
        r.input = image;
        r.chw = normalise_chw(image, in.mean, in.std);
    } else {
        // The ViT path's preprocessing; an image already at the size is used as it is.
        VitInput v = preprocess_vit(image, in.size, in.size, VitResize::ShorterSideCrop, in.mean, in.std);
        r.input = std::move(v.shown);
        r.chw = std::move(v.chw);
    }
    r.forward = resnet_forward(m.weights, r.chw, r.input.height, r.input.width, last_stage, true);
    return r;
}

int parse_stage(const std::string& name) {
    for (int s = 1; s <= 4; ++s)
        if (name == "layer" + std::to_string(s) || name == std::to_string(s)) return s;
    throw InputError("The value of --stage must be layer1, layer2, layer3 or layer4, not '" + name + "'.");
}

}  // namespace ks
