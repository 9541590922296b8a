#include "cnn/resnet_forward.h"

#include <cstring>

#include "cnn/resnet_plan.h"
#include "io/input_error.h"
#include "kernels/elementwise.h"
#include "kernels/gemm.h"

namespace ks {
namespace {

using dnnl::memory;

memory run(const ConvStep& st, const memory& src, dnnl::stream& s, const Scratch& scr, memory dst = {}) {
    const memory in = conform(src, st.src, s);
    if (!dst) dst = memory(st.dst, in.get_engine());
    st.fwd.execute(s, {{DNNL_ARG_SRC, in},
                       {DNNL_ARG_WEIGHTS, st.w_fwd},
                       {DNNL_ARG_BIAS, st.bias},
                       {DNNL_ARG_DST, dst},
                       {DNNL_ARG_SCRATCHPAD, scr(st.fwd_scratch)}});
    return dst;
}

// out = relu(last conv + shortcut): the shortcut is written into out first and the
// last conv adds onto it (its sum post-op), then its ReLU post-op runs.
memory block_forward(const BlockPlan& bp, const memory& in, dnnl::stream& s, const Scratch& scr, BlockTape* tape) {
    memory t1 = run(bp.conv1, in, s, scr), t2;
    const ConvStep& last = bp.last();
    memory out(last.dst, in.get_engine());
    if (bp.has_down) {
        if (bp.down.dst == last.dst) {
            run(bp.down, in, s, scr, out);
        } else {
            const memory sc = run(bp.down, in, s, scr);
            dnnl::reorder(sc, out).execute(s, const_cast<memory&>(sc), out);
        }
    } else {
        const memory sc = conform(in, last.dst, s);
        s.wait();
        std::memcpy(out.get_data_handle(), sc.get_data_handle(), last.dst.get_size());
    }
    if (bp.bottleneck) {
        t2 = run(bp.conv2, t1, s, scr);
        run(bp.conv3, t2, s, scr, out);
    } else {
        run(bp.conv2, t1, s, scr, out);
    }
    if (tape) *tape = {t1, t2, out};
    return out;
}

}  // namespace

ResnetForward resnet_forward(const ResnetWeights& w, const std::vector<float>& chw, int h, int w_px, int last_stage,
                             bool keep_gates) {
    if (h < 1 || w_px < 1 || chw.size() != static_cast<size_t>(3) * h * w_px)
        throw InputError("The ResNet input must be [3, H, W] with H, W >= 1.");
    const std::shared_ptr<const ResnetPlan> plan = resnet_plan(w, h, w_px);
    dnnl::stream s(plan->eng);
    auto tape = keep_gates ? std::make_shared<ResnetTape>() : nullptr;
    ResnetForward f;
    // oneDNN only reads a source, so the caller's buffer is used in place.
    const memory x(plan->stem.src, plan->eng, const_cast<float*>(chw.data()));
    const Scratch scr(*plan);
    const memory stem = run(plan->stem, x, s, scr);
    memory t(plan->pool_dst, plan->eng), ws(plan->pool_ws, plan->eng);
    plan->pool.execute(s, {{DNNL_ARG_SRC, stem},
                          {DNNL_ARG_DST, t},
                          {DNNL_ARG_WORKSPACE, ws},
                          {DNNL_ARG_SCRATCHPAD, scr(plan->pool_scratch)}});
    if (tape) {
        tape->plan = plan;
        tape->stem = stem;
        tape->pool_ws = ws;
    }
    for (int L = 0; L < last_stage && L < 4; ++L) {
        for (const BlockPlan& bp : plan->layers[L]) {
            BlockTape* bt = nullptr;
            if (tape) bt = &tape->blocks[L].emplace_back();
            t = block_forward(bp, t, s, scr, bt);
        }
        f.stages[L] = plain_feature(t, s);
        f.stages_run = L + 1;
        // Weights that overflow float32 (a BatchNorm with gamma 1e30 and var 0) make NaN
        // or inf here: said with the stage, not passed on as a NaN kernel or picture.
        if (!kernels::all_finite(f.stages[L].v.data(), f.stages[L].v.size()))
            throw InputError("The ResNet's output after layer" + std::to_string(L + 1) +
                             " is not finite on this input: the weights of that stage (or the stem) overflow float32.");
    }
    s.wait();
    f.tape = std::move(tape);
    if (last_stage >= 4 && !w.fc_w.empty()) {
        // Global average pool, then the classifier as one sgemm row (2M multiply-adds
        // for ResNet-50: a millisecond and a half as a double loop).
        const Feature& st = f.stages[3];
        const size_t hw = static_cast<size_t>(st.h) * st.w;
        std::vector<float> pooled(st.c);
        for (int c = 0; c < st.c; ++c) {
            double acc = 0;
            for (size_t i = 0; i < hw; ++i) acc += st.channel(c)[i];
            pooled[c] = static_cast<float>(acc / hw);
        }
        f.logits.resize(w.num_classes);
        kernels::linear(pooled.data(), 1, st.c, w.fc_w.data(), w.fc_b.data(), w.num_classes, f.logits.data());
        if (!kernels::all_finite(f.logits.data(), f.logits.size()))
            throw InputError("The ResNet's classifier 'fc' gives logits that are not finite on this input: its weights overflow float32.");
    }
    return f;
}

}  // namespace ks
