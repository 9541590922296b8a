// Every head's map for one query (DINO's visualize_attention.py): core's head_maps
// against view_row head by head, the pictures (nearest upsampling by the patch size, each
// map on its own min..max), and `kernelscope render --head-maps` end to end.
#include <gtest/gtest.h>

#include <algorithm>

#include "attention/head_maps.h"
#include "attention/similarity_attention.h"
#include "attention/views.h"
#include "io/file_output.h"
#include "io/input_error.h"
#include "io/npy.h"
#include "pipeline/head_map_files.h"
#include "test_support.h"

using namespace ks;
namespace fs = std::filesystem;

namespace {

using test::q;

// The view that reads token `t`'s row of one head: a prefix token or a patch.
ViewSpec view_of_token(const TokenLayout& lay, int layer, int head, int t) {
    ViewSpec v;
    v.layer = layer;
    v.reduce = HeadReduce::Single;
    v.head = head;
    if (t < lay.num_prefix()) {
        v.kind = QueryKind::Prefix;
        v.prefix = t;
    } else {
        v.kind = QueryKind::Patch;
        v.row = (t - lay.num_prefix()) / lay.grid_w;
        v.col = (t - lay.num_prefix()) % lay.grid_w;
    }
    return v;
}

std::vector<unsigned char> bytes_of(const std::string& png) {
    const Image img = load_image_from_memory(reinterpret_cast<const unsigned char*>(png.data()), png.size(), "map.png");
    return to_rgb8(img);
}

}  // namespace

TEST(HeadMaps, EachHeadIsThatHeadsViewRowOnThePatches) {
    const AttentionSet a = test::fixture_attention();   // PyTorch's: 2 layers, 2 heads, CLS + 4 x 4
    for (int layer = 0; layer < a.layers; ++layer)
        for (int token : {0, 1, 6, 16}) {
            const auto maps = head_maps(a, layer, token);
            ASSERT_EQ(maps.size(), static_cast<size_t>(a.heads));
            for (int h = 0; h < a.heads; ++h)
                EXPECT_EQ(maps[h], patch_heatmap(view_row(a, view_of_token(a.layout, layer, h, token)), a.layout))
                    << "layer " << layer << " token " << token << " head " << h;
        }
}

TEST(HeadMaps, MissingLayersTokensAndHeadsAreRefused) {
    const AttentionSet a = test::fixture_attention();
    EXPECT_THROW(head_maps(a, -1, 0), InputError);
    EXPECT_THROW(head_maps(a, 2, 0), InputError);
    EXPECT_THROW(head_maps(a, 0, 17), InputError);
    EXPECT_THROW(head_maps(a, 0, -1), InputError);
    // A ResNet's stage grid in the app: a layout without matrices.
    AttentionSet grid;
    grid.layers = grid.heads = 1;
    grid.tokens = 4;
    grid.layout.grid_h = grid.layout.grid_w = 2;
    grid.layout.patch = 8;
    EXPECT_THROW(head_maps(grid, 0, 0), InputError);
}

TEST(HeadMaps, PictureIsNearestUpsampledOnItsOwnRange) {
    TokenLayout lay;
    lay.grid_h = 2;
    lay.grid_w = 3;
    lay.patch = 4;
    const std::vector<float> map = {0.1f, 0.4f, 0.2f, 0.3f, 0.5f, 0.25f};   // min 0.1, max 0.5
    const Image under = head_map_background(test::random_image(30, 20, 1), lay);
    ASSERT_EQ(under.width, 12);
    ASSERT_EQ(under.height, 8);
    const Image pic = head_map_picture(map, lay, HeadMapStyle{Colormap::Viridis, 0.0f}, under);
    ASSERT_EQ(pic.width, 12);
    ASSERT_EQ(pic.height, 8);
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 12; ++x) {
            const auto want = colormap_rgb(Colormap::Viridis, (map[(y / 4) * 3 + x / 4] - 0.1f) / 0.4f);
            for (int c = 0; c < 3; ++c) ASSERT_FLOAT_EQ(pic.at(x, y, c), want[c]) << x << "," << y;
        }
    // The largest patch takes the top of the map, the smallest its bottom.
    EXPECT_FLOAT_EQ(pic.at(4, 4, 0), colormap_rgb(Colormap::Viridis, 1.0f)[0]);
    EXPECT_FLOAT_EQ(pic.at(0, 0, 1), colormap_rgb(Colormap::Viridis, 0.0f)[1]);
    // Over the image: a blend at the opacity.
    const Image over = head_map_picture(map, lay, HeadMapStyle{Colormap::Viridis, 0.25f}, under);
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 12; ++x)
            for (int c = 0; c < 3; ++c) ASSERT_NEAR(over.at(x, y, c), 0.75f * under.at(x, y, c) + 0.25f * pic.at(x, y, c), 1e-6f);
    EXPECT_THROW(head_map_picture(map, lay, HeadMapStyle{Colormap::Viridis, 0.5f}, test::random_image(5, 5, 2)), InputError);
}

TEST(HeadMaps, FilesAreOnePngPerHeadAndTheImage) {
    const AttentionSet a = test::fixture_attention();
    const auto files = head_map_files(a, 1, 0, test::random_image(100, 80, 3), HeadMapStyle{}, "heads/");
    ASSERT_EQ(files.size(), 3u);
    EXPECT_EQ(files[0].first, "heads/attn-layer1-head0.png");
    EXPECT_EQ(files[1].first, "heads/attn-layer1-head1.png");
    EXPECT_EQ(files[2].first, "heads/image.png");
    for (const auto& [name, png] : files) {
        const Image img = load_image_from_memory(reinterpret_cast<const unsigned char*>(png.data()), png.size(), name);
        EXPECT_EQ(img.width, 64) << name;   // 4 patches of 16 px
        EXPECT_EQ(img.height, 64) << name;
    }
    EXPECT_NE(files[0].second, files[1].second);   // two heads, two maps
}

TEST(HeadMapsCli, RenderWritesEveryHeadOfTheLayerForTheQuery) {
    const fs::path out = test::scratch_dir("headmaps") / "o";
    const auto run = test::run_kernelscope("render --weights " + q(test::kWeights) + " --image " +
                                           q(test::fixture("vit/p16_h2/image.png")) +
                                           " --query cls --layer 1 --colormap viridis --head-maps --out " + q(out));
    ASSERT_EQ(run.exit_code, 0) << run.output;
    EXPECT_NE(run.output.find("2 head map(s) of layer 1"), std::string::npos) << run.output;
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(out / "heads")) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"attn-layer1-head0.png", "attn-layer1-head1.png", "image.png"}));
    // Each map is the CLS row of that head in the attention.npy of the same run, drawn by core.
    const NpyArray att = read_npy((out / "attention.npy").string());
    AttentionSet a = test::fixture_attention();
    a.data.assign(att.data.begin(), att.data.end());
    const auto maps = head_maps(a, 1, 0);
    for (int h = 0; h < 2; ++h) {
        const std::string png = read_file((out / "heads" / ("attn-layer1-head" + std::to_string(h) + ".png")).string());
        const Image want = head_map_picture(maps[h], a.layout, HeadMapStyle{Colormap::Viridis, 0.0f}, Image{});
        EXPECT_EQ(bytes_of(png), to_rgb8(want)) << "head " << h;
        const Image got = load_image_from_memory(reinterpret_cast<const unsigned char*>(png.data()), png.size(), "map");
        EXPECT_EQ(got.width, 64);
        EXPECT_EQ(got.height, 64);
    }
    // --head-maps-overlay: the same maps over the image.
    const fs::path over = test::scratch_dir("headmaps_over") / "o";
    ASSERT_EQ(test::run_kernelscope("render --weights " + q(test::kWeights) + " --image " +
                                    q(test::fixture("vit/p16_h2/image.png")) +
                                    " --query cls --layer 1 --colormap viridis --head-maps-overlay --out " + q(over))
                  .exit_code,
              0);
    EXPECT_NE(read_file((over / "heads" / "attn-layer1-head0.png").string()),
              read_file((out / "heads" / "attn-layer1-head0.png").string()));
    EXPECT_EQ(read_file((over / "heads" / "image.png").string()), read_file((out / "heads" / "image.png").string()));
}

TEST(HeadMapsCli, TheBuiltInModelHasOneHeadAtItsGridSize) {
    const fs::path out = test::scratch_dir("headmaps_builtin") / "o";
    const auto run = test::run_kernelscope("render --patch 16 --head-maps --out " + q(out));   // the coffee photo, 600 x 400
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const std::string png = read_file((out / "heads" / "attn-layer0-head0.png").string());
    const Image img = load_image_from_memory(reinterpret_cast<const unsigned char*>(png.data()), png.size(), "map");
    const PatchGrid g = fit_patch_grid(600, 400, 16);
    EXPECT_EQ(img.width, g.width());
    EXPECT_EQ(img.height, g.height());
    EXPECT_FALSE(fs::exists(out / "heads" / "attn-layer0-head1.png"));
}

TEST(HeadMapsCli, AResnetIsRefusedInOneSentence) {
    const fs::path out = test::scratch_dir("headmaps_rn") / "o";
    const auto run = test::run_kernelscope("render --weights " + q(test::fixture("resnet/r18/tv/model.safetensors")) +
                                           " --head-maps --out " + q(out));
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.output.find("--head-maps does not apply to a ResNet checkpoint"), std::string::npos) << run.output;
    EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
    EXPECT_FALSE(fs::exists(out));
}
