#include "cli_bench.h"
#include "cli_options.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <sstream>

#include <omp.h>
#include <sys/resource.h>

#include "attention/similarity_attention.h"
#include "cli_bench_resnet.h"
#include "cnn/checkpoint_kind.h"
#include "cnn/resnet_model.h"
#include "attention/views.h"
#include "io/input_error.h"
#include "kernels/gemm.h"
#include "sample_image.h"
#include "wait_policy.h"
#include "vit/vit_model.h"

namespace ks {
namespace {

using Clock = std::chrono::steady_clock;

struct BenchOptions {
    std::optional<std::string> weights, config, image;
    int runs = 10;
    int threads = 0;  // 0: OpenMP's default (every core)
    // A ResNet: also time the app's query move to (row, col) of layer<stage> (row < 0: not asked).
    int stage = 3, row = -1, col = -1;
    bool help = false;
};

// "ROW,COL" of a stage grid.
void parse_cell(const std::string& v, int* row, int* col) {
    const size_t comma = v.find(',');
    if (comma == std::string::npos) throw InputError("--query takes ROW,COL (e.g. 7,7), not \"" + v + "\".");
    *row = static_cast<int>(parse_whole("--query", v.substr(0, comma), 0, 8192));
    *col = static_cast<int>(parse_whole("--query", v.substr(comma + 1), 0, 8192));
}

BenchOptions parse_bench(const std::vector<std::string>& args) {
    BenchOptions o;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            o.help = true;
            continue;
        }
        if (a != "--weights" && a != "--config" && a != "--image" && a != "--runs" && a != "--threads" && a != "--stage" &&
            a != "--query")
            throw InputError("Unknown bench option \"" + a + "\"; see kernelscope bench --help.");
        if (i + 1 >= args.size()) throw InputError(a + " needs a value.");
        const std::string& v = args[++i];
        if (a == "--weights") o.weights = v;
        else if (a == "--config") o.config = v;
        else if (a == "--image") o.image = v;
        else if (a == "--runs") o.runs = static_cast<int>(parse_whole(a, v, 1, 10000));
        else if (a == "--stage") o.stage = parse_stage(v);
        else if (a == "--query") parse_cell(v, &o.row, &o.col);
        else o.threads = static_cast<int>(parse_whole(a, v, 1, 1024));
    }
    return o;
}

template <class F>
std::vector<double> time_ms(int reps, F&& f) {
    std::vector<double> t;
    t.reserve(static_cast<size_t>(reps));
    for (int i = 0; i < reps; ++i) {
        const auto t0 = Clock::now();
        f(i);
        t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::sort(t.begin(), t.end());
    return t;
}

double median(const std::vector<double>& s) {
    const size_t n = s.size();
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

std::string fmt(double ms) {
    char b[32];
    std::snprintf(b, sizeof b, ms >= 10 ? "%.1f" : ms >= 0.1 ? "%.3f" : "%.5f", ms);
    return b;
}

// What moving the query and switching layer / head cost in the app: a view over the
// cached attention (view_row + patch_heatmap), no model run.
void bench_views(const AttentionSet& a) {
    const int reps = 2001;
    volatile float sink = 0;
    const int gh = std::max(1, a.layout.grid_h), gw = std::max(1, a.layout.grid_w);
    const auto query = time_ms(reps, [&](int i) {
        ViewSpec v;
        v.row = (i * 7) % gh;
        v.col = (i * 5) % gw;
        sink = sink + patch_heatmap(view_row(a, v), a.layout)[0];
    });
    const auto sw = time_ms(reps, [&](int i) {
        ViewSpec v;
        v.layer = i % a.layers;
        v.head = (i / a.layers) % a.heads;
        v.reduce = i % 3 == 0 ? HeadReduce::Mean : HeadReduce::Single;
        v.row = gh / 2;
        v.col = gw / 2;
        sink = sink + patch_heatmap(view_row(a, v), a.layout)[0];
    });
    std::cout << "query move median " << fmt(median(query)) << " ms\n";
    std::cout << "layer/head switch median " << fmt(median(sw)) << " ms\n";
}

}  // namespace

std::string bench_help() {
    return "kernelscope bench: how long the model takes on this machine.\n"
           "\n"
           "  kernelscope bench [--weights W.safetensors [--config config.json]] [--image I] [--runs N] [--threads T]\n"
           "\n"
           "  --weights W    a ViT checkpoint (.safetensors); without it the built-in similarity model;\n"
           "                 a ResNet: forward + one backward (the effective kernel at layer4's centre), 224 px\n"
           "  --config C     its config.json (default: beside the weights)\n"
           "  --image I      the picture to run on (default: the bundled sample image)\n"
           "  --runs N       timed forward passes after one warm-up (default 10)\n"
           "  --threads T    threads for the forward pass (default: every core)\n"
           "  --query R,C    a ResNet: also time the app's query move to cell (R, C): two backward passes\n"
           "                 (A and A + noise 0.15, the app's default B)\n"
           "  --stage S      the stage of that cell, layer1..layer4 (default layer3, as the app)\n"
           "\n"
           "Prints one line per figure: forward median (every layer's attention recorded),\n"
           "peak memory, query move and layer/head switch (views over the cached attention), and the\n"
           "OpenMP wait policy in effect (passive unless OMP_WAIT_POLICY or GOMP_SPINCOUNT says otherwise).\n";
}

int run_bench(const std::vector<std::string>& args) {
    const BenchOptions o = parse_bench(args);
    if (o.help) {
        std::cout << bench_help();
        return 0;
    }
    if (o.threads > 0) omp_set_num_threads(o.threads);
    // The app runs under the same policy (main() sets it for every mode), so the two compare.
    std::cout << "OpenMP wait policy " << omp_wait_policy_description() << "\n";
    const Image img = load_image(o.image ? *o.image : bundled_sample_image());
    if (o.weights && checkpoint_kind(*o.weights) == CheckpointKind::Resnet) {
        bench_resnet(*o.weights, img, o.runs);  // a CNN: forward + one effective kernel
        if (o.row >= 0) bench_resnet_query_move(*o.weights, img, o.runs, o.stage, o.row, o.col, 0.15f);
        return 0;
    }
    if (o.row >= 0) throw InputError("--query and --stage time a ResNet's query move; give a ResNet checkpoint in --weights.");
    AttentionSet kept;
    std::vector<double> fwd;
    if (o.weights) {
        const VitModel m = load_vit(*o.weights, o.config.value_or(""));
        const VitConfig& c = m.config;
        const VitInput in = preprocess_vit(img, c.image_w, c.image_h, VitResize::ShorterSideCrop, c.mean, c.std);
        std::cout << "model ViT (" << m.weights.layout_name << "), " << c.layers << " layers x " << c.heads << " heads, "
                  << c.hidden << " wide, " << c.image_w << "x" << c.image_h << " input, "
                  << m.weights.num_prefix() + c.grid_h * c.grid_w << " tokens\n";
        VitForwardResult r = vit_forward(m.weights, c, in.chw);  // warm-up
        fwd = time_ms(o.runs, [&](int) { r = vit_forward(m.weights, c, in.chw); });
        kept = std::move(r.attention);
    } else {
        const SimilarityParams p;
        std::cout << "model built-in similarity attention, patch " << p.patch << ", image " << img.width << "x"
                  << img.height << "\n";
        kept = similarity_attention(img, p);  // warm-up
        fwd = time_ms(o.runs, [&](int) { kept = similarity_attention(img, p); });
    }
    std::cout << "threads " << omp_get_max_threads() << ", runs " << o.runs << ", GEMM " << kernels::gemm_backend()
              << "\n";
    std::cout << "forward median " << fmt(median(fwd)) << " ms (min " << fmt(fwd.front()) << ", max " << fmt(fwd.back())
              << ")\n";
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::cout << "peak memory " << fmt(ru.ru_maxrss / 1024.0) << " MiB\n";
    bench_views(kept);
    return 0;
}

}  // namespace ks
