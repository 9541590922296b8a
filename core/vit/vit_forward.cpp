#include "vit/vit_forward.h"

#include <cmath>

#include <Eigen/Dense>

#include "io/input_error.h"
#include "vit/vit_pos_embed.h"

namespace ks {
namespace {

using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using CMap = Eigen::Map<const Mat>;
using CVec = Eigen::Map<const Eigen::RowVectorXf>;

// y = x W^T + b with W stored [out][in] as PyTorch keeps it.
Mat linear(const Mat& x, const std::vector<float>& wt, const std::vector<float>& b, int out) {
    const CMap W(wt.data(), out, x.cols());
    Mat y = x * W.transpose();
    y.rowwise() += CVec(b.data(), out);
    return y;
}

// Row-wise LayerNorm; statistics in double so the result does not depend on the
// summation order more than PyTorch's own float kernel does.
Mat layer_norm(const Mat& x, const std::vector<float>& g, const std::vector<float>& b, float eps) {
    Mat y(x.rows(), x.cols());
    const Eigen::Index D = x.cols();
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        double mean = 0;
        for (Eigen::Index d = 0; d < D; ++d) mean += x(i, d);
        mean /= D;
        double var = 0;
        for (Eigen::Index d = 0; d < D; ++d) var += (x(i, d) - mean) * (x(i, d) - mean);
        var /= D;
        const double inv = 1.0 / std::sqrt(var + eps);
        for (Eigen::Index d = 0; d < D; ++d)
            y(i, d) = static_cast<float>((x(i, d) - mean) * inv) * g[d] + b[d];
    }
    return y;
}

void activate(Mat& x, VitActivation a) {
    float* p = x.data();
    const Eigen::Index n = x.size();
    switch (a) {
        case VitActivation::GeluErf:
            for (Eigen::Index i = 0; i < n; ++i) p[i] = 0.5f * p[i] * (1.0f + std::erf(p[i] * 0.70710678118654752f));
            break;
        case VitActivation::GeluTanh:
            for (Eigen::Index i = 0; i < n; ++i) {
                const float v = p[i];
                p[i] = 0.5f * v * (1.0f + std::tanh(0.79788456080286536f * (v + 0.044715f * v * v * v)));
            }
            break;
        case VitActivation::QuickGelu:
            for (Eigen::Index i = 0; i < n; ++i) p[i] = p[i] / (1.0f + std::exp(-1.702f * p[i]));
            break;
    }
}

void scale_columns(Mat& x, const std::vector<float>& s) {
    if (!s.empty()) x.array().rowwise() *= CVec(s.data(), x.cols()).array();
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

}  // namespace

VitForwardResult vit_forward(const VitWeights& w, const VitConfig& c, const std::vector<float>& chw,
                             const ProgressFn& progress, const std::atomic<bool>* cancel) {
    if (chw.size() != static_cast<size_t>(3) * c.image_h * c.image_w)
        throw InputError("The model input has " + std::to_string(chw.size()) + " values but the model expects 3x" +
                         std::to_string(c.image_h) + "x" + std::to_string(c.image_w) + ".");
    const int D = c.hidden, Hh = c.heads, hd = D / Hh, L = c.layers;
    const int N = w.num_prefix() + c.grid_h * c.grid_w;
    if (static_cast<double>(L) * Hh * N * N * sizeof(float) > kMaxAttentionBytes)
        throw InputError("At " + std::to_string(c.image_w) + "x" + std::to_string(c.image_h) +
                         " pixels this model's attention maps would need more than 2 GiB; choose a smaller input size.");

    VitForwardResult r;
    r.dim = D;
    r.attention.resize(L, Hh, N);
    r.attention.layout.prefix_names = c.prefix_names;
    r.attention.layout.grid_h = c.grid_h;
    r.attention.layout.grid_w = c.grid_w;
    r.attention.layout.patch = c.patch;
    auto report = [&](float f) { if (progress) progress(f); };

    check_cancel(cancel);
    Mat x = embed(w, c, chw);
    report(1.0f / (L + 1));
    const float scale = 1.0f / std::sqrt(static_cast<float>(hd));

    for (int l = 0; l < L; ++l) {
        const VitBlockWeights& b = w.blocks[static_cast<size_t>(l)];
        const Mat h = layer_norm(x, b.ln1_w, b.ln1_b, c.ln_eps);
        const Mat qkv = linear(h, b.qkv_w, b.qkv_b, 3 * D);
        Mat heads_out(N, D);
        for (int hh = 0; hh < Hh; ++hh) {
            check_cancel(cancel);
            const auto q = qkv.middleCols(hh * hd, hd);
            const auto k = qkv.middleCols(D + hh * hd, hd);
            const auto v = qkv.middleCols(2 * D + hh * hd, hd);
            Mat a = (q * scale) * k.transpose();
            for (int i = 0; i < N; ++i) {  // softmax over keys, max subtracted for range
                auto rowv = a.row(i);
                const float m = rowv.maxCoeff();
                rowv = (rowv.array() - m).exp();
                rowv /= rowv.sum();
            }
            std::copy(a.data(), a.data() + a.size(), r.attention.matrix(l, hh));
            heads_out.middleCols(hh * hd, hd) = a * v;
        }
        Mat attn = linear(heads_out, b.proj_w, b.proj_b, D);
        scale_columns(attn, b.ls1);
        x += attn;
        Mat m = linear(layer_norm(x, b.ln2_w, b.ln2_b, c.ln_eps), b.fc1_w, b.fc1_b, w.mlp);
        activate(m, c.activation);
        Mat m2 = linear(m, b.fc2_w, b.fc2_b, D);
        scale_columns(m2, b.ls2);
        x += m2;
        r.block_outputs.emplace_back(x.data(), x.data() + x.size());
        report(static_cast<float>(l + 2) / (L + 1));
    }
    r.logits = classify(w, c, x);
    return r;
}

}  // namespace ks
