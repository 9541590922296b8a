#include "cnn/resnet_backward.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "cnn/resnet_backward_local.h"
#include "cnn/resnet_plan.h"
#include "io/input_error.h"
#include "kernels/elementwise.h"

namespace ks {
namespace {

using dnnl::memory;

float* data(const memory& m) { return static_cast<float*>(m.get_data_handle()); }
size_t count(const memory& m) { return m.get_desc().get_size() / sizeof(float); }

// Both operands are in the same layout (checked), so these are flat loops; the
// padding oneDNN's blocked layouts carry is 0 in every operand and stays 0.
void gate(const memory& d, const memory& relu_out) {
    if (!(d.get_desc() == relu_out.get_desc())) throw std::logic_error("resnet backward: gate layout differs");
    float* p = data(d);
    const float* y = data(relu_out);
    const long n = static_cast<long>(count(d));
#pragma omp parallel for simd schedule(static) if (n > 65536)
    for (long i = 0; i < n; ++i) p[i] = y[i] > 0.0f ? p[i] : 0.0f;
}

// acc += x, then the gate of the block before (whose output this gradient is) when
// given: one pass instead of two.
void add_then_gate(const memory& acc, const memory& x, const memory* relu_out) {
    if (!(acc.get_desc() == x.get_desc()) || (relu_out && !(acc.get_desc() == relu_out->get_desc())))
        throw std::logic_error("resnet backward: add layout differs");
    float* p = data(acc);
    const float* q = data(x);
    const long n = static_cast<long>(count(acc));
    if (relu_out) {
        const float* y = data(*relu_out);
#pragma omp parallel for simd schedule(static) if (n > 65536)
        for (long i = 0; i < n; ++i) p[i] = y[i] > 0.0f ? p[i] + q[i] : 0.0f;
    } else {
#pragma omp parallel for simd schedule(static) if (n > 65536)
        for (long i = 0; i < n; ++i) p[i] += q[i];
    }
}

// dy (in the step's output layout) -> dx (in its input layout).
memory back(const ConvStep& st, const memory& dy, dnnl::stream& s, const Scratch& scr) {
    const memory d = conform(dy, st.diff_dst, s);
    memory dx(st.diff_src, d.get_engine());
    if (st.bwd_is_forward)
        st.bwd.execute(s, {{DNNL_ARG_SRC, d},
                           {DNNL_ARG_WEIGHTS, st.w_bwd},
                           {DNNL_ARG_DST, dx},
                           {DNNL_ARG_SCRATCHPAD, scr(st.bwd_scratch)}});
    else
        st.bwd.execute(s, {{DNNL_ARG_DIFF_DST, d},
                           {DNNL_ARG_WEIGHTS, st.w_bwd},
                           {DNNL_ARG_DIFF_SRC, dx},
                           {DNNL_ARG_SCRATCHPAD, scr(st.bwd_scratch)}});
    s.wait();  // the gates below read dx directly
    return dx;
}

// d (gradient at the block's output, already gated by its final ReLU) -> gradient
// at its input, gated by `next_gate` (the ReLU before the block) when given.
memory block_backward(const BlockPlan& bp, const BlockTape& t, const memory& d, const memory* next_gate,
                      dnnl::stream& s, const Scratch& scr) {
    memory m;
    if (bp.bottleneck) {
        m = back(bp.conv3, d, s, scr);
        gate(m, t.t2);
        m = back(bp.conv2, m, s, scr);
    } else {
        m = back(bp.conv2, d, s, scr);
    }
    gate(m, t.t1);
    m = back(bp.conv1, m, s, scr);
    const memory shortcut = bp.has_down ? back(bp.down, d, s, scr) : d;
    add_then_gate(m, conform(shortcut, bp.conv1.src, s), next_gate);
    return m;
}

}  // namespace

std::vector<float> effective_kernel(const ResnetWeights& w, const ResnetForward& f, int stage, int row, int col) {
    if (stage < 1 || stage > 4) throw InputError("The stage must be layer1, layer2, layer3 or layer4.");
    const Feature& out = f.stages[stage - 1];
    if (!f.tape || f.stages_run < stage || out.v.empty() || f.tape->blocks[stage - 1].size() != w.layers[stage - 1].size())
        throw InputError("The forward pass did not keep the gates up to layer" + std::to_string(stage) + ".");
    if (row < 0 || row >= out.h || col < 0 || col >= out.w)
        throw InputError("The query " + std::to_string(row) + "," + std::to_string(col) + " lies outside layer" +
                         std::to_string(stage) + "'s grid of " + std::to_string(out.h) + " x " + std::to_string(out.w) +
                         " (0-based ROW,COL).");
    const ResnetTape& tape = *f.tape;
    const ResnetPlan& plan = *tape.plan;
    dnnl::stream s(plan.eng);
    const Scratch scr(plan);
    // The seed: d/dy of sum_c y[c, row, col] is 1 at (row, col) in every channel, gated
    // by the stage output's ReLU. Its first blocks run plain over the receptive field's
    // box while that is small (cnn/resnet_backward_local), the rest on whole planes.
    LocalBackward start;
    start.d = Feature(out.c, out.h, out.w);
    for (int c = 0; c < out.c; ++c) start.d.channel(c)[row * out.w + col] = out.channel(c)[row * out.w + col] > 0.0f ? 1.0f : 0.0f;
    start.box = {row, row + 1, col, col + 1};
    LocalBackward at = local_backward(w, tape, stage, std::move(start), s);
    const memory::desc& layout = at.layer >= 0 ? tape.blocks[at.layer][at.index].out.get_desc() : plan.pool_dst;
    // The walk's result is owned here, so the blocked copy may also be that buffer itself.
    const memory plain(memory::desc({1, at.d.c, at.d.h, at.d.w}, memory::data_type::f32, memory::format_tag::nchw),
                       plan.eng, at.d.v.data());
    memory d = conform(plain, layout, s);
    for (int L = at.layer; L >= 0; --L)
        for (int i = L == at.layer ? at.index : static_cast<int>(plan.layers[L].size()) - 1; i >= 0; --i) {
            // The block before this one ends in a ReLU (none before layer1's first block).
            const memory* before = i > 0 ? &tape.blocks[L][i - 1].out : L > 0 ? &tape.blocks[L - 1].back().out : nullptr;
            d = block_backward(plan.layers[L][i], tape.blocks[L][i], d, before, s, scr);
        }
    // Max-pool: each pooled value came from the one stem position it chose.
    memory ds(plan.stem.dst, plan.eng);
    plan.pool_bwd.execute(s, {{DNNL_ARG_DIFF_DST, conform(d, plan.pool_dst, s)},
                              {DNNL_ARG_WORKSPACE, tape.pool_ws},
                              {DNNL_ARG_DIFF_SRC, ds},
                              {DNNL_ARG_SCRATCHPAD, scr(plan.pool_bwd_scratch)}});
    s.wait();
    gate(ds, tape.stem);
    std::vector<float> g(static_cast<size_t>(3) * plan.h * plan.w);
    memory plain_g(plan.stem.src, plan.eng, g.data());
    const memory dx = back(plan.stem, ds, s, scr);
    dnnl::reorder(dx, plain_g).execute(s, const_cast<memory&>(dx), plain_g);
    s.wait();
    if (!kernels::all_finite(g.data(), g.size()))
        throw InputError("The effective kernel from layer" + std::to_string(stage) +
                         " is not finite: the backward pass through the weights overflows float32.");
    return g;
}

}  // namespace ks
