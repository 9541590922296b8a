// The comparison engine (core/compare) without a window: for each model family an A/B
// case whose kernel changes are recomputed here independently, from the family's own
// core functions; the caches (a filter or query change runs no forward pass); the
// family table; and the one JSON form of the numbers.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "analysis/measures.h"
#include "attention/views.h"
#include "cnn/effective_kernel.h"
#include "cnn/resnet_backward.h"
#include "compare/comparison_at_query.h"
#include "compare/comparison_engine.h"
#include "compare/comparison_file.h"
#include "conv/filter_choice.h"
#include "image/match_size.h"
#include "image/model_input.h"
#include "test_support.h"

namespace ks {
namespace {

std::string vit_path() { return test::fixture("vit/p16_h2/timm/model.safetensors"); }
std::string resnet_path() { return test::fixture("resnet/r18/tv/model.safetensors"); }

ComparisonRequest request(const Image& a, uint64_t id = 1) {
    ComparisonRequest r;
    r.id = id;
    r.image_a = std::make_shared<const Image>(a);
    r.image_a_version = 1;
    r.perturb.noise_sigma = 0.2f;
    r.sim.patch = 8;
    return r;
}

ViewSpec patch_query(int row, int col) {
    ViewSpec v;
    v.row = row;
    v.col = col;
    return v;
}

TEST(ComparisonEngine, BuiltinKernelChangesAreTheDefinitions) {
    const Image a = test::random_image(64, 48, 3);
    ComparisonEngine engine;
    const auto r = engine.run(request(a));
    ASSERT_TRUE(r && r->error.empty()) << (r ? r->error : "cancelled");
    EXPECT_EQ(std::string(r->family), "builtin");
    const QueryComparison q = compare_at_query(*r, patch_query(2, 3), HeatOptions{}, ConvChoice{}, true);
    // Independently: both inputs' attention, the rows at the query, their TV distance.
    Perturbation p;
    p.noise_sigma = 0.2f;
    SimilarityParams sim;
    sim.patch = 8;
    const AttentionSet att_a = similarity_attention(a, sim), att_b = similarity_attention(apply_perturbation(a, p), sim);
    const double want = kernel_change(view_row(att_a, q.view), view_row(att_b, q.view));
    ASSERT_TRUE(q.changes.attention.has_value());
    EXPECT_DOUBLE_EQ(*q.changes.attention, want);
    EXPECT_GT(want, 0.0);
    EXPECT_EQ(q.changes.fixed_conv, 0.0);
    EXPECT_EQ(q.changes.fixed_conv_filter, "sobel_x");
    EXPECT_FALSE(q.changes.effective_kernel.has_value());
    // The bilateral's at the query's pixel, on each input's luminance.
    const auto px = patch_centre_pixel(a.width, a.height, 6, 8, 2, 3);
    const BilateralParams bp;
    const ConvKernel ka = data_dependent_kernel_at("bilateral", luminance(a), px[0], px[1], bp, {});
    const ConvKernel kb = data_dependent_kernel_at("bilateral", luminance(apply_perturbation(a, p)), px[0], px[1], bp, {});
    EXPECT_DOUBLE_EQ(q.changes.data_dependent_conv, kernel_change(abs_normalised(ka), abs_normalised(kb)));
    // B off: no attention number.
    EXPECT_FALSE(compare_at_query(*r, patch_query(2, 3), HeatOptions{}, ConvChoice{}, false).changes.attention);
}

TEST(ComparisonEngine, AFilterChangeRunsNoModelAndTheSameRequestIsCached) {
    const Image a = test::random_image(48, 48, 5);
    ComparisonEngine engine;
    auto req = request(a);
    ASSERT_TRUE(engine.run(req)->error.empty());
    EXPECT_EQ(engine.forward_passes(), 2u);   // clean A and B
    req.filter = "gaussian";
    req.id = 2;
    const auto r = engine.run(req);
    EXPECT_EQ(engine.forward_passes(), 2u);
    EXPECT_EQ(r->filter, "gaussian");
    req.perturb = Perturbation{};   // B = A: no second pass, and the change is exactly 0
    const auto same = engine.run(req);
    EXPECT_EQ(engine.forward_passes(), 2u);
    EXPECT_EQ(*compare_at_query(*same, patch_query(1, 1), HeatOptions{}, ConvChoice{}, true).changes.attention, 0.0);
}

TEST(ComparisonEngine, SecondImageIsCentreCroppedToA) {
    const Image a = test::random_image(64, 32, 7), b = test::random_image(40, 60, 8);
    ComparisonEngine engine;
    auto req = request(a);
    req.perturb = Perturbation{};
    req.image_b = std::make_shared<const Image>(b);
    const auto r = engine.run(req);
    ASSERT_TRUE(r->error.empty()) << r->error;
    const Image matched = match_size_centre_crop(b, a.width, a.height);
    ASSERT_EQ(r->shown->width, a.width);
    EXPECT_EQ(r->shown->rgb, matched.rgb);
    const QueryComparison q = compare_at_query(*r, patch_query(1, 2), HeatOptions{}, ConvChoice{}, true);
    SimilarityParams sim;
    sim.patch = 8;
    EXPECT_DOUBLE_EQ(*q.changes.attention, kernel_change(view_row(similarity_attention(a, sim), q.view),
                                                         view_row(similarity_attention(matched, sim), q.view)));
}

TEST(ComparisonEngine, VitAttentionChangeIsTheForwardPassesRows) {
    const Image a = load_image(std::string(KS_ASSETS_DIR) + "/images/chelsea.png");
    ComparisonEngine engine;
    auto req = request(a);
    req.model.weights_path = vit_path();
    const auto r = engine.run(req);
    ASSERT_TRUE(r->error.empty()) << r->error;
    EXPECT_EQ(std::string(r->family), "vit");
    ViewSpec v = patch_query(1, 2);
    v.layer = 1;
    v.head = 1;
    const QueryComparison q = compare_at_query(*r, v, HeatOptions{}, ConvChoice{}, true);
    const VitModel m = load_vit(vit_path(), "", {});
    Perturbation p;
    p.noise_sigma = 0.2f;
    const VitOutput oa = run_vit(m, a, VitResize::ShorterSideCrop), ob = run_vit(m, apply_perturbation(a, p), VitResize::ShorterSideCrop);
    const double want = kernel_change(view_row(oa.attention, q.view), view_row(ob.attention, q.view));
    EXPECT_DOUBLE_EQ(*q.changes.attention, want);
    EXPECT_GT(want, 0.0);
    EXPECT_EQ(q.changes.fixed_conv, 0.0);
}

TEST(ComparisonEngine, ResnetEffectiveKernelChangeIsTheBackwardPasses) {
    const Image a = load_image(std::string(KS_ASSETS_DIR) + "/images/astronaut.png");
    ComparisonEngine engine;
    auto req = request(a);
    req.model.weights_path = resnet_path();
    req.cnn_stage = 2;
    req.query_row = 5;
    req.query_col = 9;
    const auto r = engine.run(req);
    ASSERT_TRUE(r->error.empty()) << r->error;
    EXPECT_EQ(std::string(r->family), "resnet");
    const QueryComparison q = compare_at_query(*r, patch_query(5, 9), HeatOptions{}, ConvChoice{}, true);
    EXPECT_FALSE(q.changes.attention.has_value());   // a ResNet has no attention rows
    ASSERT_TRUE(q.changes.effective_kernel.has_value());
    const ResnetModel m = load_resnet(resnet_path());
    Perturbation p;
    p.noise_sigma = 0.2f;
    const ResnetInput in;
    const ResnetRun ra = run_resnet(m, a, in, 4), rb = run_resnet(m, apply_perturbation(a, p), in, 4);
    const auto ga = effective_kernel(m.weights, ra.forward, 2, 5, 9), gb = effective_kernel(m.weights, rb.forward, 2, 5, 9);
    EXPECT_DOUBLE_EQ(*q.changes.effective_kernel, kernel_change(ga, gb, ra.input.height, ra.input.width));
    EXPECT_GT(*q.changes.effective_kernel, 0.0);
    EXPECT_EQ(q.changes.fixed_conv, 0.0);
    // Moving the query back to a cell seen before runs no backward pass.
    const uint64_t backward = engine.backward_passes();
    req.query_col = 8;
    engine.run(req);
    req.query_col = 9;
    engine.run(req);
    EXPECT_EQ(engine.backward_passes(), backward + 2);
}

TEST(ComparisonEngine, FamiliesAreChosenByWhatTheCheckpointHolds) {
    EXPECT_STREQ(family_for_checkpoint("").id, "builtin");
    EXPECT_STREQ(family_for_checkpoint(vit_path()).id, "vit");
    EXPECT_STREQ(family_for_checkpoint(resnet_path()).id, "resnet");
    EXPECT_STREQ(family_for_checkpoint("/nonexistent.safetensors").id, "vit");   // the catch-all's loader says why
    for (const ModelFamily& f : model_families()) {
        EXPECT_TRUE(f.make_runner != nullptr) << f.id;
        EXPECT_GT(std::string(f.description).size(), 20u) << f.id;
    }
    ComparisonEngine engine;
    auto req = request(test::random_image(32, 32, 1));
    req.model.weights_path = "/nonexistent.safetensors";
    const auto r = engine.run(req);
    EXPECT_FALSE(r->error.empty());
    EXPECT_TRUE(r->model_failed);
}

TEST(ComparisonEngine, TheNumbersHaveOneJsonForm) {
    KernelChanges k;
    k.attention = 0.25;
    k.fixed_conv_filter = "sobel_x";
    k.data_dependent_conv = 0.5;
    k.data_dependent_filter = "bilateral";
    const nlohmann::json j = kernel_changes_json(k);
    EXPECT_EQ(j["attention"], 0.25);
    EXPECT_TRUE(j["effective_kernel"].is_null());
    EXPECT_EQ(j["fixed_conv"], 0.0);
    EXPECT_EQ(j.size(), 6u);
    ComparisonSummary s;
    s.b_mode = BMode::Off;
    s.changes = k;
    const nlohmann::json c = comparison_json(s);
    EXPECT_EQ(c["b_mode"], "off");
    EXPECT_EQ(c["kernel_change"], j);
    EXPECT_FALSE(c.contains("perturbation"));
}

}  // namespace
}  // namespace ks
