#include "cli_bench_resnet.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <vector>

#include "cnn/resnet_model.h"
#include "image/perturb.h"
#include "io/input_error.h"
#include "image/model_input.h"

namespace ks {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double median_ms(std::vector<double> s) {
    std::sort(s.begin(), s.end());
    const size_t n = s.size();
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

std::string fmt_ms(double ms) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f", ms);
    return b;
}

}  // namespace

void bench_resnet(const std::string& weights, const Image& image, int runs) {
    const ResnetModel m = load_resnet(weights);
    const ResnetInput in;
    const VitInput x = preprocess_vit(image, in.size, in.size, VitResize::ShorterSideCrop, in.mean, in.std);
    std::cout << "model " << m.weights.describe()[0] << ", " << in.size << "x" << in.size << " input\n";
    auto once = [&](double* fwd, double* bwd) {
        const auto t0 = Clock::now();
        const ResnetForward f = resnet_forward(m.weights, x.chw, in.size, in.size, 4, true);
        const auto t1 = Clock::now();
        const Feature& s = f.stages[3];
        const std::vector<float> g = effective_kernel(m.weights, f, 4, s.h / 2, s.w / 2);
        *fwd = std::chrono::duration<double, std::milli>(t1 - t0).count();
        *bwd = ms_since(t1);
        return g[0];
    };
    double a, b;
    once(&a, &b);  // warm-up
    std::vector<double> total, fwd, bwd;
    for (int i = 0; i < runs; ++i) {
        once(&a, &b);
        fwd.push_back(a);
        bwd.push_back(b);
        total.push_back(a + b);
    }
    std::cout << "forward median " << fmt_ms(median_ms(total)) << " ms (forward + one backward from layer4's centre; min "
              << fmt_ms(*std::min_element(total.begin(), total.end())) << ")\n";
    std::cout << "resnet forward only median " << fmt_ms(median_ms(fwd)) << " ms, backward only median " << fmt_ms(median_ms(bwd))
              << " ms\n";
}

void bench_resnet_query_move(const std::string& weights, const Image& image, int runs, int stage, int row, int col,
                             float noise) {
    const ResnetModel m = load_resnet(weights);
    const ResnetInput in;
    Perturbation p;
    p.noise_sigma = noise;
    // As the app's worker: A and B each run forward once (gates kept), then one backward
    // pass each for the query.
    const ResnetRun a = run_resnet(m, image, in, 4);
    const ResnetRun b = run_resnet(m, apply_perturbation(image, p), in, 4);
    const Feature& f = a.forward.stages[stage - 1];
    if (row < 0 || row >= f.h || col < 0 || col >= f.w)
        throw InputError("The query (" + std::to_string(row) + ", " + std::to_string(col) + ") is outside layer" +
                         std::to_string(stage) + "'s grid of " + std::to_string(f.h) + " x " + std::to_string(f.w) + " cells.");
    auto both = [&] {
        const auto t0 = Clock::now();
        const std::vector<float> ga = effective_kernel(m.weights, a.forward, stage, row, col);
        const std::vector<float> gb = effective_kernel(m.weights, b.forward, stage, row, col);
        return ms_since(t0);
    };
    both();  // warm-up
    std::vector<double> t;
    for (int i = 0; i < runs; ++i) t.push_back(both());
    std::cout << "query move median " << fmt_ms(median_ms(t)) << " ms (two backward passes, A and A + noise " << noise << ", layer"
              << stage << " (" << row << ", " << col << "); min " << fmt_ms(*std::min_element(t.begin(), t.end())) << ")\n";
}

}  // namespace ks
