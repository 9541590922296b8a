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

// What moving the query costs in the app with a ResNet: its two backward passes (the
// effective kernel at (row, col) of layer<stage> for clean A and for B = A + noise
// `noise`, the app's default B), each over its own forward pass, timed together:
// "query move median X ms". The denominator of bench/app_latency.sh's query-move ratio.
void bench_resnet_query_move(const std::string& weights, const Image& image, int runs, int stage, int row, int col,
                             float noise);

}  // namespace ks
