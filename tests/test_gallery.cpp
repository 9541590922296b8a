// The gallery (core/compare/gallery.h, `kernelscope gallery`): one query over N images.
// Its tv_to_mean.csv must be what kernels.npy gives (read back here, the mean and the TV
// recomputed independently), images of other sizes are brought to the first one's shape
// by input B's rule, each image's kernel is the engine's own for that image alone, and
// every bad input is one sentence with exit 2.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "attention/similarity_attention.h"
#include "attention/views.h"
#include "compare/gallery.h"
#include "image/match_size.h"
#include "io/file_output.h"
#include "io/npy.h"
#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using namespace ks;

void write_gallery_png(const fs::path& p, const Image& img) { write_file_atomic(p.string(), png_bytes(to_rgb8(img), img.width, img.height)); }

// A folder of four images: three 96 x 64, one 80 x 120 (another shape and aspect ratio).
fs::path gallery_folder(const std::string& tag) {
    const fs::path dir = test::scratch_dir(tag);
    fs::create_directories(dir / "images");
    for (unsigned i = 0; i < 3; ++i) write_gallery_png(dir / "images" / ("img" + std::to_string(i) + ".png"), test::random_image(96, 64, 10 + i));
    write_gallery_png(dir / "images" / "tall.png", test::random_image(80, 120, 99));
    return dir;
}

// tv_to_mean.csv as (image, tv) pairs.
std::vector<std::pair<std::string, double>> read_tv_csv(const fs::path& p) {
    std::ifstream in(p);
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "image,tv");
    std::vector<std::pair<std::string, double>> out;
    while (std::getline(in, line)) {
        const size_t comma = line.rfind(',');
        out.emplace_back(line.substr(0, comma), std::stod(line.substr(comma + 1)));
    }
    return out;
}

// kernels.npy read back; the mean and each TV recomputed here and compared with the CSV.
void expect_csv_matches_npy(const fs::path& out, size_t images) {
    const NpyArray k = read_npy((out / "kernels.npy").string());
    ASSERT_EQ(k.shape.size(), 3u);
    ASSERT_EQ(k.shape[0], images);
    const size_t n = k.shape[1] * k.shape[2];
    std::vector<double> mean(n, 0.0);
    for (size_t i = 0; i < images; ++i)
        for (size_t t = 0; t < n; ++t) mean[t] += k.data[i * n + t];
    for (double& m : mean) m /= static_cast<double>(images);
    const auto rows = read_tv_csv(out / "tv_to_mean.csv");
    ASSERT_EQ(rows.size(), images);
    double spread = 0;
    for (size_t i = 0; i < images; ++i) {
        double tv = 0;
        for (size_t t = 0; t < n; ++t) tv += std::fabs(static_cast<double>(k.data[i * n + t]) - mean[t]);
        tv *= 0.5;
        EXPECT_NEAR(rows[i].second, tv, 1e-15) << rows[i].first;
        spread += tv;
    }
    EXPECT_GT(spread, 1e-6) << "different images give different kernels";
    const NpyArray m = read_npy((out / "mean_kernel.npy").string());
    ASSERT_EQ(m.shape, (std::vector<size_t>{k.shape[1], k.shape[2]}));
    for (size_t t = 0; t < n; ++t) EXPECT_EQ(m.data[t], static_cast<float>(mean[t]));
}

}  // namespace

TEST(Gallery, MeanAndDistancesByHand) {
    QueryKernel a{1, 2, {1.0f, 0.0f}}, b{1, 2, {0.0f, 1.0f}}, c{1, 2, {0.5f, 0.5f}};
    QueryKernel mean;
    std::vector<double> tv;
    mean_and_distances({a, b, c}, &mean, &tv);
    EXPECT_EQ(mean.values, (std::vector<float>{0.5f, 0.5f}));
    EXPECT_EQ(tv, (std::vector<double>{0.5, 0.5, 0.0}));
    EXPECT_THROW(mean_and_distances({a, QueryKernel{2, 1, {1.0f, 0.0f}}}, &mean, &tv), InputError);
}

TEST(Gallery, OtherSizesTakeTheFirstImagesShapeByInputBsRule) {
    auto first = std::make_shared<const Image>(test::random_image(96, 64, 1));
    auto tall = std::make_shared<const Image>(test::random_image(80, 120, 2));
    const auto in = gallery_inputs({first, tall});
    ASSERT_EQ(in.size(), 2u);
    EXPECT_EQ(in[0], first);   // the first as it is
    EXPECT_EQ(in[1]->width, 96);
    EXPECT_EQ(in[1]->height, 64);
    EXPECT_EQ(in[1]->rgb, match_size_centre_crop(*tall, 96, 64).rgb);
}

// Each image's kernel is the built-in model's row on that image alone (brought to shape).
TEST(Gallery, BuiltinKernelsAreEachImagesOwnRow) {
    GalleryRequest req;
    for (unsigned i = 0; i < 3; ++i) req.images.push_back(std::make_shared<const Image>(test::random_image(96, 64, 20 + i)));
    req.images.push_back(std::make_shared<const Image>(test::random_image(80, 120, 30)));
    req.base.sim.patch = 16;
    req.base.query_row = 1;
    req.base.query_col = 2;
    Gallery gallery;
    const auto g = gallery.run(req);
    ASSERT_TRUE(g->error.empty()) << g->error;
    ASSERT_EQ(g->kernels.size(), 4u);
    EXPECT_EQ(g->grid_h, 4);
    EXPECT_EQ(g->grid_w, 6);
    const auto inputs = gallery_inputs(req.images);
    for (size_t i = 0; i < 4; ++i) {
        const AttentionSet a = similarity_attention(*inputs[i], req.base.sim);
        ViewSpec v;
        v.row = 1;
        v.col = 2;
        EXPECT_EQ(g->kernels[i].values, patch_heatmap(view_row(a, v), a.layout)) << i;
    }
    // Moving the query re-reads the kept rows without a model run.
    ViewSpec v = g->view;
    v.row = 3;
    v.col = 0;
    read_gallery_kernels(*g, v);
    const AttentionSet a0 = similarity_attention(*inputs[0], req.base.sim);
    EXPECT_EQ(g->kernels[0].values, patch_heatmap(view_row(a0, v), a0.layout));
}

TEST(Gallery, CliCsvIsWhatKernelsNpyGivesBuiltin) {
    const fs::path dir = gallery_folder("gallery_builtin");
    const auto r = test::run_kernelscope("gallery --images '" + (dir / "images").string() + "' --query 1,2 --patch 16 --out '" +
                                         (dir / "out").string() + "'");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const char* f : {"kernels.npy", "mean_kernel.npy", "tv_to_mean.csv", "gallery.png", "skipped.csv"})
        EXPECT_TRUE(fs::exists(dir / "out" / f)) << f;
    expect_csv_matches_npy(dir / "out", 4);
    EXPECT_EQ(read_npy((dir / "out" / "kernels.npy").string()).shape, (std::vector<size_t>{4, 4, 6}));
}

TEST(Gallery, CliCsvIsWhatKernelsNpyGivesVitAndResnet) {
    const fs::path dir = gallery_folder("gallery_models");
    const std::string images = "--images '" + (dir / "images" / "img0.png").string() + "' '" + (dir / "images" / "tall.png").string() +
                               "' '" + (dir / "images" / "img2.png").string() + "'";
    auto r = test::run_kernelscope("gallery " + images + " --query 2,3 --layer 1 --head 1 --weights '" +
                                   test::fixture("vit/p16_h2/timm/model.safetensors") + "' --out '" + (dir / "vit").string() + "'");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    expect_csv_matches_npy(dir / "vit", 3);
    r = test::run_kernelscope("gallery " + images + " --query 1,1 --weights '" + test::fixture("resnet/r18/tv/model.safetensors") +
                              "' --out '" + (dir / "resnet").string() + "'");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    expect_csv_matches_npy(dir / "resnet", 3);
    const NpyArray k = read_npy((dir / "resnet" / "kernels.npy").string());
    double sum = 0;
    for (size_t t = 0; t < k.shape[1] * k.shape[2]; ++t) sum += k.data[t];
    EXPECT_NEAR(sum, 1.0, 1e-4);   // an effective kernel: |g| normalised to sum 1, over the input pixels
}

TEST(Gallery, BadInputsAreOneSentenceEach) {
    const fs::path dir = gallery_folder("gallery_bad");
    const std::string images = "--images '" + (dir / "images").string() + "'";
    const std::string out = " --out '" + (dir / "out").string() + "'";
    write_file_atomic((dir / "images" / "broken.png").string(), "not a png");
    struct Case {
        std::string args, says;
    };
    const std::vector<Case> cases = {
        {images + out, "needs --query R,C"},
        {"--query 1,1" + out, "needs --images"},
        {images + " --query 1,1", "needs --out"},
        {images + " --query cls" + out, "is a patch R,C"},
        {images + " --query 9,9 --patch 16" + out, "outside the model's query grid of 4 x 6"},
        {images + " --query 1,1 --filter bilateral" + out, "is data-dependent"},
        {images + " --query 1,1 --window 800x600" + out, "belongs to the desktop app, not to kernelscope gallery"},
        {images + " --query 1,1 --out '" + (dir / "images" / "o").string() + "'", "lies inside the image folder"},
        {"--images '" + (dir / "images" / "broken.png").string() + "' --query 1,1" + out, "None of the 1 images could be read"},
        {"--images '" + (dir / "nothing").string() + "' --query 1,1" + out, "None of the 1 images could be read"},
    };
    for (const Case& c : cases) {
        const auto r = test::run_kernelscope("gallery " + c.args);
        EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
        EXPECT_NE(r.output.find(c.says), std::string::npos) << c.args << "\n" << r.output;
        EXPECT_FALSE(fs::exists(dir / "out")) << c.args;
    }
    // An unreadable image among readable ones: skipped, listed, the rest written.
    const auto r = test::run_kernelscope("gallery " + images + " --query 1,1 --patch 16" + out);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(read_file((dir / "out" / "skipped.csv").string()).find("broken.png"), std::string::npos);
    expect_csv_matches_npy(dir / "out", 4);
}
