#include <gtest/gtest.h>

#include "pipeline/render_vit.h"
#include "test_support.h"
#include "attention/view_extras.h"

using namespace ks;

TEST(RenderVit, ModelViewOfOriginalIsTheCentredCrop) {
    const Image img = test::random_image(451, 300, 4);
    const Image crop = model_view_of_original(img, 64, 64, VitResize::ShorterSideCrop);
    ASSERT_EQ(crop.width, 300);
    ASSERT_EQ(crop.height, 300);
    const int x0 = (451 - 300) / 2;
    EXPECT_EQ(crop.at(0, 0, 1), img.at(x0, 0, 1));
    EXPECT_EQ(crop.at(299, 299, 2), img.at(x0 + 299, 299, 2));
    const Image whole = model_view_of_original(img, 64, 64, VitResize::Whole);
    EXPECT_EQ(whole.width, 451);
    EXPECT_EQ(whole.rgb, img.rgb);
}

TEST(RenderVit, LearnedFilterRespondsOnTheNormalisedModelInput) {
    const VitModel m = load_vit(test::fixture("vit/p16_h2/timm/model.safetensors"));
    const Image img = load_image(test::sample("coffee.png"));
    RenderOptions opt;
    opt.view.kind = QueryKind::Prefix;
    opt.filter = "patch_embed[1]";
    const RenderResult r = render_vit(m, img, VitResize::ShorterSideCrop, opt);
    EXPECT_EQ(r.kernel.channels, 3);
    const VitOutput o = run_vit(m, img, VitResize::ShorterSideCrop);
    const Plane want = kernel_response(normalised_image(o.input, m.config.mean, m.config.std), r.kernel);
    ASSERT_EQ(r.response.width, o.input.width);
    ASSERT_EQ(r.response.v.size(), want.v.size());
    for (size_t i = 0; i < want.v.size(); ++i) ASSERT_FLOAT_EQ(r.response.v[i], want.v[i]);
    // The heatmap is drawn over the user's own pixels: the 400 x 400 centre of 600 x 400.
    EXPECT_EQ(r.image.width, 400);
    EXPECT_EQ(r.image.height, 400);
}
