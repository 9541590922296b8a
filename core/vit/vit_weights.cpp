#include "vit/vit_weights.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "io/input_error.h"

namespace ks {
namespace {

std::string shape_str(const std::vector<int64_t>& s) {
    std::ostringstream o;
    o << '[';
    for (size_t i = 0; i < s.size(); ++i) {
        o << (i ? ", " : "");
        if (s[i] < 0) o << '*'; else o << s[i];  // -1 = any size
    }
    o << ']';
    return o.str();
}

// Leading size-1 dimensions carry no meaning here ([1,1,D] tokens vs [D]).
std::vector<int64_t> squeeze_front(std::vector<int64_t> s) {
    while (s.size() > 1 && s.front() == 1) s.erase(s.begin());
    return s;
}

// Looks tensors up under the checkpoint's prefix, checks their shapes and keeps
// track of which ones were used, so the rest can be listed as ignored.
class Mapper {
public:
    Mapper(const SafetensorsFile& f, std::string prefix, std::string layout)
        : f_(f), prefix_(std::move(prefix)), layout_(std::move(layout)) {}

    bool has(const std::string& key) const { return f_.has(prefix_ + key); }

    // Required tensor. -1 in `shape` matches any size.
    std::vector<float> get(const std::string& key, const std::vector<int64_t>& shape) {
        const std::string full = prefix_ + key;
        if (!f_.has(full))
            throw InputError(f_.name() + " (" + layout_ + " layout) has no tensor '" + full + "'.");
        return fetch(full, shape);
    }
    // Optional tensor: empty when absent, checked when present.
    std::vector<float> opt(const std::string& key, const std::vector<int64_t>& shape) {
        const std::string full = prefix_ + key;
        return f_.has(full) ? fetch(full, shape) : std::vector<float>{};
    }
    // Optional bias: zeros when absent (e.g. timm qkv_bias=False).
    std::vector<float> bias(const std::string& key, int64_t n) {
        auto b = opt(key, {n});
        if (b.empty()) b.assign(static_cast<size_t>(n), 0.0f);
        return b;
    }
    // A classifier tensor: Hugging Face keeps heads outside the backbone prefix
    // ("classifier.weight" next to "vit.embeddings..."), so look in both places.
    std::string find_head(const std::string& key) const {
        for (const std::string& k : {prefix_ + key, key})
            if (f_.has(k)) return k;
        return {};
    }
    std::vector<float> fetch(const std::string& full, const std::vector<int64_t>& shape) {
        const auto& info = f_.info(full);
        const auto got = squeeze_front(info.shape);
        const auto want = squeeze_front(shape);
        bool ok = got.size() == want.size();
        for (size_t i = 0; ok && i < got.size(); ++i) ok = want[i] < 0 || want[i] == got[i];
        if (!ok) {
            throw InputError(f_.name() + ": tensor '" + full + "' has shape " + shape_str(info.shape) + " but " + shape_str(shape) +
                             " was expected for this " + layout_ + " model.");
        }
        used_.insert(full);
        return f_.to_float(full);
    }
    // Shape of a required tensor (for sizes everything else is checked against).
    std::vector<int64_t> shape_of(const std::string& key) const {
        const std::string full = prefix_ + key;
        if (!f_.has(full)) throw InputError(f_.name() + " (" + layout_ + " layout) has no tensor '" + full + "'.");
        return f_.info(full).shape;
    }
    // Number of consecutive numbered sub-modules, e.g. "blocks.{i}.".
    int count(const std::string& before, const std::string& after = ".") const {
        int n = 0;
        std::set<int> seen;
        const std::string head = prefix_ + before;
        for (const auto& k : f_.keys()) {
            if (k.compare(0, head.size(), head) != 0) continue;
            size_t i = head.size(), j = i;
            while (j < k.size() && std::isdigit(static_cast<unsigned char>(k[j]))) ++j;
            // Indices of more than 6 digits cannot belong to a run counted from 0: skipped
            // (and listed as unused) rather than parsed into an overflowing int.
            if (j == i || j - i > 6 || k.compare(j, after.size(), after) != 0) continue;
            seen.insert(std::atoi(k.substr(i, j - i).c_str()));
        }
        while (seen.count(n)) ++n;
        return n;
    }
    std::vector<std::string> unused() const {
        std::vector<std::string> u;
        for (const auto& k : f_.keys())
            if (!used_.count(k)) u.push_back(k);
        return u;
    }
    const std::string& layout() const { return layout_; }
    const SafetensorsFile& file() const { return f_; }

private:
    const SafetensorsFile& f_;
    std::string prefix_, layout_;
    std::set<std::string> used_;
};

// Patch embedding, from which hidden size D and patch size p follow.
void read_patch_embed(Mapper& m, VitWeights& w, const std::string& key) {
    const auto s = m.shape_of(key + ".weight");
    if (s.size() != 4 || s[1] != 3 || s[2] != s[3] || s[2] <= 0)
        throw InputError(m.file().name() + ": tensor '" + w.key_prefix + key + ".weight' has shape " + shape_str(s) +
                         " but a patch embedding [hidden, 3, p, p] for RGB input with square patches was expected.");
    // Sizes everything else is checked against: refused here when zero or absurd, before
    // any of them is used in arithmetic.
    if (s[0] < 1 || s[0] > kMaxVitHidden)
        throw InputError(m.file().name() + ": tensor '" + w.key_prefix + key + ".weight' has shape " + shape_str(s) +
                         ", a hidden size outside 1.." + std::to_string(kMaxVitHidden) + ".");
    if (s[2] > kMaxVitPatch)
        throw InputError(m.file().name() + ": tensor '" + w.key_prefix + key + ".weight' has shape " + shape_str(s) +
                         ", a patch size above " + std::to_string(kMaxVitPatch) + " pixels.");
    w.hidden = static_cast<int>(s[0]);
    w.patch = static_cast<int>(s[2]);
    w.patch_w = m.get(key + ".weight", s);
    w.patch_b = m.bias(key + ".bias", w.hidden);
}

void read_pos(Mapper& m, VitWeights& w, const std::string& key) {
    const auto s = squeeze_front(m.shape_of(key));
    if (s.size() == 2 && (s[0] < 1 || s[0] > kMaxVitPositionRows))
        throw InputError(m.file().name() + ": tensor '" + w.key_prefix + key + "' has " + std::to_string(s[0]) +
                         " rows, but a position embedding needs 1 to " + std::to_string(kMaxVitPositionRows) + ".");
    w.pos = m.get(key, {1, -1, w.hidden});
    w.pos_tokens = static_cast<int>(w.pos.size() / static_cast<size_t>(w.hidden));
}

void read_registers(Mapper& m, VitWeights& w, const std::string& key) {
    if (!m.has(key)) return;
    const auto s = squeeze_front(m.shape_of(key));
    if (s.size() == 2 && s[0] > 256)
        throw InputError(m.file().name() + ": tensor '" + w.key_prefix + key + "' has " + std::to_string(s[0]) +
                         " register tokens, more than the 256 allowed.");
    w.reg = m.get(key, {1, -1, w.hidden});
    w.registers = static_cast<int>(w.reg.size() / static_cast<size_t>(w.hidden));
}

// q, k, v kept separately (Hugging Face) are stacked into the timm [3D, D] form.
void stack_qkv(Mapper& m, VitBlockWeights& b, const std::string& base, int64_t D) {
    b.qkv_w.clear();
    b.qkv_b.clear();
    for (const char* part : {"query", "key", "value"}) {
        auto wq = m.get(base + part + ".weight", {D, D});
        auto bq = m.bias(base + part + ".bias", D);
        b.qkv_w.insert(b.qkv_w.end(), wq.begin(), wq.end());
        b.qkv_b.insert(b.qkv_b.end(), bq.begin(), bq.end());
    }
}

void read_mlp(Mapper& m, VitWeights& w, VitBlockWeights& b, const std::string& fc1, const std::string& fc2) {
    const int64_t D = w.hidden;
    const auto s = m.shape_of(fc1 + ".weight");
    if (w.mlp == 0 && s.size() == 2) {
        if (s[0] < 1 || s[0] > kMaxVitMlp)
            throw InputError(m.file().name() + ": tensor '" + w.key_prefix + fc1 + ".weight' has shape " + shape_str(s) +
                             ", an MLP width outside 1.." + std::to_string(kMaxVitMlp) + ".");
        w.mlp = static_cast<int>(s[0]);
    }
    const int64_t M = w.mlp;
    b.fc1_w = m.get(fc1 + ".weight", {M, D});
    b.fc1_b = m.bias(fc1 + ".bias", M);
    b.fc2_w = m.get(fc2 + ".weight", {D, M});
    b.fc2_b = m.bias(fc2 + ".bias", D);
}

void read_ln(Mapper& m, const std::string& key, int64_t D, std::vector<float>& wt, std::vector<float>& bs) {
    wt = m.get(key + ".weight", {D});
    bs = m.get(key + ".bias", {D});
}

void read_head(Mapper& m, VitWeights& w, const std::string& key, std::vector<float>& hw, std::vector<float>& hb,
               int64_t in) {
    const std::string full = m.find_head(key + ".weight");
    if (full.empty()) return;
    const auto& info = m.file().info(full);
    if (info.shape.size() != 2 || (info.shape[1] != in && info.shape[1] != 2 * in))
        throw InputError(m.file().name() + ": tensor '" + full + "' has shape " + shape_str(info.shape) +
                         " but a classifier [classes, " + std::to_string(in) + "] was expected.");
    const int64_t C = info.shape[0];
    if (C < 1 || C > 1000000)
        throw InputError(m.file().name() + ": tensor '" + full + "' has shape " + shape_str(info.shape) +
                         ", a class count outside 1..1000000.");
    hw = m.fetch(full, info.shape);
    const std::string bkey = full.substr(0, full.size() - 7) + ".bias";
    hb = m.file().has(bkey) ? m.fetch(bkey, {C}) : std::vector<float>(static_cast<size_t>(C), 0.0f);
    if (w.num_classes != 0 && w.num_classes != C)
        throw InputError(m.file().name() + ": tensor '" + full + "' has " + std::to_string(C) +
                         " classes but the other classifier head has " + std::to_string(w.num_classes) + ".");
    w.num_classes = static_cast<int>(C);
    if (info.shape[1] == 2 * in) w.pooling = VitPooling::TokenAndMean;
}

void load_timm(Mapper& m, VitWeights& w) {
    read_patch_embed(m, w, "patch_embed.proj");
    const int64_t D = w.hidden;
    w.cls = m.opt("cls_token", {1, 1, D});
    w.dist = m.opt("dist_token", {1, 1, D});
    read_registers(m, w, "reg_token");
    if (w.registers == 0) read_registers(m, w, "register_tokens");  // original DINOv2 repository name
    read_pos(m, w, "pos_embed");
    const int L = m.count("blocks.");
    for (int i = 0; i < L; ++i) {
        const std::string p = "blocks." + std::to_string(i) + ".";
        if (m.has(p + "attn.q_norm.weight") || m.has(p + "mlp.w12.weight"))
            throw InputError(m.file().name() + ": block " + std::to_string(i) +
                             " uses QK-norm or SwiGLU, which kernelscope does not implement.");
        VitBlockWeights b;
        read_ln(m, p + "norm1", D, b.ln1_w, b.ln1_b);
        b.qkv_w = m.get(p + "attn.qkv.weight", {3 * D, D});
        b.qkv_b = m.bias(p + "attn.qkv.bias", 3 * D);
        b.proj_w = m.get(p + "attn.proj.weight", {D, D});
        b.proj_b = m.bias(p + "attn.proj.bias", D);
        b.ls1 = m.opt(p + "ls1.gamma", {D});
        read_ln(m, p + "norm2", D, b.ln2_w, b.ln2_b);
        read_mlp(m, w, b, p + "mlp.fc1", p + "mlp.fc2");
        b.ls2 = m.opt(p + "ls2.gamma", {D});
        w.blocks.push_back(std::move(b));
    }
    if (m.has("norm.weight")) read_ln(m, "norm", D, w.norm_w, w.norm_b);
    if (m.has("fc_norm.weight")) {  // timm global_pool='avg': norm is Identity, fc_norm after pooling
        read_ln(m, "fc_norm", D, w.fc_norm_w, w.fc_norm_b);
        w.pooling = VitPooling::MeanPatches;
    }
    read_head(m, w, "head", w.head_w, w.head_b, D);
    read_head(m, w, "head_dist", w.head_dist_w, w.head_dist_b, D);
}

void load_hf(Mapper& m, VitWeights& w, bool dinov2) {
    read_patch_embed(m, w, "embeddings.patch_embeddings.projection");
    const int64_t D = w.hidden;
    w.cls = m.get("embeddings.cls_token", {1, 1, D});
    w.dist = m.opt("embeddings.distillation_token", {1, 1, D});  // Hugging Face DeiT
    read_registers(m, w, "embeddings.register_tokens");
    read_pos(m, w, "embeddings.position_embeddings");
    const int L = m.count("encoder.layer.");
    for (int i = 0; i < L; ++i) {
        const std::string p = "encoder.layer." + std::to_string(i) + ".";
        VitBlockWeights b;
        stack_qkv(m, b, p + "attention.attention.", D);
        b.proj_w = m.get(p + "attention.output.dense.weight", {D, D});
        b.proj_b = m.bias(p + "attention.output.dense.bias", D);
        if (dinov2) {
            if (m.has(p + "mlp.weights_in.weight"))
                throw InputError(m.file().name() + ": layer " + std::to_string(i) +
                                 " uses a SwiGLU MLP (DINOv2 giant), which kernelscope does not implement.");
            read_ln(m, p + "norm1", D, b.ln1_w, b.ln1_b);
            read_ln(m, p + "norm2", D, b.ln2_w, b.ln2_b);
            read_mlp(m, w, b, p + "mlp.fc1", p + "mlp.fc2");
            b.ls1 = m.opt(p + "layer_scale1.lambda1", {D});
            b.ls2 = m.opt(p + "layer_scale2.lambda1", {D});
        } else {
            read_ln(m, p + "layernorm_before", D, b.ln1_w, b.ln1_b);
            read_ln(m, p + "layernorm_after", D, b.ln2_w, b.ln2_b);
            read_mlp(m, w, b, p + "intermediate.dense", p + "output.dense");
        }
        w.blocks.push_back(std::move(b));
    }
    read_ln(m, "layernorm", D, w.norm_w, w.norm_b);
    read_head(m, w, "classifier", w.head_w, w.head_b, D);
    read_head(m, w, "cls_classifier", w.head_w, w.head_b, D);               // HF DeiT distilled
    read_head(m, w, "distillation_classifier", w.head_dist_w, w.head_dist_b, D);
}

void load_torchvision(Mapper& m, VitWeights& w) {
    read_patch_embed(m, w, "conv_proj");
    const int64_t D = w.hidden;
    w.cls = m.get("class_token", {1, 1, D});
    read_pos(m, w, "encoder.pos_embedding");
    const int L = m.count("encoder.layers.encoder_layer_");
    for (int i = 0; i < L; ++i) {
        const std::string p = "encoder.layers.encoder_layer_" + std::to_string(i) + ".";
        VitBlockWeights b;
        read_ln(m, p + "ln_1", D, b.ln1_w, b.ln1_b);
        b.qkv_w = m.get(p + "self_attention.in_proj_weight", {3 * D, D});
        b.qkv_b = m.bias(p + "self_attention.in_proj_bias", 3 * D);
        b.proj_w = m.get(p + "self_attention.out_proj.weight", {D, D});
        b.proj_b = m.bias(p + "self_attention.out_proj.bias", D);
        read_ln(m, p + "ln_2", D, b.ln2_w, b.ln2_b);
        // torchvision >= 0.14 names the MLP layers by Sequential index, older ones linear_1/2.
        if (m.has(p + "mlp.linear_1.weight"))
            read_mlp(m, w, b, p + "mlp.linear_1", p + "mlp.linear_2");
        else
            read_mlp(m, w, b, p + "mlp.0", p + "mlp.3");
        w.blocks.push_back(std::move(b));
    }
    read_ln(m, "encoder.ln", D, w.norm_w, w.norm_b);
    int64_t head_in = D;
    if (m.has("heads.pre_logits.weight")) {
        const auto s = m.shape_of("heads.pre_logits.weight");
        head_in = s.empty() ? D : s[0];
        if (head_in < 1 || head_in > kMaxVitHidden)
            throw InputError(m.file().name() + ": tensor '" + w.key_prefix + "heads.pre_logits.weight' has shape " +
                             shape_str(s) + ", a width outside 1.." + std::to_string(kMaxVitHidden) + ".");
        w.pre_logits_w = m.get("heads.pre_logits.weight", {head_in, D});
        w.pre_logits_b = m.bias("heads.pre_logits.bias", head_in);
    }
    read_head(m, w, "heads.head", w.head_w, w.head_b, head_in);
}

// The shortest key ending in `marker` fixes the prefix ("", "vit.", "module.", ...).
bool find_marker(const SafetensorsFile& f, const std::string& marker, std::string& prefix) {
    bool found = false;
    for (const auto& k : f.keys()) {
        if (k.size() < marker.size() || k.compare(k.size() - marker.size(), marker.size(), marker) != 0) continue;
        const std::string p = k.substr(0, k.size() - marker.size());
        if (!p.empty() && p.back() != '.') continue;
        if (!found || p.size() < prefix.size()) prefix = p;
        found = true;
    }
    return found;
}

}  // namespace

VitWeights load_vit_weights(const SafetensorsFile& file) {
    VitWeights w;
    std::string prefix;
    if (find_marker(file, "patch_embed.proj.weight", prefix)) {
        w.layout = VitLayout::Timm;
        w.layout_name = "timm";
    } else if (find_marker(file, "embeddings.patch_embeddings.projection.weight", prefix)) {
        const bool dinov2 = file.has(prefix + "encoder.layer.0.norm1.weight");
        w.layout = dinov2 ? VitLayout::HuggingFaceDinov2 : VitLayout::HuggingFace;
        w.layout_name = dinov2 ? "Hugging Face Dinov2" : "Hugging Face ViT";
    } else if (find_marker(file, "conv_proj.weight", prefix)) {
        w.layout = VitLayout::TorchVision;
        w.layout_name = "torchvision";
    } else {
        throw InputError(file.name() + " does not look like a Vision Transformer checkpoint: it has none of "
                         "patch_embed.proj.weight (timm), embeddings.patch_embeddings.projection.weight "
                         "(Hugging Face) or conv_proj.weight (torchvision).");
    }
    w.key_prefix = prefix;
    Mapper m(file, prefix, w.layout_name);
    switch (w.layout) {
        case VitLayout::Timm: load_timm(m, w); break;
        case VitLayout::HuggingFace: load_hf(m, w, false); break;
        case VitLayout::HuggingFaceDinov2: load_hf(m, w, true); break;
        case VitLayout::TorchVision: load_torchvision(m, w); break;
    }
    if (w.blocks.empty())
        throw InputError(file.name() + " (" + w.layout_name + " layout) has a patch embedding but no transformer blocks.");
    if (w.pooling == VitPooling::TokenAndMean && w.cls.empty())
        throw InputError(file.name() + ": the classifier expects a class token, but the checkpoint has none.");
    if (w.pooling == VitPooling::Token && !w.head_w.empty() && w.cls.empty())
        w.pooling = VitPooling::MeanPatches;  // no class token to read: timm pools the patches
    w.ignored = m.unused();
    return w;
}

}  // namespace ks
