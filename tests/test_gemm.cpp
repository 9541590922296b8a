// The ViT's products (kernels/gemm.h): the threaded matmul, with and without packed
// weights, against a double-precision product written here.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernels/gemm.h"

using namespace ks;

namespace {

std::vector<float> random_values(size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (float& x : v) x = u(rng);
    return v;
}

// y = x W^T + b in double, W [out][in].
std::vector<double> reference(const std::vector<float>& x, int m, int in, const std::vector<float>& w,
                              const std::vector<float>& b, int out) {
    std::vector<double> y(static_cast<size_t>(m) * out);
    for (int i = 0; i < m; ++i)
        for (int o = 0; o < out; ++o) {
            double s = b.empty() ? 0.0 : b[o];
            for (int k = 0; k < in; ++k) s += static_cast<double>(x[static_cast<size_t>(i) * in + k]) * w[static_cast<size_t>(o) * in + k];
            y[static_cast<size_t>(i) * out + o] = s;
        }
    return y;
}

double max_error(const std::vector<float>& y, const std::vector<double>& want) {
    double e = 0;
    for (size_t i = 0; i < y.size(); ++i) e = std::max(e, std::fabs(y[i] - want[i]));
    return e;
}

}  // namespace

// Every path: plain weights, and the packed copy at the row count it was packed for
// and at others (where another layout may be wanted: then the plain weights are read).
// Row counts below, at and above a thread's share, with and without a bias.
TEST(Gemm, ThreadedLinearMatchesTheProductWithAndWithoutPackedWeights) {
    const int in = 96, out = 80;
    const std::vector<float> w = random_values(static_cast<size_t>(out) * in, 1), b = random_values(out, 2);
    const kernels::PackedWeights packed = kernels::pack_weights(w.data(), out, in, 37);
    for (int m : {1, 37, 200}) {
        const std::vector<float> x = random_values(static_cast<size_t>(m) * in, 3 + m);
        for (bool with_bias : {true, false}) {
            const std::vector<double> want = reference(x, m, in, w, with_bias ? b : std::vector<float>{}, out);
            for (const kernels::PackedWeights* p : {static_cast<const kernels::PackedWeights*>(nullptr), &packed}) {
                std::vector<float> y(static_cast<size_t>(m) * out, 7.0f);
                kernels::linear_threaded(x.data(), m, in, w.data(), with_bias ? b.data() : nullptr, out, y.data(), p);
                EXPECT_LT(max_error(y, want), 1e-4) << "m " << m << (with_bias ? " bias" : "") << (p ? " packed" : "");
            }
        }
    }
}

// A packed copy is of these weights: others of the same shape give other products.
TEST(Gemm, PackedWeightsCarryTheirOwnValues) {
    const int in = 64, out = 48, m = 20;
    const std::vector<float> w = random_values(static_cast<size_t>(out) * in, 4), other = random_values(w.size(), 5);
    const kernels::PackedWeights packed = kernels::pack_weights(w.data(), out, in, m);
    const std::vector<float> x = random_values(static_cast<size_t>(m) * in, 6);
    std::vector<float> y(static_cast<size_t>(m) * out);
    // The plain pointer names other weights; the packed copy (when there is one) wins.
    kernels::linear_threaded(x.data(), m, in, other.data(), nullptr, out, y.data(), &packed);
    const std::vector<double> want = reference(x, m, in, packed.empty() ? other : w, {}, out);
    EXPECT_LT(max_error(y, want), 1e-4);
    // A packed copy of another shape is not used: the plain weights are read.
    const kernels::PackedWeights wrong = kernels::pack_weights(w.data(), out - 16, in, m);
    kernels::linear_threaded(x.data(), m, in, other.data(), nullptr, out, y.data(), &wrong);
    EXPECT_LT(max_error(y, reference(x, m, in, other, {}, out)), 1e-4);
}

// Called from inside threads of its own (the app's worker and an export job at once).
TEST(Gemm, ThreadedLinearRunsFromSeveralThreadsAtOnce) {
    const int in = 128, out = 64, m = 50;
    const std::vector<float> w = random_values(static_cast<size_t>(out) * in, 7);
    const std::vector<float> x = random_values(static_cast<size_t>(m) * in, 8);
    const std::vector<double> want = reference(x, m, in, w, {}, out);
    std::vector<std::vector<float>> ys(4, std::vector<float>(static_cast<size_t>(m) * out));
#pragma omp parallel for num_threads(4)
    for (int t = 0; t < 4; ++t) kernels::linear_threaded(x.data(), m, in, w.data(), nullptr, out, ys[t].data());
    for (const auto& y : ys) EXPECT_LT(max_error(y, want), 1e-4);
}

// The activation fused into the product: each of the three, against libm in double,
// so a swapped variant (erf for tanh, a wrong quick-GELU slope) fails.
TEST(Gemm, FusedActivationsAreTheGeluVariants) {
    const int in = 32, out = 40, m = 30;
    const std::vector<float> w = random_values(static_cast<size_t>(out) * in, 9), b = random_values(out, 10);
    std::vector<float> x = random_values(static_cast<size_t>(m) * in, 11);
    for (float& v : x) v *= 2.0f;  // pre-activations out to about +-10
    const std::vector<double> pre = reference(x, m, in, w, b, out);
    using A = kernels::Activation;
    const auto gelu_erf = [](double v) { return 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0))); };
    const auto gelu_tanh = [](double v) { return 0.5 * v * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (v + 0.044715 * v * v * v))); };
    const auto quick = [](double v) { return v / (1.0 + std::exp(-1.702 * v)); };
    const kernels::PackedWeights packed = kernels::pack_weights(w.data(), out, in, m);
    for (A act : {A::gelu_erf, A::gelu_tanh, A::quick_gelu}) {
        std::vector<double> want(pre.size());
        double gap = 0;  // how far this variant is from the others: the test must see it
        for (size_t i = 0; i < pre.size(); ++i) {
            want[i] = act == A::gelu_erf ? gelu_erf(pre[i]) : act == A::gelu_tanh ? gelu_tanh(pre[i]) : quick(pre[i]);
            const double other = act == A::gelu_erf ? gelu_tanh(pre[i]) : gelu_erf(pre[i]);
            gap = std::max(gap, std::fabs(other - want[i]));
        }
        for (const kernels::PackedWeights* p : {static_cast<const kernels::PackedWeights*>(nullptr), &packed}) {
            std::vector<float> y(pre.size());
            kernels::linear_threaded(x.data(), m, in, w.data(), b.data(), out, y.data(), p, act);
            EXPECT_LT(max_error(y, want), 2e-5) << static_cast<int>(act);
        }
        EXPECT_GT(gap, 1e-4) << static_cast<int>(act);
    }
}
