// What a ResNet's data specificity costs per image in `kernelscope analyze`: the forward
// pass that keeps the gates (what analyze runs anyway) against the effective-kernel set
// (one backward pass per stage and query: 4 x 3 x 3 = 36), and one backward pass per
// stage, all measured in this one process at 224 x 224 and printed as ratios.
//
//   build/bench_resnet_specificity CHECKPOINT.safetensors [image] [reps]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "analysis/effective_kernel_set.h"
#include "image/image.h"

#include "median_ms.h"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CHECKPOINT.safetensors [image] [reps]\n", argv[0]);
        return 2;
    }
    const std::string image = argc > 2 && *argv[2] ? argv[2] : std::string(KS_ASSETS_DIR) + "/images/astronaut.png";
    const int reps = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
    const ks::ResnetModel m = ks::load_resnet(argv[1]);
    const ks::Image img = ks::load_image(image);
    const ks::ResnetInput in;
    ks::run_resnet(m, img, in, 4);  // warm-up: oneDNN's primitives for this size
    const double fwd = median_ms([&] { ks::run_resnet(m, img, in, 4); }, reps);
    const ks::ResnetRun run = ks::run_resnet(m, img, in, 4);
    ks::effective_kernel_set(m, run);
    const double set = median_ms([&] { ks::effective_kernel_set(m, run); }, reps);
    std::printf("%s, %d x %d input, median of %d\n", m.weights.describe()[0].c_str(), in.size, in.size, reps);
    std::printf("forward pass (gates kept)            %8.1f ms  1.00x\n", fwd);
    std::printf("effective-kernel set (36 backward)   %8.1f ms  %5.2fx a forward pass\n", set, set / fwd);
    for (int stage = 1; stage <= 4; ++stage) {
        const ks::Feature& g = run.forward.stages[stage - 1];
        const double one = median_ms([&] { ks::effective_kernel(m.weights, run.forward, stage, g.h / 2, g.w / 2); }, reps);
        std::printf("  one backward from layer%d's centre  %8.1f ms  %5.2fx\n", stage, one, one / fwd);
    }
    std::printf("pass with data specificity / forward pass: %.2fx (forward + set)\n", (fwd + set) / fwd);
    return 0;
}
