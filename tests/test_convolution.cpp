#include <gtest/gtest.h>

#include <random>

#include "conv/convolution.h"
#include "io/npy.h"
#include "test_support.h"

using namespace ks;

namespace {

// numpy.pad(mode='reflect') by its definition: mirror about the edge sample, edge not repeated.
int naive_reflect(int i, int n) {
    if (n == 1) return 0;
    while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
    return i;
}

Plane naive_correlate(const Plane& x, const ConvKernel& k) {
    Plane y = x;
    const int r = k.size / 2;
    for (int py = 0; py < x.height; ++py)
        for (int px = 0; px < x.width; ++px) {
            double acc = 0;
            for (int v = -r; v <= r; ++v)
                for (int u = -r; u <= r; ++u)
                    acc += k.at(v + r, u + r) * x.at(naive_reflect(px + u, x.width), naive_reflect(py + v, x.height));
            y.at(px, py) = static_cast<float>(acc);
        }
    return y;
}

}  // namespace

TEST(Convolution, ReflectIndexFollowsNumpy) {
    // np.pad(np.arange(4), 3, mode='reflect') == [3 2 1 | 0 1 2 3 | 2 1 0]
    const int want[] = {3, 2, 1, 0, 1, 2, 3, 2, 1, 0};
    for (int i = -3; i <= 6; ++i) EXPECT_EQ(reflect_index(i, 4), want[i + 3]) << i;
    EXPECT_EQ(reflect_index(-5, 1), 0);
    EXPECT_EQ(reflect_index(9, 3), 1);  // period 4: 9 -> 1
}

TEST(Convolution, EqualsNaiveLoopForOddSizesAndAllEdges) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(-1, 1);
    // Small planes put every output pixel near some edge; sizes smaller than the kernel
    // make the reflection wrap more than once.
    for (int k = 1; k <= 7; k += 2) {
        for (const auto& [w, h] : {std::pair{9, 6}, std::pair{3, 11}, std::pair{2, 2}, std::pair{1, 5}}) {
            ConvKernel kern;
            kern.size = k;
            kern.w.resize(static_cast<size_t>(k) * k);
            for (float& v : kern.w) v = u(rng);
            const Plane x = ks::test::random_plane(w, h, rng, -1.0f, 1.0f);
            const Plane got = correlate(x, kern);
            const Plane want = naive_correlate(x, kern);
            for (size_t i = 0; i < got.v.size(); ++i) ASSERT_NEAR(got.v[i], want.v[i], 1e-5f) << "k=" << k << " w=" << w << " h=" << h;
        }
    }
}

TEST(Convolution, MatchesTorchConv2dReflectPadding) {
    const NpyArray in = read_npy(test::fixture("core/conv_input.npy"));
    Plane x;
    x.height = static_cast<int>(in.shape[0]);
    x.width = static_cast<int>(in.shape[1]);
    x.v = in.data;
    for (int k : {1, 3, 5, 7}) {
        const NpyArray w = read_npy(test::fixture("core/conv_kernel_" + std::to_string(k) + ".npy"));
        const NpyArray want = read_npy(test::fixture("core/conv_output_" + std::to_string(k) + ".npy"));
        const Plane got = correlate(x, user_kernel(w.data));
        ASSERT_EQ(got.v.size(), want.data.size());
        for (size_t i = 0; i < got.v.size(); ++i) ASSERT_NEAR(got.v[i], want.data[i], 1e-5f) << "k=" << k;
    }
}

TEST(Convolution, IsCrossCorrelationNotFlipped) {
    // An impulse at the centre: correlation returns the kernel rotated by 180 degrees.
    Plane x;
    x.width = x.height = 5;
    x.v.assign(25, 0.0f);
    x.at(2, 2) = 1.0f;
    const ConvKernel k = user_kernel({1, 2, 3, 4, 5, 6, 7, 8, 9});
    const Plane y = correlate(x, k);
    EXPECT_FLOAT_EQ(y.at(1, 1), 9.0f);  // y(p) = sum w(u) x(p+u): p=(1,1) sees the impulse at u=(+1,+1)
    EXPECT_FLOAT_EQ(y.at(3, 3), 1.0f);
}

TEST(Convolution, PerChannelFiltersEachChannelAlike) {
    const Image img = test::random_image(6, 4, 11);
    const ConvKernel k = make_filter("laplacian");
    const Image out = correlate_rgb(img, k);
    for (int c = 0; c < 3; ++c) {
        const Plane y = correlate(channel(img, c), k);
        for (int i = 0; i < 24; ++i) EXPECT_FLOAT_EQ(out.rgb[3 * i + c], y.v[i]);
    }
}
