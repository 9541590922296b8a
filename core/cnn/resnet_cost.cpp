#include "cnn/resnet_cost.h"

#include <algorithm>
#include <string>

namespace ks {

namespace {

// One convolution at an input of h x w: adds its cost, returns its output size.
void conv_cost(const ConvGeom& g, int& h, int& w, PassCost& c) {
    h = std::max(1, g.out_size(h));
    w = std::max(1, g.out_size(w));
    const double out = static_cast<double>(g.out) * h * w;
    c.macs += out * g.in * g.k * g.k;
    c.bytes += 4.0 * out * 1.5;  // kept for the backward; oneDNN pads channels to blocks of 16
    c.bytes += 4.0 * g.out * g.in * g.k * g.k * 3;
}

// The pass's cost; each stage's output size into `grids` when given.
PassCost resnet_cost_walk(const ResnetWeights& w, int height, int width, std::array<std::array<int, 2>, 4>* grids) {
    PassCost c;
    c.bytes = 4.0 * 3 * height * width * 3;  // the image, the normalised input, its gradient
    int h = height, wd = width;
    conv_cost(w.stem.geom, h, wd, c);
    h = (h + 2 - 3) / 2 + 1;  // the 3 x 3, stride 2 max-pool
    wd = (wd + 2 - 3) / 2 + 1;
    for (size_t s = 0; s < w.layers.size(); ++s) {
        for (const ResnetBlock& b : w.layers[s]) {
            int h1 = h, w1 = wd, hd = h, wdd = wd;
            conv_cost(b.conv1.geom, h1, w1, c);
            conv_cost(b.conv2.geom, h1, w1, c);
            if (w.bottleneck) conv_cost(b.conv3.geom, h1, w1, c);
            if (b.has_down) conv_cost(b.down.geom, hd, wdd, c);
            h = h1;
            wd = w1;
        }
        if (grids) (*grids)[s] = {h, wd};
    }
    c.macs += static_cast<double>(w.fc_w.size());
    c.bytes += 4.0 * w.fc_w.size();
    return c;
}

}  // namespace

PassCost resnet_pass_cost(const ResnetWeights& w, int height, int width) { return resnet_cost_walk(w, height, width, nullptr); }

std::array<std::array<int, 2>, 4> resnet_stage_grids(const ResnetWeights& w, int height, int width) {
    std::array<std::array<int, 2>, 4> g{};
    resnet_cost_walk(w, height, width, &g);
    return g;
}

void check_resnet_cost(const ResnetWeights& w, int height, int width) {
    const PassCost c = resnet_pass_cost(w, height, width);
    if (c.macs <= kMaxPassMacs && c.bytes <= kMaxPassBytes) return;
    // The largest square input within the budget, for the advice (the cost grows with the side).
    int lo = 0, hi = 8192;
    while (hi - lo > 1) {
        const int mid = (lo + hi) / 2;
        const PassCost m = resnet_pass_cost(w, mid, mid);
        (m.macs <= kMaxPassMacs && m.bytes <= kMaxPassBytes ? lo : hi) = mid;
    }
    const std::string advice = lo >= 8 ? "give a smaller image or --image-size " + std::to_string(lo) + " or less (with --resize crop)"
                                       : "its layers are too large for any input size";
    check_pass_cost(c, "this ResNet", width, height, advice);
}

}  // namespace ks
