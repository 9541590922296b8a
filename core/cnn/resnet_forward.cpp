#include "cnn/resnet_forward.h"

#include <limits>
#include <malloc.h>
#include <mutex>

#include "io/input_error.h"

namespace ks {
namespace {

// In-place ReLU of x (+ add, the residual, when given); the gate (1 = passed) is
// recorded when asked. One branch-free pass, so the compiler vectorises it.
void relu(Feature& f, std::vector<uint8_t>* gate, const Feature* add = nullptr) {
    float* p = f.v.data();
    const float* q = add ? add->v.data() : nullptr;
    const size_t n = f.v.size();
    if (q)
        for (size_t i = 0; i < n; ++i) p[i] += q[i];
    if (gate) {
        gate->resize(n);
        uint8_t* g = gate->data();
        for (size_t i = 0; i < n; ++i) g[i] = p[i] > 0.0f;
    }
    for (size_t i = 0; i < n; ++i) p[i] = p[i] > 0.0f ? p[i] : 0.0f;
}

// 3x3, stride 2, padding 1 (padding never wins), as torch.nn.MaxPool2d(3, 2, 1).
// The first maximum in scan order is the one chosen, as PyTorch's CPU kernel does.
Feature max_pool(const Feature& x, std::vector<int32_t>* argmax) {
    const int ho = (x.h + 2 - 3) / 2 + 1, wo = (x.w + 2 - 3) / 2 + 1;
    Feature y(x.c, ho, wo);
    if (argmax) argmax->resize(y.v.size());
    for (int c = 0; c < x.c; ++c) {
        const float* src = x.channel(c);
        float* dst = y.channel(c);
        for (int oy = 0; oy < ho; ++oy)
            for (int ox = 0; ox < wo; ++ox) {
                float best = -std::numeric_limits<float>::infinity();
                int at = -1;
                for (int ky = 0; ky < 3; ++ky) {
                    const int iy = oy * 2 - 1 + ky;
                    if (iy < 0 || iy >= x.h) continue;
                    for (int kx = 0; kx < 3; ++kx) {
                        const int ix = ox * 2 - 1 + kx;
                        if (ix < 0 || ix >= x.w) continue;
                        const float v = src[iy * x.w + ix];
                        if (v > best || at < 0) { best = v; at = iy * x.w + ix; }
                    }
                }
                dst[oy * wo + ox] = best;
                if (argmax) (*argmax)[(static_cast<size_t>(c) * ho + oy) * wo + ox] = at;
            }
    }
    return y;
}

Feature conv(const Feature& x, const ConvBn& c) { return conv_forward(x, c.geom, c.w, c.b); }

Feature block_forward(const Feature& in, const ResnetBlock& b, BlockGates* g) {
    if (g) { g->in_h = in.h; g->in_w = in.w; }
    Feature t = conv(in, b.conv1);
    relu(t, g ? &g->relu1 : nullptr);
    if (!b.conv3.w.empty()) {  // Bottleneck: 1x1 down, 3x3 (strided), 1x1 up
        t = conv(t, b.conv2);
        relu(t, g ? &g->relu2 : nullptr);
        if (g) { g->mid_h = t.h; g->mid_w = t.w; }
        t = conv(t, b.conv3);
    } else {                   // BasicBlock: 3x3 (strided), 3x3
        if (g) { g->mid_h = t.h; g->mid_w = t.w; }
        t = conv(t, b.conv2);
    }
    if (b.has_down) {
        const Feature shortcut = conv(in, b.down);
        relu(t, g ? &g->relu_out : nullptr, &shortcut);
    } else {
        relu(t, g ? &g->relu_out : nullptr, &in);
    }
    return t;
}

}  // namespace

// A forward and backward pass allocate a few hundred feature maps of up to a few MB.
// glibc serves those with fresh mmaps, so every pass paid for its page faults again
// (a sixth of the time at 224 px); keeping large blocks on the heap reuses them.
static void keep_large_blocks_on_heap() {
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 256 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
    });
}

ResnetForward resnet_forward(const ResnetWeights& w, const std::vector<float>& chw, int h, int w_px, int last_stage,
                             bool keep_gates) {
    keep_large_blocks_on_heap();
    // The stem and three stride-2 stages need at least this much input to leave a non-empty grid.
    if (h < 1 || w_px < 1 || chw.size() != static_cast<size_t>(3) * h * w_px)
        throw InputError("The ResNet input must be [3, H, W] with H, W >= 1.");
    ResnetForward f;
    ResnetGates& g = f.gates;
    g.input_h = h;
    g.input_w = w_px;
    Feature x(3, h, w_px);
    x.v = chw;
    Feature t = conv(x, w.stem);
    g.stem_h = t.h;
    g.stem_w = t.w;
    relu(t, keep_gates ? &g.stem_relu : nullptr);
    t = max_pool(t, keep_gates ? &g.pool_argmax : nullptr);
    for (int L = 0; L < last_stage && L < 4; ++L) {
        for (const ResnetBlock& b : w.layers[L]) {
            BlockGates* bg = nullptr;
            if (keep_gates) {
                g.blocks[L].emplace_back();
                bg = &g.blocks[L].back();
            }
            t = block_forward(t, b, bg);
        }
        f.stages[L] = t;
    }
    if (last_stage >= 4 && !w.fc_w.empty()) {
        // Global average pool, then the classifier.
        const Feature& s = f.stages[3];
        const size_t hw = static_cast<size_t>(s.h) * s.w;
        std::vector<double> pooled(s.c);
        for (int c = 0; c < s.c; ++c) {
            double acc = 0;
            for (size_t i = 0; i < hw; ++i) acc += s.channel(c)[i];
            pooled[c] = acc / hw;
        }
        f.logits.resize(w.num_classes);
        for (int k = 0; k < w.num_classes; ++k) {
            double acc = w.fc_b[k];
            const float* row = w.fc_w.data() + static_cast<size_t>(k) * s.c;
            for (int c = 0; c < s.c; ++c) acc += row[c] * pooled[c];
            f.logits[k] = static_cast<float>(acc);
        }
    }
    return f;
}

}  // namespace ks
