#include "vit/vit_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "conv/learned_filters.h"
#include "io/safetensors.h"
#include "kernels/elementwise.h"
#include "kernels/gemm.h"

namespace ks {

namespace {

// kernels::all_finite over the whole array, split over the threads (a ViT-B's attention
// set is 22 MB: single-threaded, the check took 2 ms of each run).
template <class V>
bool all_finite_parallel(const V& v) {
    const size_t n = v.size(), chunk = size_t{1} << 18;
    const long long chunks = static_cast<long long>((n + chunk - 1) / chunk);
    bool ok = true;
#pragma omp parallel for reduction(&& : ok) schedule(static) if (chunks > 1)
    for (long long c = 0; c < chunks; ++c) {
        const size_t b = static_cast<size_t>(c) * chunk;
        ok = ok && kernels::all_finite(v.data() + b, std::min(chunk, n - b));
    }
    return ok;
}

// Packs every block's four weight matrices for forward passes over `tokens` tokens
// (kernels::pack_weights), beside the plain ones: about the size of those again. Kept
// here, not in vit_weights.cpp, so the checkpoint reader links without oneDNN (the
// fuzzers build only the input-reading part of core).
void pack_vit_weights(VitWeights& w, int tokens) {
    const int D = w.hidden, M = w.mlp;
    for (VitBlockWeights& b : w.blocks) {
        b.qkv_p = kernels::pack_weights(b.qkv_w.data(), 3 * D, D, tokens);
        b.proj_p = kernels::pack_weights(b.proj_w.data(), D, D, tokens);
        b.fc1_p = kernels::pack_weights(b.fc1_w.data(), M, D, tokens);
        b.fc2_p = kernels::pack_weights(b.fc2_w.data(), D, M, tokens);
    }
}

}  // namespace

std::vector<ConvKernel> VitModel::filters() const {
    return learned_patch_filters(weights.patch_w, weights.hidden, weights.patch);
}

VitModel load_vit(const std::string& weights_path, const std::string& config_path, const VitOverrides& ov) {
    VitModel m;
    m.path = weights_path;
    {
        // The file's bytes are released once the tensors are converted to float.
        const SafetensorsFile f = SafetensorsFile::read(weights_path);
        m.weights = load_vit_weights(f);
    }
    m.config = resolve_config(m.weights, read_config_hints(weights_path, config_path), ov);
    pack_vit_weights(m.weights, m.weights.num_prefix() + m.config.grid_h * m.config.grid_w);
    if (!m.weights.ignored.empty()) {
        std::string list;
        for (size_t i = 0; i < m.weights.ignored.size() && i < 5; ++i) list += (i ? ", " : "") + m.weights.ignored[i];
        if (m.weights.ignored.size() > 5) list += ", ...";
        m.config.notes.push_back(std::to_string(m.weights.ignored.size()) + " checkpoint tensors not used: " + list);
    }
    return m;
}

VitOutput run_vit(const VitModel& m, const Image& image, VitResize mode, const ProgressFn& progress,
                  const std::atomic<bool>* cancel) {
    const VitConfig& c = m.config;
    VitInput in = preprocess_vit(image, c.image_w, c.image_h, mode, c.mean, c.std);
    VitForwardResult f = vit_forward(m.weights, c, in.chw, progress, cancel);
    // Finite weights and checked settings keep every value finite in practice; if a
    // checkpoint still overflows float32, say so instead of passing NaN on.
    if (!all_finite_parallel(f.attention.data) || !all_finite_parallel(f.logits) ||
        !std::all_of(f.block_outputs.begin(), f.block_outputs.end(), all_finite_parallel<std::vector<float>>))
        throw InputError(m.weights.layout_name + " checkpoint " + m.path +
                         ": the forward pass overflowed float32 (NaN or infinite values), so it cannot be shown.");
    VitOutput o;
    o.attention = std::move(f.attention);
    o.dim = f.dim;
    o.block_outputs = std::move(f.block_outputs);
    o.input_tokens = std::move(f.input_tokens);
    o.msa_outputs = std::move(f.msa_outputs);
    o.logits = std::move(f.logits);
    o.input = std::move(in.shown);
    o.description = c.describe();
    return o;
}

std::vector<std::pair<int, float>> top_logits(const std::vector<float>& logits, int k) {
    std::vector<int> idx(logits.size());
    std::iota(idx.begin(), idx.end(), 0);
    k = std::min<int>(k, static_cast<int>(idx.size()));
    std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), [&](int a, int b) { return logits[a] > logits[b]; });
    std::vector<std::pair<int, float>> out;
    for (int i = 0; i < k; ++i) out.emplace_back(idx[i], logits[idx[i]]);
    return out;
}

}  // namespace ks
