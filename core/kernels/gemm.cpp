#include "kernels/gemm.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>

#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl.hpp>

#include "kernels/elementwise.h"

namespace ks::kernels {

void sgemm(bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb, float beta,
           float* c, int ldc) {
    const dnnl_status_t s = dnnl_sgemm('N', trans_b ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    if (s != dnnl_success) throw std::runtime_error("oneDNN sgemm failed (status " + std::to_string(s) + ")");
}

void linear(const float* x, int m, int in, const float* w, const float* bias, int out, float* y) {
    if (bias) broadcast_rows(y, bias, m, out);
    sgemm(true, m, out, in, 1.0f, x, in, w, in, bias ? 1.0f : 0.0f, y, out);
}

struct PackedBlob {
    dnnl::memory mem;
};

namespace {

using dnnl::memory;

const dnnl::engine& cpu_engine() {
    static const dnnl::engine e(dnnl::engine::kind::cpu, 0);
    return e;
}

// W [out][in] row-major is the "ba" layout of W^T [in][out]: the plain weights, read in place.
memory::desc plain_weights(int in, int out) { return memory::desc({in, out}, memory::data_type::f32, memory::format_tag::ba); }

// One matmul primitive per shape and weights layout (plain, or the library's choice
// for packed weights), built once: building one generates its kernels. Each call
// brings its own scratchpad, so one primitive may run on several threads at once
// (oneDNN's own scratchpad belongs to the thread that built the primitive).
struct Matmul {
    dnnl::matmul prim;
    memory::desc src, wei, bias, dst, scratch;
};

const Matmul& matmul_for(int m, int in, int out, bool with_bias, bool packed, Activation then = Activation::none) {
    static std::mutex mu;
    static std::map<std::tuple<int, int, int, bool, bool, Activation>, std::unique_ptr<Matmul>> built;
    std::lock_guard<std::mutex> lock(mu);
    auto& slot = built[{m, in, out, with_bias, packed, then}];
    if (!slot) {
        constexpr auto f32 = memory::data_type::f32;
        auto mm = std::make_unique<Matmul>();
        mm->src = memory::desc({m, in}, f32, memory::format_tag::ab);
        const memory::desc wei = packed ? memory::desc({in, out}, f32, memory::format_tag::any) : plain_weights(in, out);
        mm->bias = memory::desc({1, out}, f32, memory::format_tag::ab);
        mm->dst = memory::desc({m, out}, f32, memory::format_tag::ab);
        dnnl::primitive_attr attr;
        attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
        if (then != Activation::none) {
            // quick GELU x sigmoid(1.702 x) is oneDNN's swish with alpha 1.702.
            const auto alg = then == Activation::gelu_erf    ? dnnl::algorithm::eltwise_gelu_erf
                             : then == Activation::gelu_tanh ? dnnl::algorithm::eltwise_gelu_tanh
                                                              : dnnl::algorithm::eltwise_swish;
            dnnl::post_ops ops;
            ops.append_eltwise(1.0f, alg, then == Activation::quick_gelu ? 1.702f : 0.0f, 0.0f);
            attr.set_post_ops(ops);
        }
        const auto d = with_bias ? dnnl::matmul::desc(mm->src, wei, mm->bias, mm->dst) : dnnl::matmul::desc(mm->src, wei, mm->dst);
        const dnnl::matmul::primitive_desc pd(d, attr, cpu_engine());
        mm->prim = dnnl::matmul(pd);
        mm->wei = pd.weights_desc();
        mm->scratch = pd.scratchpad_desc();
        slot = std::move(mm);
    }
    return *slot;
}

}  // namespace

PackedWeights pack_weights(const float* w, int out, int in, int rows) {
    PackedWeights p;
    const Matmul& mm = matmul_for(std::max(rows, 1), in, out, false, true);
    const memory::desc plain = plain_weights(in, out);
    if (mm.wei == plain) return p;
    auto blob = std::make_shared<PackedBlob>();
    blob->mem = memory(mm.wei, cpu_engine());
    memory src(plain, cpu_engine(), const_cast<float*>(w));
    dnnl::stream s(cpu_engine());
    dnnl::reorder(src, blob->mem).execute(s, src, blob->mem);
    s.wait();
    p.in = in;
    p.out = out;
    p.blob = std::move(blob);
    return p;
}

void linear_threaded(const float* x, int m, int in, const float* w, const float* bias, int out, float* y,
                     const PackedWeights* packed, Activation then) {
    if (m <= 0) return;
    const dnnl::engine& eng = cpu_engine();
    const Matmul* mm = nullptr;
    memory weights;
    if (packed && !packed->empty() && packed->in == in && packed->out == out) {
        const Matmul& p = matmul_for(m, in, out, bias != nullptr, true, then);
        if (p.wei == packed->blob->mem.get_desc()) {
            mm = &p;
            weights = packed->blob->mem;
        }
    }
    if (!mm) {  // no packed copy, or m rows want another layout than the one packed
        mm = &matmul_for(m, in, out, bias != nullptr, false, then);
        weights = memory(mm->wei, eng, const_cast<float*>(w));
    }
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(mm->src, eng, const_cast<float*>(x))},
                                         {DNNL_ARG_WEIGHTS, weights},
                                         {DNNL_ARG_DST, memory(mm->dst, eng, y)},
                                         {DNNL_ARG_SCRATCHPAD, memory(mm->scratch, eng)}};  // allocated (aligned) here
    if (bias) args.emplace(DNNL_ARG_BIAS, memory(mm->bias, eng, const_cast<float*>(bias)));
    dnnl::stream s(eng);
    try {
        mm->prim.execute(s, args);
        s.wait();
    } catch (const dnnl::error& e) {
        throw std::runtime_error(std::string("oneDNN matmul failed: ") + e.what());
    }
}

const char* gemm_backend() { return "oneDNN matmul + sgemm"; }

}  // namespace ks::kernels
