// Why moving the query is instant: reading a cached attention row (what the app does
// per frame) against recomputing the forward pass (what it never does per frame).
// Prints both times and their ratio, measured in this one process.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "image/image.h"
#include "pipeline/render.h"
#include "attention/similarity_attention.h"
#include "attention/views.h"

#include "median_ms.h"



int main(int argc, char** argv) {
    const std::string path = argc > 1 ? argv[1] : std::string(KS_ASSETS_DIR) + "/images/astronaut.png";
    const ks::Image img = ks::load_image(path);
    for (int patch : {16, 8}) {
        ks::SimilarityParams p;
        p.patch = patch;
        ks::AttentionSet a;
        const double forward = median_ms([&] { a = ks::similarity_attention(img, p); }, 5);
        volatile float sink = 0;
        int q = 0;
        const double query = median_ms([&] {
            ks::ViewSpec v;
            v.row = q % a.layout.grid_h;
            v.col = (q * 7) % a.layout.grid_w;
            ++q;
            const auto heat = ks::patch_heatmap(ks::view_row(a, v), a.layout);
            sink = sink + heat[0];
        }, 201);
        std::printf("patch %2d, N = %4d: forward %.2f ms, query move %.4f ms, forward / query = %.0fx\n", patch, a.tokens,
                    forward, query, forward / query);
    }
    return 0;
}
