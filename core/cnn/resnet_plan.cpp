#include "cnn/resnet_plan.h"

#include <algorithm>
#include <cstring>

namespace ks {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
constexpr auto f32 = memory::data_type::f32;

enum class PostOp { none, relu, sum_relu };

memory::desc activation_desc(int c, int h, int w) { return memory::desc({1, c, h, w}, f32, tag::any); }

memory plain_copy(const std::vector<float>& v, const memory::desc& d, const dnnl::engine& eng) {
    memory m(d, eng);
    std::memcpy(m.get_data_handle(), v.data(), v.size() * sizeof(float));
    return m;
}

// Primitives run on whichever thread asks (the app's worker, an export job), and
// oneDNN's own scratchpad belongs to the thread that created the primitive, so
// each pass hands every primitive one buffer it owns (ResnetPlan::scratch_bytes).
dnnl::primitive_attr own_scratchpad() {
    dnnl::primitive_attr a;
    a.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    return a;
}

// Winograd F(2x2, 3x3) for the stride-1 3x3 convolutions where oneDNN has it
// (AVX-512), direct elsewhere.
dnnl::convolution_forward::primitive_desc forward_pd(const dnnl::engine& eng, const memory::desc& src,
                                                     const memory::desc& wei, const memory::desc* bias,
                                                     const memory::desc& dst, const ConvGeom& g, int pad,
                                                     const dnnl::primitive_attr& attr) {
    const memory::dims strides{g.stride, g.stride}, p{pad, pad};
    auto make = [&](dnnl::algorithm alg) {
        if (bias)
            return dnnl::convolution_forward::primitive_desc(
                {dnnl::prop_kind::forward_inference, alg, src, wei, *bias, dst, strides, p, p}, attr, eng);
        return dnnl::convolution_forward::primitive_desc(
            {dnnl::prop_kind::forward_inference, alg, src, wei, dst, strides, p, p}, attr, eng);
    };
    if (g.k == 3 && g.stride == 1) {
        try {
            return make(dnnl::algorithm::convolution_winograd);
        } catch (const dnnl::error&) {
        }
    }
    return make(dnnl::algorithm::convolution_direct);
}

// `src` is the layout of the tensor the step reads (already fixed by the step before);
// its output layout is oneDNN's choice, and the backward is asked for the same two,
// so no gradient needs a reorder. Not at the stem: with 3 plain input channels and a
// blocked output gradient oneDNN has only its reference backward (4.5 s at 224 px),
// so there the backward reads and writes plain layouts (its GEMM-based kernel, 4 ms).
ConvStep make_step(const dnnl::engine& eng, dnnl::stream& s, const ConvBn& c, const memory::desc& src, int in_h,
                   int in_w, PostOp post, bool own_backward_layouts = false) {
    const ConvGeom& g = c.geom;
    const memory::dims strides{g.stride, g.stride}, pad{g.pad, g.pad};
    const memory::desc wany({g.out, g.in, g.k, g.k}, f32, tag::any), bias({g.out}, f32, tag::x);
    const memory::desc dst = activation_desc(g.out, g.out_size(in_h), g.out_size(in_w));
    dnnl::post_ops ops;
    if (post == PostOp::sum_relu) ops.append_sum(1.0f);
    if (post != PostOp::none) ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
    dnnl::primitive_attr attr = own_scratchpad();
    attr.set_post_ops(ops);
    const auto fpd = forward_pd(eng, src, wany, &bias, dst, g, g.pad, attr);
    ConvStep st;
    st.fwd = dnnl::convolution_forward(fpd);
    st.fwd_scratch = fpd.scratchpad_desc();
    st.src = fpd.src_desc();
    st.dst = fpd.dst_desc();
    const memory::desc plain_w({g.out, g.in, g.k, g.k}, f32, tag::oihw);
    const memory w = plain_copy(c.w, plain_w, eng);
    st.w_fwd = conform(w, fpd.weights_desc(), s);
    st.bias = plain_copy(c.b, bias, eng);
    if (!own_backward_layouts && g.stride == 1 && g.pad <= g.k - 1) {
        // With stride 1 the gradient with respect to the input is itself a forward
        // convolution of the output gradient: weights transposed (in <-> out) and
        // flipped in space, padding k - 1 - pad. That runs on oneDNN's faster forward
        // kernels (Winograd for 3x3) rather than its backward-data ones.
        std::vector<float> flipped(c.w.size());
        const int k2 = g.k * g.k;
        for (int o = 0; o < g.out; ++o)
            for (int i = 0; i < g.in; ++i)
                for (int t = 0; t < k2; ++t)
                    flipped[(static_cast<size_t>(i) * g.out + o) * k2 + (k2 - 1 - t)] =
                        c.w[(static_cast<size_t>(o) * g.in + i) * k2 + t];
        const ConvGeom tg{g.in, g.out, g.k, 1, g.k - 1 - g.pad};
        const memory::desc twany({g.in, g.out, g.k, g.k}, f32, tag::any);
        const auto tpd = forward_pd(eng, st.dst, twany, nullptr, st.src, tg, tg.pad, own_scratchpad());
        st.bwd = dnnl::convolution_forward(tpd);
        st.bwd_is_forward = true;
        st.bwd_scratch = tpd.scratchpad_desc();
        st.diff_dst = tpd.src_desc();
        st.diff_src = tpd.dst_desc();
        st.w_bwd = conform(plain_copy(flipped, memory::desc({g.in, g.out, g.k, g.k}, f32, tag::oihw), eng),
                           tpd.weights_desc(), s);
        return st;
    }
    // The backward's hint is a training forward with the layouts just chosen.
    const dnnl::convolution_forward::primitive_desc hint(
        {dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, fpd.src_desc(), wany, bias,
         fpd.dst_desc(), strides, pad, pad},
        eng);
    const memory::desc plain_in({1, g.in, in_h, in_w}, f32, tag::nchw), plain_out(dst.dims(), f32, tag::nchw);
    const memory::desc bsrc = own_backward_layouts ? plain_in : fpd.src_desc();
    const memory::desc bdst = own_backward_layouts ? plain_out : fpd.dst_desc();
    const dnnl::convolution_backward_data::primitive_desc bpd(
        {dnnl::algorithm::convolution_direct, bsrc, wany, bdst, strides, pad, pad}, own_scratchpad(), eng, hint);
    st.bwd = dnnl::convolution_backward_data(bpd);
    st.bwd_scratch = bpd.scratchpad_desc();
    st.diff_src = bpd.diff_src_desc();
    st.diff_dst = bpd.diff_dst_desc();
    st.w_bwd = bpd.weights_desc() == fpd.weights_desc() ? st.w_fwd : conform(w, bpd.weights_desc(), s);
    return st;
}

std::shared_ptr<const ResnetPlan> build_plan(const ResnetWeights& w, int h, int w_px) {
    auto p = std::make_shared<ResnetPlan>();
    p->h = h;
    p->w = w_px;
    p->eng = dnnl::engine(dnnl::engine::kind::cpu, 0);
    dnnl::stream s(p->eng);
    p->stem = make_step(p->eng, s, w.stem, memory::desc({1, 3, h, w_px}, f32, tag::nchw), h, w_px, PostOp::relu, true);
    const int sh = w.stem.geom.out_size(h), sw = w.stem.geom.out_size(w_px);
    // torch.nn.MaxPool2d(3, 2, 1): padding never wins.
    const int ph = (sh + 2 - 3) / 2 + 1, pw = (sw + 2 - 3) / 2 + 1;
    const memory::dims two{2, 2}, three{3, 3}, one{1, 1};
    const memory::desc pool_out = activation_desc(w.stem.geom.out, ph, pw);
    const dnnl::pooling_forward::primitive_desc pf(
        {dnnl::prop_kind::forward_training, dnnl::algorithm::pooling_max, p->stem.dst, pool_out, two, three, one, one},
        own_scratchpad(), p->eng);
    const dnnl::pooling_backward::primitive_desc pb(
        {dnnl::algorithm::pooling_max, p->stem.dst, pf.dst_desc(), two, three, one, one}, own_scratchpad(), p->eng, pf);
    p->pool_scratch = pf.scratchpad_desc();
    p->pool_bwd_scratch = pb.scratchpad_desc();
    p->pool = dnnl::pooling_forward(pf);
    p->pool_bwd = dnnl::pooling_backward(pb);
    p->pool_dst = pf.dst_desc();
    p->pool_ws = pf.workspace_desc();
    memory::desc cur = p->pool_dst;
    int ch = ph, cw = pw;
    for (int L = 0; L < 4; ++L)
        for (const ResnetBlock& b : w.layers[L]) {
            BlockPlan bp;
            bp.bottleneck = !b.conv3.w.empty();
            bp.has_down = b.has_down;
            bp.conv1 = make_step(p->eng, s, b.conv1, cur, ch, cw, PostOp::relu);
            // Bottleneck: 1x1, strided 3x3, 1x1 (+ shortcut); BasicBlock: strided 3x3, 3x3 (+ shortcut).
            const int h1 = b.conv1.geom.out_size(ch), w1 = b.conv1.geom.out_size(cw);
            if (bp.bottleneck) {
                bp.conv2 = make_step(p->eng, s, b.conv2, bp.conv1.dst, h1, w1, PostOp::relu);
                bp.conv3 = make_step(p->eng, s, b.conv3, bp.conv2.dst, b.conv2.geom.out_size(h1),
                                     b.conv2.geom.out_size(w1), PostOp::sum_relu);
            } else {
                bp.conv2 = make_step(p->eng, s, b.conv2, bp.conv1.dst, h1, w1, PostOp::sum_relu);
            }
            if (bp.has_down) bp.down = make_step(p->eng, s, b.down, cur, ch, cw, PostOp::none);
            cur = bp.last().dst;
            ch = static_cast<int>(cur.dims()[2]);
            cw = static_cast<int>(cur.dims()[3]);
            p->layers[L].push_back(std::move(bp));
        }
    auto grow = [&](const memory::desc& d) { p->scratch_bytes = std::max(p->scratch_bytes, d.get_size()); };
    grow(p->pool_scratch);
    grow(p->pool_bwd_scratch);
    for (const ConvStep* st : p->steps()) {
        grow(st->fwd_scratch);
        grow(st->bwd_scratch);
    }
    s.wait();
    return p;
}

}  // namespace

std::vector<const ConvStep*> ResnetPlan::steps() const {
    std::vector<const ConvStep*> all{&stem};
    for (const auto& layer : layers)
        for (const BlockPlan& b : layer) {
            for (const ConvStep* st : {&b.conv1, &b.conv2}) all.push_back(st);
            if (b.bottleneck) all.push_back(&b.conv3);
            if (b.has_down) all.push_back(&b.down);
        }
    return all;
}

Feature plain_feature(const memory& m, dnnl::stream& s) {
    const memory::dims d = m.get_desc().dims();
    Feature f(static_cast<int>(d[1]), static_cast<int>(d[2]), static_cast<int>(d[3]));
    memory plain(memory::desc(d, f32, tag::nchw), m.get_engine(), f.v.data());
    dnnl::reorder(m, plain).execute(s, const_cast<memory&>(m), plain);
    s.wait();
    return f;
}

memory conform(const memory& m, const memory::desc& want, dnnl::stream& s) {
    if (m.get_desc() == want) return m;
    memory out(want, m.get_engine());
    // A reorder writes the channels, not necessarily the padding a blocked layout adds
    // (16-channel blocks); stale values there could be NaN, and 0 * NaN is not 0.
    std::memset(out.get_data_handle(), 0, want.get_size());
    dnnl::reorder(m, out).execute(s, const_cast<memory&>(m), out);
    s.wait();
    return out;
}

std::shared_ptr<const ResnetPlan> resnet_plan(const ResnetWeights& w, int h, int w_px) {
    if (!w.plan_cache) return build_plan(w, h, w_px);
    ResnetPlanCache& c = *w.plan_cache;
    std::lock_guard<std::mutex> lock(c.mutex);
    for (auto it = c.recent.begin(); it != c.recent.end(); ++it)
        if ((*it)->h == h && (*it)->w == w_px) {
            auto p = *it;
            c.recent.erase(it);
            c.recent.insert(c.recent.begin(), p);
            return p;
        }
    auto p = build_plan(w, h, w_px);
    c.recent.insert(c.recent.begin(), p);
    // Each plan holds the weights twice in oneDNN's layouts (about 200 MB for ResNet-50).
    if (c.recent.size() > 2) c.recent.pop_back();
    return p;
}

}  // namespace ks
