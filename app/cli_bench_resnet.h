#pragma once
// `kernelscope bench --weights resnet.safetensors`: what one effective kernel costs.
#include <string>

#include "image/image.h"

namespace ks {

// Times, on the 224 x 224 crop of `image`: the forward pass (logits, gates kept) plus
// one backward pass from the centre of layer4 (the whole network, the costliest query),
// and each part alone. The "forward median" line is forward + backward, so scripts
// compare it with another engine's plain forward.
void bench_resnet(const std::string& weights, const Image& image, int runs);

}  // namespace ks
