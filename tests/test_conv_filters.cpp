#include <gtest/gtest.h>

#include <cmath>

#include "conv/conv_filters.h"

using namespace ks;

TEST(FilterBank, EveryNamedFilterIsOddSquareAndFinite) {
    for (const auto& name : filter_names()) {
        const ConvKernel k = make_filter(name);
        EXPECT_EQ(k.name, name);
        EXPECT_EQ(k.size % 2, 1) << name;
        EXPECT_EQ(k.w.size(), static_cast<size_t>(k.size * k.size)) << name;
        for (float v : k.w) EXPECT_TRUE(std::isfinite(v)) << name;
    }
    EXPECT_THROW(make_filter("emboss"), InputError);
}

TEST(FilterBank, KnownReadouts) {
    const KernelReadouts sob = kernel_readouts(make_filter("sobel_x"));
    EXPECT_FLOAT_EQ(sob.sum, 0);
    EXPECT_FLOAT_EQ(sob.min, -2);
    EXPECT_FLOAT_EQ(sob.max, 2);
    EXPECT_FLOAT_EQ(sob.l1, 8);
    EXPECT_NEAR(kernel_readouts(make_filter("box5")).sum, 1.0f, 1e-6f);
    EXPECT_NEAR(kernel_readouts(make_filter("sharpen")).sum, 1.0f, 1e-6f);
    EXPECT_FLOAT_EQ(kernel_readouts(make_filter("laplacian")).sum, 0.0f);
    const ConvKernel g = make_filter("gaussian", 1.5f);
    EXPECT_EQ(g.size, 11);  // 2 * ceil(4.5) + 1
    EXPECT_NEAR(kernel_readouts(g).sum, 1.0f, 1e-5f);
    EXPECT_FLOAT_EQ(g.at(5, 5), kernel_readouts(g).max);
    // A 90-degree Gabor is a 0-degree Gabor transposed.
    const ConvKernel g0 = make_filter("gabor0"), g90 = make_filter("gabor90");
    for (int r = 0; r < g0.size; ++r)
        for (int c = 0; c < g0.size; ++c) EXPECT_NEAR(g0.at(r, c), g90.at(c, r), 1e-5f);
    EXPECT_NEAR(kernel_readouts(g0).sum, 0.0f, 1e-5f);
}

TEST(FilterBank, UserKernelValidated) {
    EXPECT_EQ(user_kernel({1, 2, 3, 4, 5, 6, 7, 8, 9}).size, 3);
    EXPECT_THROW(user_kernel({1, 2, 3, 4}), InputError);     // even
    EXPECT_THROW(user_kernel({1, 2, 3}), InputError);        // not square
    EXPECT_THROW(user_kernel({NAN}), InputError);
}
