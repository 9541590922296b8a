// The effective kernel's own properties, independent of torch: it is the gradient
// (central finite differences agree with g . d), it changes with the photo while
// conv1's learned kernels do not, and its reach grows stage by stage.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>
#include <thread>

#include "cnn/effective_kernel.h"
#include "cnn/resnet_model.h"
#include "io/npy.h"
#include "test_resnet_util.h"

using namespace ks;

namespace {

double query_output(const ResnetModel& m, const std::vector<float>& x, int h, int w, int stage, int row, int col) {
    const ResnetForward f = resnet_forward(m.weights, x, h, w, stage, false);
    const Feature& s = f.stages[stage - 1];
    double y = 0;
    for (int c = 0; c < s.c; ++c) y += s.channel(c)[row * s.w + col];
    return y;
}

// (y(x + e d) - y(x - e d)) / 2e = g . d while no gate switches inside [x - e d, x + e d].
// In float32 the step must be large against rounding and small against the gates'
// spacing, and g . d must not be tiny: each direction is half g's own, half random
// (unit length), with a step of e = 1e-3 in the L2 norm; tolerance 1% of g . d.
TEST(ResnetKernel, FiniteDifferencesMatchTheBackwardPass) {
    for (const std::string model : {"r18", "r50"}) {
        const ResnetModel m = load_resnet(kst::resnet_fixture(model + "/tv/model.safetensors"));
        const NpyArray in = read_npy(kst::resnet_fixture("input_64.npy"));
        const int h = 64, w = 64, stage = 2, row = 3, col = 4;
        const ResnetForward f = resnet_forward(m.weights, in.data, h, w, stage, true);
        const std::vector<float> g = effective_kernel(m.weights, f, stage, row, col);
        double gnorm = 0;
        for (float v : g) gnorm += double(v) * v;
        gnorm = std::sqrt(gnorm);
        std::mt19937 rng(5);
        std::normal_distribution<double> normal(0.0, 1.0);
        int agree = 0;
        const int trials = 6;
        for (int t = 0; t < trials; ++t) {
            std::vector<double> r(g.size());
            double rnorm = 0;
            for (double& v : r) { v = normal(rng); rnorm += v * v; }
            rnorm = std::sqrt(rnorm);
            std::vector<float> d(g.size());
            double dnorm = 0;
            for (size_t i = 0; i < d.size(); ++i) { d[i] = float(g[i] / gnorm + r[i] / rnorm); dnorm += double(d[i]) * d[i]; }
            double gd = 0;
            for (size_t i = 0; i < d.size(); ++i) { d[i] = float(d[i] / std::sqrt(dnorm)); gd += double(g[i]) * d[i]; }
            const float e = 1e-3f;
            std::vector<float> xp = in.data, xm = in.data;
            for (size_t i = 0; i < d.size(); ++i) {
                xp[i] += e * d[i];
                xm[i] -= e * d[i];
            }
            const double fd = (query_output(m, xp, h, w, stage, row, col) - query_output(m, xm, h, w, stage, row, col)) / (2 * e);
            const double err = std::fabs(fd - gd) / std::fabs(gd);
            std::cout << "[ fd       ] " << model << " direction " << t << ": fd " << fd << ", g.d " << gd
                      << ", relative difference " << err << "\n";
            agree += err <= 1e-2;
        }
        // A gate may sit inside one of the steps; most directions must agree.
        EXPECT_GE(agree, trials - 1) << model;
    }
}

// Two photos: the effective kernel at the same query moves (kernel change > 0),
// conv1's learned weights are the same numbers for both (change exactly 0).
TEST(ResnetKernel, EffectiveKernelChangesWithThePhotoConv1DoesNot) {
    const ResnetModel m = load_resnet(kst::resnet_fixture("r18/tv/model.safetensors"));
    ResnetInput in;
    in.whole = true;
    const ResnetRun a = run_resnet(m, load_image(kst::resnet_fixture("image.png")), in, 3);
    const ResnetRun b = run_resnet(m, load_image(kst::resnet_fixture("image_b.png")), in, 3);
    const std::vector<float> ga = effective_kernel(m.weights, a.forward, 3, 2, 3);
    const std::vector<float> gb = effective_kernel(m.weights, b.forward, 3, 2, 3);
    const double moved = kernel_change(ga, gb, a.input.height, a.input.width);
    EXPECT_GT(moved, 0.05);
    // conv1 as a kernel over its own 7 x 7 x 3 support: what each photo is convolved with.
    const std::vector<ConvKernel> ka = m.conv1_filters(), kb = m.conv1_filters();
    for (size_t c = 0; c < ka.size(); ++c)
        EXPECT_EQ(kernel_change(ka[c].w, kb[c].w, ka[c].size, ka[c].size), 0.0);
    std::cout << "[ change   ] effective kernel between the two photos: " << moved << "; conv1: 0\n";
}

TEST(ResnetKernel, ReachGrowsWithDepthAndReadoutsAreConsistent) {
    const ResnetModel m = load_resnet(kst::resnet_fixture("r50/tv/model.safetensors"));
    ResnetInput in;
    in.size = 96;
    const ResnetRun r = run_resnet(m, load_image(kst::resnet_fixture("image.png")), in, 4);
    double last = 0;
    for (int s = 1; s <= 4; ++s) {
        const Feature& f = r.forward.stages[s - 1];
        const int row = f.h / 2, col = f.w / 2;
        const std::vector<float> g = effective_kernel(m.weights, r.forward, s, row, col);
        double cx, cy;
        query_centre(row, col, ResnetWeights::stage_stride(s), &cx, &cy);
        const EffectiveKernelReadouts k = kernel_readouts(g, 96, 96, cx, cy);
        EXPECT_GT(k.abs_sum, 0.0);
        EXPECT_GE(k.positive_share, 0.0);
        EXPECT_LE(k.positive_share, 1.0);
        EXPECT_LE(std::fabs(k.sum), k.abs_sum);
        EXPECT_GT(k.radius95, last * 0.9) << "layer" << s;
        last = k.radius95;
        std::cout << "[ reach    ] layer" << s << ": radius95 " << k.radius95 << " px, positive share " << k.positive_share << "\n";
    }
    // Outside the receptive field of a layer1 query the kernel is exactly 0.
    const std::vector<float> g1 = effective_kernel(m.weights, r.forward, 1, 0, 0);
    double far = 0;
    for (int c = 0; c < 3; ++c)
        for (int y = 60; y < 96; ++y)
            for (int x = 60; x < 96; ++x) far += std::fabs(g1[(size_t(c) * 96 + y) * 96 + x]);
    EXPECT_EQ(far, 0.0);
}

TEST(ResnetKernel, QueryOutsideTheGridIsOneSentence) {
    const ResnetModel m = load_resnet(kst::resnet_fixture("r18/timm/model.safetensors"));
    const NpyArray in = read_npy(kst::resnet_fixture("input_64.npy"));
    const ResnetForward f = resnet_forward(m.weights, in.data, 64, 64, 3, true);
    try {
        effective_kernel(m.weights, f, 3, 4, 0);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("outside layer3's grid of 4 x 4"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parse_stage("layer5"), InputError);
    EXPECT_EQ(parse_stage("layer2"), 2);
}

}  // namespace

TEST(ResnetKernel, MassOnTheStageGridIsTheNormalisedCellSumOfAbsG) {
    // g on a 5 x 6 input, stride 2 -> a 2 x 3 grid; the last row of pixels (y = 4)
    // belongs to the last grid row.
    const int h = 5, w = 6;
    std::vector<float> g(3 * h * w, 0.0f);
    auto at = [&](int c, int y, int x) -> float& { return g[(static_cast<size_t>(c) * h + y) * w + x]; };
    at(0, 0, 0) = 1.0f;   // cell (0, 0)
    at(1, 0, 1) = -1.0f;  // cell (0, 0): |g| counts
    at(2, 3, 5) = 2.0f;   // cell (1, 2)
    at(0, 4, 2) = -4.0f;  // y = 4 -> row 1, x = 2 -> col 1
    const std::vector<float> m = kernel_mass_on_grid(g, h, w, 2, 3, 2);
    ASSERT_EQ(m.size(), 6u);
    const std::vector<float> want = {2.0f / 8, 0, 0, 0, 4.0f / 8, 2.0f / 8};
    for (size_t i = 0; i < m.size(); ++i) EXPECT_FLOAT_EQ(m[i], want[i]) << i;
    EXPECT_EQ(kernel_mass_on_grid(std::vector<float>(3 * h * w, 0.0f), h, w, 2, 3, 2), std::vector<float>(6, 0.0f));
}

// An off-centre query on an input wider than tall (the other tests use centred
// queries on squares, where measuring from (cx, cx) goes unnoticed). Query cell
// (0, 2) at stride 2 on 4 x 8: centre (4.5, 0.5). |g| is 19.5 at (6, 0), distance
// sqrt(2.5), and 0.5 at (0, 2), distance sqrt(22.5): 95% of 20 is reached by the first.
// With 15 and 5 it takes both. From (4.5, 4.5) the radii would be sqrt(22.5), sqrt(26.5).
TEST(ResnetKernel, ReadoutsOfAnOffCentreQueryOnAWideInput) {
    const int h = 4, w = 8;
    auto kernel = [&](float near_r, float near_b, float far_g) {
        std::vector<float> g(static_cast<size_t>(3) * h * w, 0.0f);
        g[(0 * h + 0) * w + 6] = near_r;  // |g| of the channels adds up at (6, 0)
        g[(2 * h + 0) * w + 6] = near_b;
        g[(1 * h + 2) * w + 0] = far_g;
        return g;
    };
    double cx, cy;
    query_centre(0, 2, 2, &cx, &cy);
    ASSERT_EQ(cx, 4.5);
    ASSERT_EQ(cy, 0.5);
    const EffectiveKernelReadouts k = kernel_readouts(kernel(10.0f, -9.5f, 0.5f), h, w, cx, cy);
    EXPECT_DOUBLE_EQ(k.radius95, std::sqrt(2.5));
    EXPECT_DOUBLE_EQ(k.sum, 1.0);
    EXPECT_DOUBLE_EQ(k.abs_sum, 20.0);
    EXPECT_DOUBLE_EQ(k.positive_share, 10.5 / 20.0);
    EXPECT_EQ(k.centre_x, 4.5);
    EXPECT_EQ(k.centre_y, 0.5);
    EXPECT_DOUBLE_EQ(kernel_readouts(kernel(10.0f, -5.0f, 5.0f), h, w, cx, cy).radius95, std::sqrt(22.5));
}

// Each kernel is normalised by its own sum: a kernel and a multiple of it do not differ
// (normalising B by A's sum would give 0.5 for g and 2g, and values past 1). By hand:
// |g1| per pixel (1, 3) -> (0.25, 0.75), |g2| (4, 4) -> (0.5, 0.5): 0.5 * (0.25 + 0.25).
TEST(ResnetKernel, KernelChangeIsScaleInvariantAndTheTotalVariation) {
    const std::vector<float> g = {0.5f, -1.0f, 2.0f, 0.0f, 3.0f, -0.25f};  // [3][1][2]
    std::vector<float> g2 = g, g_half = g;
    for (float& v : g2) v *= 2.0f;
    for (float& v : g_half) v *= 0.5f;
    EXPECT_EQ(kernel_change(g, g2, 1, 2), 0.0);
    EXPECT_EQ(kernel_change(g, g_half, 1, 2), 0.0);
    const std::vector<float> a = {1.0f, -2.0f, 0.0f, 1.0f, 0.0f, 0.0f}, b = {-4.0f, 0.0f, 0.0f, 0.0f, 0.0f, 4.0f};
    EXPECT_DOUBLE_EQ(kernel_change(a, b, 1, 2), 0.25);
    EXPECT_DOUBLE_EQ(kernel_change(b, a, 1, 2), 0.25);
}

// The app runs a ResNet on its worker thread and again in an export job: a plan
// built on one thread must run on another (oneDNN's own scratchpad would belong to
// the building thread; "could not execute a primitive" before the fix).
TEST(ResnetKernel, APlanBuiltOnOneThreadRunsOnAnother) {
    const ResnetModel m = load_resnet(kst::resnet_fixture("r18/tv/model.safetensors"));
    const NpyArray in = read_npy(kst::resnet_fixture("input_64.npy"));
    const ResnetForward here = resnet_forward(m.weights, in.data, 64, 64, 3, true);
    const std::vector<float> g_here = effective_kernel(m.weights, here, 3, 1, 2);
    std::vector<float> g_there;
    std::string error;
    std::thread t([&] {
        try {
            const ResnetForward there = resnet_forward(m.weights, in.data, 64, 64, 3, true);
            g_there = effective_kernel(m.weights, there, 3, 1, 2);
        } catch (const std::exception& e) {
            error = e.what();
        }
    });
    t.join();
    EXPECT_EQ(error, "");
    EXPECT_EQ(g_there, g_here);
}
