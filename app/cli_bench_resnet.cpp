#include "cli_bench_resnet.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <vector>

#include "cnn/resnet_model.h"
#include "vit/vit_preprocess.h"

namespace ks {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double median(std::vector<double> s) {
    std::sort(s.begin(), s.end());
    const size_t n = s.size();
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

std::string fmt(double ms) {
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
    std::cout << "forward median " << fmt(median(total)) << " ms (forward + one backward from layer4's centre; min "
              << fmt(*std::min_element(total.begin(), total.end())) << ")\n";
    std::cout << "resnet forward only median " << fmt(median(fwd)) << " ms, backward only median " << fmt(median(bwd))
              << " ms\n";
}

}  // namespace ks
