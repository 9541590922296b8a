// What switching layer, head or query costs in the app (a view over the cached attention)
// against what it would cost to rerun the model (a ViT-S/16 forward pass at 224 with
// random weights). Prints both and their ratio, measured in this one process.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include <omp.h>

#include "attention/views.h"
#include "vit/vit_forward.h"

using namespace ks;
using Clock = std::chrono::steady_clock;

namespace {

struct ViTSmall {
    VitWeights w;
    VitConfig c;
    std::vector<float> x;
};

std::vector<float> randn(size_t n, float s, std::mt19937& g) {
    std::normal_distribution<float> d(0.0f, s);
    std::vector<float> v(n);
    for (auto& x : v) x = d(g);
    return v;
}

}  // namespace

ViTSmall make_vit_small() {
    std::mt19937 g(1);
    const int D = 384, M = 1536, p = 16, L = 12, grid = 14;
    VitWeights w;
    w.hidden = D;
    w.patch = p;
    w.mlp = M;
    w.patch_w = randn(static_cast<size_t>(D) * 3 * p * p, 0.05f, g);
    w.patch_b = randn(D, 0.1f, g);
    w.cls = randn(D, 0.1f, g);
    w.pos = randn(static_cast<size_t>(1 + grid * grid) * D, 0.1f, g);
    w.pos_tokens = 1 + grid * grid;
    for (int l = 0; l < L; ++l) {
        VitBlockWeights b;
        b.ln1_w = b.ln2_w = std::vector<float>(D, 1.0f);
        b.ln1_b = b.ln2_b = std::vector<float>(D, 0.0f);
        b.qkv_w = randn(static_cast<size_t>(3) * D * D, 0.05f, g);
        b.qkv_b = randn(3 * D, 0.1f, g);
        b.proj_w = randn(static_cast<size_t>(D) * D, 0.05f, g);
        b.proj_b = randn(D, 0.1f, g);
        b.fc1_w = randn(static_cast<size_t>(M) * D, 0.05f, g);
        b.fc1_b = randn(M, 0.1f, g);
        b.fc2_w = randn(static_cast<size_t>(D) * M, 0.025f, g);
        b.fc2_b = randn(D, 0.1f, g);
        w.blocks.push_back(std::move(b));
    }
    w.norm_w = std::vector<float>(D, 1.0f);
    w.norm_b = std::vector<float>(D, 0.0f);
    w.head_w = randn(static_cast<size_t>(1000) * D, 0.05f, g);
    w.head_b = randn(1000, 0.1f, g);
    w.num_classes = 1000;

    VitConfig c;
    c.hidden = D; c.heads = 6; c.layers = L; c.mlp = M; c.patch = p;
    c.pos_grid_h = c.pos_grid_w = grid;
    c.pos_prefix = 1;
    c.prefix_names = {"cls"};
    set_input_size(c, 224, 224);
    const std::vector<float> x = randn(static_cast<size_t>(3) * 224 * 224, 1.0f, g);

    return {std::move(w), std::move(c), x};
}

double forward_ms(const ViTSmall& m, VitForwardResult* out) {
    std::vector<double> t;
    for (int i = 0; i < 3; ++i) {
        const auto t0 = Clock::now();
        *out = vit_forward(m.w, m.c, m.x);
        t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::sort(t.begin(), t.end());
    return t[1];
}

int main() {
    const ViTSmall m = make_vit_small();
    VitForwardResult r = vit_forward(m.w, m.c, m.x);  // warm-up, and the cache the views read
    const int threads = omp_get_max_threads();  // the forward pass's OpenMP team (and oneDNN's)
    const double fwd = forward_ms(m, &r);
    omp_set_num_threads(1);
    const double fwd1 = forward_ms(m, &r);
    omp_set_num_threads(threads);
    const int reps = 2000;
    volatile float sink = 0;
    const auto t0 = Clock::now();
    for (int i = 0; i < reps; ++i) {
        ViewSpec v;
        v.layer = i % r.attention.layers;
        v.reduce = i % 3 == 0 ? HeadReduce::Mean : HeadReduce::Single;
        v.head = i % r.attention.heads;
        v.row = i % r.attention.layout.grid_h;
        v.col = (i * 5) % r.attention.layout.grid_w;
        sink = sink + patch_heatmap(view_row(r.attention, v), r.attention.layout)[0];
    }
    const double view = std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / reps;
    std::printf("ViT-S/16 at 224 (N=%d, %d layers, %d heads), median of 3:\n", r.attention.tokens, r.attention.layers,
                r.attention.heads);
    std::printf("  forward on %d thread(s) %.1f ms, on 1 thread %.1f ms: %.2fx from threads\n", threads, fwd, fwd1, fwd1 / fwd);
    std::printf("  view switch (layer, head, query) %.4f ms: forward / view = %.0fx\n", view, fwd / view);
    return 0;
}
