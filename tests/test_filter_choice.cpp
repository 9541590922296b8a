#include <gtest/gtest.h>

#include "conv/filter_choice.h"
#include "conv/kernel_edit.h"
#include "analysis/measures.h"
#include "test_support.h"

using namespace ks;

TEST(FilterChoice, ListsTheBankThenUserBilateralAndDynamic) {
    const auto all = conv_filter_choices();
    ASSERT_EQ(all.size(), filter_names().size() + 3);
    EXPECT_EQ(all[all.size() - 3], "user");
    EXPECT_EQ(all[all.size() - 2], "bilateral");
    EXPECT_EQ(all.back(), "dynamic");
    EXPECT_TRUE(is_data_dependent("bilateral"));
    EXPECT_TRUE(is_data_dependent("dynamic"));
    for (const auto& n : filter_names()) EXPECT_FALSE(is_data_dependent(n)) << n;
    EXPECT_FALSE(is_data_dependent("user"));
    EXPECT_NO_THROW(check_filter_name("user"));
    EXPECT_NO_THROW(check_filter_name("bilateral"));
    try {
        check_filter_name("blur");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("bilateral"), std::string::npos);
    }
}

TEST(FilterChoice, UserKernelIsDataAgnostic) {
    const std::vector<float> w = {0, 1, 0, 1, -4, 1, 0, 2, 0};
    const ConvKernel a = fixed_filter("user", 1.0f, w), b = fixed_filter("user", 1.0f, w);
    EXPECT_EQ(a.w, w);
    EXPECT_EQ(a.size, 3);
    EXPECT_EQ(kernel_change(abs_normalised(a), abs_normalised(b)), 0.0);
    EXPECT_THROW(fixed_filter("user", 1.0f, {}), InputError);
    EXPECT_THROW(fixed_filter("user", 1.0f, {1, 2, 3, 4}), InputError);
    EXPECT_THROW(fixed_filter("bilateral", 1.0f, {}), InputError);
    EXPECT_EQ(fixed_filter("sobel_y", 1.0f, {}).w, make_filter("sobel_y").w);
}

TEST(FilterChoice, PatchCentrePixel) {
    EXPECT_EQ(patch_centre_pixel(64, 32, 4, 8, 0, 0), (std::array<int, 2>{4, 4}));
    EXPECT_EQ(patch_centre_pixel(64, 32, 4, 8, 3, 7), (std::array<int, 2>{60, 28}));
    EXPECT_EQ(patch_centre_pixel(10, 10, 1, 1, 0, 0), (std::array<int, 2>{5, 5}));
}

TEST(FilterChoice, BilateralRgbUsesTheLuminanceKernelsOnEveryChannel) {
    Image img = test::random_image(9, 7, 2);
    for (size_t i = 0; i < img.rgb.size(); i += 3) img.rgb[i + 1] = img.rgb[i + 2] = img.rgb[i];  // gray
    const BilateralParams p{1, 1.0f, 0.2f};
    const Image rgb = bilateral_response_rgb(img, p);
    const Plane y = bilateral_response(img, p);
    for (size_t i = 0; i < y.v.size(); ++i) ASSERT_NEAR(rgb.rgb[3 * i + 1], y.v[i], 1e-5);
}

TEST(KernelEdit, ResizeKeepsTheCentre) {
    const std::vector<float> w3 = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const auto w5 = resized_kernel(w3, 5);
    ASSERT_EQ(w5.size(), 25u);
    EXPECT_EQ(w5[12], 5.0f);
    EXPECT_EQ(w5[6], 1.0f);
    EXPECT_EQ(w5[0], 0.0f);
    EXPECT_EQ(resized_kernel(w5, 3), w3);
    EXPECT_EQ(resized_kernel(w3, 1), std::vector<float>{5.0f});
    EXPECT_THROW(resized_kernel(w3, 4), InputError);
    EXPECT_THROW(resized_kernel({1, 2}, 3), InputError);
}

TEST(KernelEdit, NormaliseAndCopy) {
    const auto n = normalised_to_sum1({1, 1, 2, 0, 0, 0, 0, 0, 0});
    EXPECT_FLOAT_EQ(n[2], 0.5f);
    EXPECT_THROW(normalised_to_sum1({1, -1, 0, 0, 0, 0, 0, 0, 0}), InputError);
    EXPECT_EQ(copy_for_editing(make_filter("sobel_x"), 7), make_filter("sobel_x").w);
    const auto g = copy_for_editing(gaussian_kernel(2.0f), 7);  // 13 x 13 -> its middle 7 x 7
    EXPECT_EQ(g.size(), 49u);
    EXPECT_FLOAT_EQ(g[24], gaussian_kernel(2.0f).at(6, 6));
}
