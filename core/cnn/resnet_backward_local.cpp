#include "cnn/resnet_backward_local.h"

#include <algorithm>

#include "kernels/gemm.h"

namespace ks {
namespace {

Box unite(const Box& a, const Box& b) {
    return {std::min(a.y0, b.y0), std::max(a.y1, b.y1), std::min(a.x0, b.x0), std::max(a.x1, b.x1)};
}

// dx (in_h x in_w, 0 outside *dx_box) = the gradient of conv `c` with respect to its
// input, for dy nonzero only inside `box`. cols[pos][ci, ky, kx] = sum_co dy[co, pos] *
// w[co][ci, ky, kx] is one GEMM with the weights as stored; each column then adds onto
// the input pixel it was read from. `box` is a copy: *dx_box may be the caller's box.
Feature conv_back_local(const Feature& dy, const Box box, const ConvBn& c, int in_h, int in_w, Box* dx_box) {
    const ConvGeom& g = c.geom;
    Feature dx(g.in, in_h, in_w);
    *dx_box = {std::max(0, box.y0 * g.stride - g.pad), std::min(in_h, (box.y1 - 1) * g.stride - g.pad + g.k),
               std::max(0, box.x0 * g.stride - g.pad), std::min(in_w, (box.x1 - 1) * g.stride - g.pad + g.k)};
    const int n = box.area(), K = g.in * g.k * g.k;
    if (n <= 0) return dx;
    std::vector<float> dyt(static_cast<size_t>(n) * g.out), cols(static_cast<size_t>(n) * K);
    for (int co = 0; co < g.out; ++co) {
        const float* src = dy.channel(co);
        int pos = 0;
        for (int y = box.y0; y < box.y1; ++y)
            for (int x = box.x0; x < box.x1; ++x, ++pos) dyt[static_cast<size_t>(pos) * g.out + co] = src[y * dy.w + x];
    }
    kernels::sgemm(false, n, K, g.out, 1.0f, dyt.data(), g.out, c.w.data(), K, 0.0f, cols.data(), K);
    int pos = 0;
    for (int oy = box.y0; oy < box.y1; ++oy)
        for (int ox = box.x0; ox < box.x1; ++ox, ++pos) {
            const float* col = cols.data() + static_cast<size_t>(pos) * K;
            for (int ci = 0; ci < g.in; ++ci) {
                float* plane = dx.channel(ci);
                for (int ky = 0; ky < g.k; ++ky) {
                    const int iy = oy * g.stride - g.pad + ky;
                    if (iy < 0 || iy >= in_h) continue;
                    for (int kx = 0; kx < g.k; ++kx) {
                        const int ix = ox * g.stride - g.pad + kx;
                        if (ix >= 0 && ix < in_w) plane[iy * in_w + ix] += col[(ci * g.k + ky) * g.k + kx];
                    }
                }
            }
        }
    return dx;
}

// Zeroes d wherever the ReLU output `y` (same shape) was not positive, inside the box.
void gate_in_box(Feature& d, const Feature& y, const Box& b) {
    for (int c = 0; c < d.c; ++c)
        for (int r = b.y0; r < b.y1; ++r)
            for (int x = b.x0; x < b.x1; ++x) {
                const size_t i = (static_cast<size_t>(c) * d.h + r) * d.w + x;
                if (!(y.v[i] > 0.0f)) d.v[i] = 0.0f;
            }
}

// d at the block's output (gated) -> the gradient at its input (in_h x in_w), box updated.
Feature block_back_local(const ResnetBlock& b, const BlockTape& t, const Feature& d, Box& box, int in_h, int in_w,
                         dnnl::stream& s) {
    Box mb;
    Feature m;
    const Feature t1 = plain_feature(t.t1, s);
    if (!b.conv3.w.empty()) {  // Bottleneck: conv3 reads t2, conv2 reads t1, conv1 the input
        const Feature t2 = plain_feature(t.t2, s);
        m = conv_back_local(d, box, b.conv3, t2.h, t2.w, &mb);
        gate_in_box(m, t2, mb);
        m = conv_back_local(m, mb, b.conv2, t1.h, t1.w, &mb);
    } else {                   // BasicBlock: conv2 reads t1, conv1 the input
        m = conv_back_local(d, box, b.conv2, t1.h, t1.w, &mb);
    }
    gate_in_box(m, t1, mb);
    m = conv_back_local(m, mb, b.conv1, in_h, in_w, &mb);
    Box sb = box;
    if (b.has_down) {
        const Feature sc = conv_back_local(d, box, b.down, in_h, in_w, &sb);
        for (size_t i = 0; i < m.v.size(); ++i) m.v[i] += sc.v[i];
    } else {
        for (size_t i = 0; i < m.v.size(); ++i) m.v[i] += d.v[i];
    }
    box = unite(mb, sb);
    return m;
}

}  // namespace

LocalBackward local_backward(const ResnetWeights& w, const ResnetTape& tape, int stage, LocalBackward at,
                             dnnl::stream& s) {
    at.layer = stage - 1;
    at.index = static_cast<int>(w.layers[at.layer].size()) - 1;
    while (at.layer >= 0 && 2 * at.box.area() <= at.d.h * at.d.w) {
        const int L = at.layer, i = at.index;
        // The block before: its output is this block's input (and has a ReLU to pass).
        int pl = L, pi = i - 1;
        if (pi < 0) {
            pl = L - 1;
            pi = pl >= 0 ? static_cast<int>(w.layers[pl].size()) - 1 : -1;
        }
        const dnnl::memory& input = pl >= 0 ? tape.blocks[pl][pi].out : dnnl::memory();
        const dnnl::memory::dims in_dims = pl >= 0 ? input.get_desc().dims() : tape.plan->pool_dst.dims();
        Feature m = block_back_local(w.layers[L][i], tape.blocks[L][i], at.d, at.box, static_cast<int>(in_dims[2]),
                                     static_cast<int>(in_dims[3]), s);
        if (pl >= 0) gate_in_box(m, plain_feature(input, s), at.box);
        at.d = std::move(m);
        at.layer = pl;
        at.index = pi;
    }
    return at;
}

}  // namespace ks
