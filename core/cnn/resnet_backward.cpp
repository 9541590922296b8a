#include "cnn/resnet_backward.h"

#include <algorithm>
#include <string>

#include "io/input_error.h"

namespace ks {
namespace {

// Zeroes the gradient wherever the forward ReLU did not pass its input.
void gate(Feature& d, const std::vector<uint8_t>& on) {
    float* p = d.v.data();
    for (size_t i = 0; i < d.v.size(); ++i)
        if (!on[i]) p[i] = 0.0f;
}

Box unite(const Box& a, const Box& b) {
    return {std::min(a.y0, b.y0), std::max(a.y1, b.y1), std::min(a.x0, b.x0), std::max(a.x1, b.x1)};
}

Feature conv_back(const Feature& d, const Box& box, const ConvBn& c, int in_h, int in_w, Box* in_box) {
    return conv_backward_input(d, box, c.geom, c.wt, in_h, in_w, in_box);
}

// d (gradient at the block's output) -> gradient at its input; `box` is updated.
Feature block_backward(Feature d, Box& box, const ResnetBlock& b, const BlockGates& g) {
    gate(d, g.relu_out);
    Box mb;
    Feature m;
    if (!b.conv3.w.empty()) {
        m = conv_back(d, box, b.conv3, g.mid_h, g.mid_w, &mb);
        gate(m, g.relu2);
        m = conv_back(m, mb, b.conv2, g.in_h, g.in_w, &mb);  // conv1 is 1x1 / 1: its output has the input's grid
        gate(m, g.relu1);
        m = conv_back(m, mb, b.conv1, g.in_h, g.in_w, &mb);
    } else {
        m = conv_back(d, box, b.conv2, g.mid_h, g.mid_w, &mb);
        gate(m, g.relu1);
        m = conv_back(m, mb, b.conv1, g.in_h, g.in_w, &mb);
    }
    if (b.has_down) {
        Box sb;
        const Feature s = conv_back(d, box, b.down, g.in_h, g.in_w, &sb);
        for (size_t i = 0; i < m.v.size(); ++i) m.v[i] += s.v[i];
        box = unite(mb, sb);
    } else {
        for (size_t i = 0; i < m.v.size(); ++i) m.v[i] += d.v[i];
        box = unite(mb, box);
    }
    return m;
}

}  // namespace

std::vector<float> effective_kernel(const ResnetWeights& w, const ResnetForward& f, int stage, int row, int col) {
    if (stage < 1 || stage > 4) throw InputError("The stage must be layer1, layer2, layer3 or layer4.");
    const ResnetGates& gates = f.gates;
    const Feature& out = f.stages[stage - 1];
    if (gates.blocks[stage - 1].size() != w.layers[stage - 1].size() || out.v.empty())
        throw InputError("The forward pass did not keep the gates up to layer" + std::to_string(stage) + ".");
    if (row < 0 || row >= out.h || col < 0 || col >= out.w)
        throw InputError("The query " + std::to_string(row) + "," + std::to_string(col) + " lies outside layer" +
                         std::to_string(stage) + "'s grid of " + std::to_string(out.h) + " x " + std::to_string(out.w) +
                         " (0-based ROW,COL).");
    // The seed: d/dy of sum_c y[c, row, col] is 1 at (row, col) in every channel.
    Feature d(out.c, out.h, out.w);
    for (int c = 0; c < out.c; ++c) d.channel(c)[row * out.w + col] = 1.0f;
    Box box{row, row + 1, col, col + 1};
    for (int L = stage - 1; L >= 0; --L)
        for (int i = static_cast<int>(w.layers[L].size()) - 1; i >= 0; --i)
            d = block_backward(std::move(d), box, w.layers[L][i], gates.blocks[L][i]);
    // Max-pool: each pooled value came from one stem position.
    Feature ds(d.c, gates.stem_h, gates.stem_w);
    const size_t plane = static_cast<size_t>(d.h) * d.w;
    for (int c = 0; c < d.c; ++c) {
        float* dst = ds.channel(c);
        const float* src = d.channel(c);
        const int32_t* arg = gates.pool_argmax.data() + c * plane;
        for (int y = box.y0; y < box.y1; ++y)
            for (int x = box.x0; x < box.x1; ++x) dst[arg[y * d.w + x]] += src[y * d.w + x];
    }
    box = {std::max(0, box.y0 * 2 - 1), std::min(gates.stem_h, (box.y1 - 1) * 2 + 2),
           std::max(0, box.x0 * 2 - 1), std::min(gates.stem_w, (box.x1 - 1) * 2 + 2)};
    gate(ds, gates.stem_relu);
    Feature g = conv_back(ds, box, w.stem, gates.input_h, gates.input_w, nullptr);
    return std::move(g.v);
}

}  // namespace ks
