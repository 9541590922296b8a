// Cost stated before work (core/io/cost_limits.h): a checkpoint's shapes and the input
// size give one pass's multiply-adds and memory, and a pass over the budget is refused
// with one sentence before anything is allocated.
#include <gtest/gtest.h>

#include "cnn/resnet_cost.h"
#include "io/input_error.h"
#include "vit/vit_config.h"

using namespace ks;

namespace {

// A ResNet-50's geometry (torchvision), weights left empty: the cost needs shapes only.
ResnetWeights resnet50_shape(int stem_out = 64, int stem_k = 7) {
    ResnetWeights w;
    w.bottleneck = true;
    w.stem.geom = {stem_out, 3, stem_k, 2, stem_k / 2};
    const int blocks[4] = {3, 4, 6, 3};
    int in = stem_out;
    for (int s = 0; s < 4; ++s) {
        const int mid = 64 << s, out = 4 * mid;
        for (int b = 0; b < blocks[s]; ++b) {
            ResnetBlock blk;
            const int stride = (b == 0 && s > 0) ? 2 : 1;
            blk.conv1.geom = {mid, in, 1, 1, 0};
            blk.conv2.geom = {mid, mid, 3, stride, 1};
            blk.conv3.geom = {out, mid, 1, 1, 0};
            blk.has_down = b == 0;
            blk.down.geom = {out, in, 1, stride, 0};
            w.layers[s].push_back(blk);
            in = out;
        }
    }
    w.fc_w.assign(1000 * 2048, 0.0f);
    return w;
}

std::string error_of_resnet(const ResnetWeights& w, int h, int wd) {
    try {
        check_resnet_cost(w, h, wd);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(allowed)";
}

VitConfig vit_config(int hidden, int layers, int heads) {
    VitConfig c;
    c.hidden = hidden;
    c.layers = layers;
    c.heads = heads;
    c.mlp = 4 * hidden;
    c.patch = 16;
    c.prefix_names = {"cls"};
    return c;
}

}  // namespace

TEST(CostLimits, AResNet50IsAllowedAtItsSizeAndRefusedAtAPhotosOwn) {
    const ResnetWeights w = resnet50_shape();
    const PassCost c = resnet_pass_cost(w, 224, 224);
    EXPECT_NEAR(c.macs / 1e9, 4.1, 0.1);  // torchvision's figure for ResNet-50
    EXPECT_LT(c.bytes, 1e9);
    EXPECT_EQ(error_of_resnet(w, 224, 224), "(allowed)");
    // --image-size 4096 and a 12 MP photo with --resize whole (13 GB before "out of memory").
    const std::string big = error_of_resnet(w, 4096, 4096);
    EXPECT_EQ(big.rfind("At 4096 x 4096 pixels one pass of this ResNet would take 1367 billion multiply-adds", 0), 0u) << big;
    EXPECT_NE(big.find("more than the 100 billion and 8 GB allowed; give a smaller image or --image-size 1104 or less"), std::string::npos) << big;
    EXPECT_NE(error_of_resnet(w, 3000, 4000).find("At 4000 x 3000 pixels"), std::string::npos);
}

TEST(CostLimits, AHugeStemIsRefusedAtAnySizeItCannotAfford) {
    // A 301 x 301 stem ran for minutes; a 65,536-channel one took 6.5 GB before failing.
    EXPECT_NE(error_of_resnet(resnet50_shape(64, 301), 224, 224).find("more than the 100 billion"), std::string::npos);
    EXPECT_NE(error_of_resnet(resnet50_shape(65536, 7), 224, 224).find("more than the 100 billion"), std::string::npos);
    EXPECT_EQ(error_of_resnet(resnet50_shape(64, 101), 224, 224), "(allowed)") << "55 s, but within the budget";
}

TEST(CostLimits, AViTIsRefusedWhenItsTokensMakeThePassTooCostly) {
    VitConfig b = vit_config(768, 12, 12);  // ViT-B/16
    EXPECT_NO_THROW(set_input_size(b, 224, 224));
    EXPECT_NEAR(vit_pass_cost(b, 197).macs / 1e9, 17.5, 0.5);
    VitConfig l = vit_config(1024, 24, 16);  // ViT-L/16: 61 billion at 224 px
    EXPECT_NO_THROW(set_input_size(l, 224, 224));
    try {
        set_input_size(b, 640, 640);  // 1601 tokens: its maps fit in 2 GiB, its products do not fit the budget
        FAIL() << "allowed";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("At 640 x 640 pixels one pass of this Vision Transformer would take 184 billion", 0), 0u)
            << e.what();
    }
    EXPECT_EQ(b.image_w, 224) << "a refused size leaves the configuration as it was";
}
