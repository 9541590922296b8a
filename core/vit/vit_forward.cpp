#include "vit/vit_forward.h"

#include <algorithm>
#include <cmath>
#include <exception>

#include <Eigen/Dense>
#include <omp.h>

#include "io/input_error.h"
#include "kernels/elementwise.h"
#include "kernels/gemm.h"
#include "vit/vit_pos_embed.h"

namespace ks {
namespace {

using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using CMap = Eigen::Map<const Mat>;
using CVec = Eigen::Map<const Eigen::RowVectorXf>;

const float* bias(const std::vector<float>& b) { return b.empty() ? nullptr : b.data(); }

// y = x W^T + b with W stored [out][in] as PyTorch keeps it.
Mat linear(const Mat& x, const std::vector<float>& wt, const std::vector<float>& b, int out) {
    Mat y(x.rows(), out);
    kernels::linear(x.data(), static_cast<int>(x.rows()), static_cast<int>(x.cols()), wt.data(), bias(b), out,
                    y.data());
    return y;
}

// Row-wise LayerNorm (float statistics, vectorised: kernels/elementwise.h).
Mat layer_norm(const Mat& x, const std::vector<float>& g, const std::vector<float>& b, float eps) {
    Mat y(x.rows(), x.cols());
    kernels::layer_norm_rows(x.data(), y.data(), static_cast<int>(x.rows()), static_cast<int>(x.cols()), g.data(), b.data(), eps);
    return y;
}

// The MLP's activation, applied inside fc1's product.
kernels::Activation activation(VitActivation a) {
    switch (a) {
        case VitActivation::GeluErf: return kernels::Activation::gelu_erf;
        case VitActivation::GeluTanh: return kernels::Activation::gelu_tanh;
        case VitActivation::QuickGelu: return kernels::Activation::quick_gelu;
    }
    return kernels::Activation::none;
}

// f(i0, n) on one block of the N rows per thread, in one parallel region; the first
// exception thrown on any thread is rethrown here.
template <class F>
void over_row_blocks(int N, F&& f) {
    std::exception_ptr failure;
    std::atomic<bool> failed{false};
#pragma omp parallel
    {
        const int nt = omp_get_num_threads(), id = omp_get_thread_num();
        const int per = (N + nt - 1) / nt, i0 = std::min(N, id * per), n = std::max(0, std::min(N - i0, per));
        if (n > 0) try {
            f(i0, n);
        } catch (...) {
            if (!failed.exchange(true)) failure = std::current_exception();
        }
    }
    if (failure) std::rethrow_exception(failure);
}

void check_cancel(const std::atomic<bool>* cancel) {
    if (cancel && cancel->load(std::memory_order_relaxed)) throw Cancelled();
}

// Tokens before the first block: prefix tokens, patch embedding, position embedding.
Mat embed(const VitWeights& w, const VitConfig& c, const std::vector<float>& chw) {
    const int p = c.patch, D = c.hidden, gh = c.grid_h, gw = c.grid_w, H = c.image_h, W = c.image_w;
    // The patch embedding is a stride-p convolution, i.e. one matrix product over
    // flattened patches ordered [channel][row][col] like the weight.
    Mat patches(gh * gw, 3 * p * p);
    for (int py = 0; py < gh; ++py)
        for (int px = 0; px < gw; ++px) {
            float* dst = patches.row(py * gw + px).data();
            for (int ch = 0; ch < 3; ++ch)
                for (int y = 0; y < p; ++y)
                    for (int x = 0; x < p; ++x)
                        *dst++ = chw[(static_cast<size_t>(ch) * H + py * p + y) * W + px * p + x];
        }
    const Mat pe = linear(patches, w.patch_w, w.patch_b, D);

    const int np = w.num_prefix();
    Mat x(np + gh * gw, D);
    int row = 0;
    if (!w.cls.empty()) x.row(row++) = CVec(w.cls.data(), D);
    if (!w.dist.empty()) x.row(row++) = CVec(w.dist.data(), D);
    for (int r = 0; r < w.registers; ++r) x.row(row++) = CVec(w.reg.data() + static_cast<size_t>(r) * D, D);
    x.bottomRows(gh * gw) = pe;

    // Position embedding: its leading rows belong to the first pos_prefix prefix
    // tokens (registers excluded in DINOv2), the rest is a grid resized to ours.
    const CMap pos(w.pos.data(), w.pos_tokens, D);
    for (int k = 0; k < c.pos_prefix; ++k) x.row(k) += pos.row(k);
    const std::vector<float> grid(w.pos.begin() + static_cast<size_t>(c.pos_prefix) * D, w.pos.end());
    const std::vector<float> g = resample_pos_grid(grid, c.pos_grid_h, c.pos_grid_w, D, gh, gw);
    x.bottomRows(gh * gw) += CMap(g.data(), gh * gw, D);
    return x;
}

Eigen::RowVectorXf head_logits(const Eigen::RowVectorXf& f, const std::vector<float>& hw, const std::vector<float>& hb) {
    const int C = static_cast<int>(hb.size());
    const CMap W(hw.data(), C, f.size());
    Eigen::RowVectorXf y = f * W.transpose();
    return y + CVec(hb.data(), C);
}

std::vector<float> classify(const VitWeights& w, const VitConfig& c, const Mat& x) {
    if (w.head_w.empty()) return {};
    const Mat xn = w.norm_w.empty() ? x : layer_norm(x, w.norm_w, w.norm_b, c.ln_eps);
    const int np = w.num_prefix();
    const Eigen::RowVectorXf patch_mean = xn.bottomRows(xn.rows() - np).colwise().mean();
    Eigen::RowVectorXf feat;
    switch (w.pooling) {
        case VitPooling::Token: feat = xn.row(0); break;
        case VitPooling::MeanPatches: {
            feat = patch_mean;
            if (!w.fc_norm_w.empty()) feat = layer_norm(Mat(feat), w.fc_norm_w, w.fc_norm_b, c.ln_eps).row(0);
            break;
        }
        case VitPooling::TokenAndMean:
            feat.resize(2 * c.hidden);
            feat << xn.row(0), patch_mean;
            break;
    }
    if (!w.pre_logits_w.empty()) {  // torchvision representation layer
        feat = head_logits(feat, w.pre_logits_w, w.pre_logits_b);
        feat = feat.array().tanh();
    }
    Eigen::RowVectorXf logits = head_logits(feat, w.head_w, w.head_b);
    if (!w.head_dist_w.empty()) {  // DeiT distilled: mean of both heads, as timm and HF do at inference
        const int dist_row = w.cls.empty() ? 0 : 1;
        logits = 0.5f * (logits + head_logits(xn.row(dist_row), w.head_dist_w, w.head_dist_b));
    }
    return std::vector<float>(logits.data(), logits.data() + logits.size());
}

// One forward pass's sizes: hidden D, heads Hh of hd dims, L blocks, MLP width M, N tokens.
struct ForwardDims {
    int D, Hh, hd, L, M, N;
    float scale;   // 1 / sqrt(hd)
};

// Every buffer of the layer loop, allocated once (no allocation inside the loop).
struct BlockBuffers {
    std::vector<float> qkv, h, heads_out, t, m;
    explicit BlockBuffers(const ForwardDims& d)
        : qkv(static_cast<size_t>(d.N) * d.D * 3), h(static_cast<size_t>(d.N) * d.D), heads_out(static_cast<size_t>(d.N) * d.D),
          t(static_cast<size_t>(d.N) * d.D), m(static_cast<size_t>(d.N) * d.M) {}
};

// The four products of a block run over all tokens at once, threaded by oneDNN
// (kernels::linear_threaded; fc1's carries the activation). Between them, LayerNorm,
// attention and the residual sums run on one row block per thread: they need only
// their own rows (attention reads every key and value, all ready after the q/k/v
// product), and attention is written straight into the recorded maps. Block l reads
// `xin` (block l-1's output, its first LayerNorm already in buf.h) and writes its MSA
// sum and its output; `next` block's first LayerNorm runs on the same rows.
void run_block(const VitBlockWeights& b, const VitBlockWeights* next, const VitConfig& c, const ForwardDims& d, int l,
               const float* xin, float* xmsa, float* xout, AttentionSet& attention, BlockBuffers& buf) {
    const int D = d.D, N = d.N, hd = d.hd;
    kernels::linear_threaded(buf.h.data(), N, D, b.qkv_w.data(), bias(b.qkv_b), 3 * D, buf.qkv.data(), &b.qkv_p);
    over_row_blocks(N, [&](int i0, int n) {
        const size_t o = static_cast<size_t>(i0) * D;
        for (int hh = 0; hh < d.Hh; ++hh) {
            const float* q = buf.qkv.data() + o * 3 + hh * hd;
            float* a = attention.matrix(l, hh) + static_cast<size_t>(i0) * N;  // written in place
            kernels::sgemm(true, n, N, hd, d.scale, q, 3 * D, buf.qkv.data() + D + hh * hd, 3 * D, 0.0f, a, N);
            kernels::softmax_rows(a, n, N, static_cast<size_t>(N));
            kernels::sgemm(false, n, hd, N, 1.0f, a, N, buf.qkv.data() + 2 * D + hh * hd, 3 * D, 0.0f,
                           buf.heads_out.data() + o + hh * hd, D);
        }
    });
    kernels::linear_threaded(buf.heads_out.data(), N, D, b.proj_w.data(), bias(b.proj_b), D, buf.t.data(), &b.proj_p);
    over_row_blocks(N, [&](int i0, int n) {
        const size_t o = static_cast<size_t>(i0) * D;
        kernels::add_scaled_rows(xin + o, buf.t.data() + o, b.ls1.empty() ? nullptr : b.ls1.data(), n, D, xmsa + o);
        kernels::layer_norm_rows(xmsa + o, buf.h.data() + o, n, D, b.ln2_w.data(), b.ln2_b.data(), c.ln_eps);
    });
    kernels::linear_threaded(buf.h.data(), N, D, b.fc1_w.data(), bias(b.fc1_b), d.M, buf.m.data(), &b.fc1_p, activation(c.activation));
    kernels::linear_threaded(buf.m.data(), N, d.M, b.fc2_w.data(), bias(b.fc2_b), D, buf.t.data(), &b.fc2_p);
    // The residual sum, then the next block's first LayerNorm on the same rows.
    over_row_blocks(N, [&](int i0, int n) {
        const size_t o = static_cast<size_t>(i0) * D;
        kernels::add_scaled_rows(xmsa + o, buf.t.data() + o, b.ls2.empty() ? nullptr : b.ls2.data(), n, D, xout + o);
        if (next) kernels::layer_norm_rows(xout + o, buf.h.data() + o, n, D, next->ln1_w.data(), next->ln1_b.data(), c.ln_eps);
    });
}

ForwardDims forward_dims(const VitWeights& w, const VitConfig& c, size_t input_values) {
    if (input_values != static_cast<size_t>(3) * c.image_h * c.image_w)
        throw InputError("The model input has " + std::to_string(input_values) + " values but the model expects 3x" +
                         std::to_string(c.image_h) + "x" + std::to_string(c.image_w) + ".");
    ForwardDims d;
    d.D = c.hidden, d.Hh = c.heads, d.hd = d.D / d.Hh, d.L = c.layers, d.M = w.mlp;
    d.N = w.num_prefix() + c.grid_h * c.grid_w;
    d.scale = 1.0f / std::sqrt(static_cast<float>(d.hd));
    if (static_cast<double>(d.L) * d.Hh * d.N * d.N * sizeof(float) > kMaxAttentionBytes)
        throw InputError("At " + std::to_string(c.image_w) + "x" + std::to_string(c.image_h) +
                         " pixels this model's attention maps would need more than 2 GiB; choose a smaller input size.");
    return d;
}

}  // namespace

VitForwardResult vit_forward(const VitWeights& w, const VitConfig& c, const std::vector<float>& chw,
                             const ProgressFn& progress, const std::atomic<bool>* cancel) {
    const ForwardDims d = forward_dims(w, c, chw.size());
    const int D = d.D, L = d.L, N = d.N;
    VitForwardResult r;
    r.dim = D;
    r.attention.resize_for_overwrite(L, d.Hh, N);  // every map is written below
    r.attention.layout.prefix_names = c.prefix_names;
    r.attention.layout.grid_h = c.grid_h;
    r.attention.layout.grid_w = c.grid_w;
    r.attention.layout.patch = c.patch;
    auto report = [&](float f) { if (progress) progress(f); };

    check_cancel(cancel);
    Mat x = embed(w, c, chw);
    report(1.0f / (L + 1));

    const size_t ND = static_cast<size_t>(N) * D;
    // Per block its output and (for the Fourier analysis by sub-block, Park & Kim Fig. 2
    // / 8) its tokens right after the MSA residual addition, plus the input tokens. The
    // 2L buffers are sized on every thread at once (ViT-B: 14.5 MB to zero-fill). The
    // residual stream lives in them: block l reads block l-1's output.
    r.input_tokens.assign(x.data(), x.data() + ND);
    r.block_outputs.resize(static_cast<size_t>(L));
    r.msa_outputs.resize(static_cast<size_t>(L));
#pragma omp parallel for schedule(static)
    for (int i = 0; i < 2 * L; ++i) (i < L ? r.block_outputs[i] : r.msa_outputs[i - L]).assign(ND, 0.0f);
    BlockBuffers buf(d);
    const float* xd = x.data();
    over_row_blocks(N, [&](int i0, int n) {
        const size_t o = static_cast<size_t>(i0) * D;
        const VitBlockWeights& b = w.blocks[0];
        kernels::layer_norm_rows(xd + o, buf.h.data() + o, n, D, b.ln1_w.data(), b.ln1_b.data(), c.ln_eps);
    });
    for (int l = 0; l < L; ++l) {
        check_cancel(cancel);
        const size_t li = static_cast<size_t>(l);
        const float* xin = l == 0 ? xd : r.block_outputs[li - 1].data();
        const VitBlockWeights* next = l + 1 < L ? &w.blocks[li + 1] : nullptr;
        run_block(w.blocks[li], next, c, d, l, xin, r.msa_outputs[li].data(), r.block_outputs[li].data(), r.attention, buf);
        report(static_cast<float>(l + 2) / (L + 1));
    }
    check_cancel(cancel);
    std::copy(r.block_outputs.back().begin(), r.block_outputs.back().end(), x.data());
    r.logits = classify(w, c, x);
    return r;
}

}  // namespace ks
