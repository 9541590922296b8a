// A ResNet's data specificity (the effective_kernel kind) against an independent
// reference: torch autograd on the ResNet-18-depth fixture, three inputs, a 3 x 3 query
// grid per stage (tests/fixtures/specificity_resnet/make_fixtures.py states the sums).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iostream>
#include <string>

#include "analysis/data_specificity.h"
#include "analysis/effective_kernel_set.h"
#include "io/input_error.h"
#include "io/npy.h"
#include "test_resnet_util.h"

using namespace ks;

namespace {

std::string spec_fixture(const std::string& rel) { return std::string(KS_FIXTURES_DIR) + "/specificity_resnet/" + rel; }

// The fixture input as a run: its normalised pixels, a forward pass keeping the gates.
ResnetRun fixture_run(const ResnetModel& m, int i) {
    const NpyArray in = read_npy(spec_fixture("input_" + std::to_string(i) + ".npy"));
    ResnetRun r;
    r.input.height = static_cast<int>(in.shape[1]);
    r.input.width = static_cast<int>(in.shape[2]);
    r.input.rgb.assign(static_cast<size_t>(r.input.width) * r.input.height * 3, 0.0f);
    r.chw = in.data;
    r.forward = resnet_forward(m.weights, r.chw, r.input.height, r.input.width, 4, true);
    return r;
}

TEST(SpecificityResnet, QueryCellsAreTheCentresOfAThreeByThreePartition) {
    using Cells = std::vector<std::array<int, 2>>;
    // 224 px: layer4's 7 x 7 grid; layer1's 56 x 56.
    EXPECT_EQ(stage_query_cells(7, 7, 3), (Cells{{1, 1}, {1, 3}, {1, 5}, {3, 1}, {3, 3}, {3, 5}, {5, 1}, {5, 3}, {5, 5}}));
    EXPECT_EQ(stage_query_cells(56, 56, 3)[4], (std::array<int, 2>{28, 28}));
    // A grid smaller than the partition repeats rows and columns, keeping nine queries.
    EXPECT_EQ(stage_query_cells(1, 2, 3), (Cells{{0, 0}, {0, 1}, {0, 1}, {0, 0}, {0, 1}, {0, 1}, {0, 0}, {0, 1}, {0, 1}}));
    EXPECT_EQ(stage_query_cells(4, 6, 2), (Cells{{1, 1}, {1, 4}, {3, 1}, {3, 4}}));
}

TEST(SpecificityResnet, MatchesTorchAutogradReference) {
    const ResnetModel m = load_resnet(kst::resnet_fixture("r18/tv/model.safetensors"));
    std::vector<EffectiveKernelSet> sets;
    for (int i = 0; i < 3; ++i) sets.push_back(effective_kernel_set(m, fixture_run(m, i)));
    const KernelView v0 = sets[0].view();
    EXPECT_EQ(v0.kind, "effective_kernel");
    EXPECT_EQ(v0.layers, 4);
    EXPECT_EQ(v0.heads, 1);
    EXPECT_EQ(v0.queries, 9);
    EXPECT_EQ(v0.tokens, 32 * 40);
    EXPECT_EQ(v0.first_measured_query, 0);

    KernelSums sums;
    sums.init(shape_of(v0));
    for (const auto& s : sets) sums.add(s.view());
    const NpyArray want_mean = read_npy(spec_fixture("mean_kernel.npy"));
    ASSERT_EQ(want_mean.shape, (std::vector<size_t>{4, 1, 9, 1280}));
    const std::vector<float> mean = sums.mean();
    const double mean_err = kst::rel_error(mean, want_mean.data);
    EXPECT_LE(mean_err, 1e-5) << "mean kernel, relative to its largest entry";

    // Per image, stage and query: TV to the mean, then the per-stage mean and population std.
    SpecificityTotals totals;
    totals.init(shape_of(v0));
    const NpyArray want_tv = read_npy(spec_fixture("tv.npy"));  // [3][4][9]
    double tv_err = 0;
    for (int i = 0; i < 3; ++i) {
        totals.add(sets[i].view(), sums);
        for (int sq = 0; sq < 4 * 9; ++sq) {
            std::vector<double> md(1280);
            for (int t = 0; t < 1280; ++t) md[t] = sums.sum[static_cast<size_t>(sq) * 1280 + t] / 3.0;
            const double tv = tv_distance(sets[i].data.data() + static_cast<size_t>(sq) * 1280, md.data(), 1280);
            tv_err = std::max(tv_err, std::fabs(tv - want_tv.data[static_cast<size_t>(i) * 36 + sq]));
        }
    }
    EXPECT_LE(tv_err, 1e-5) << "largest |TV - reference| over images, stages and queries";
    const NpyArray want = read_npy(spec_fixture("specificity.npy"));  // [4][2]: specificity, std
    for (int s = 0; s < 4; ++s) {
        EXPECT_EQ(totals.tv[s].n, 27) << "stage " << s + 1;
        EXPECT_NEAR(totals.tv[s].mean(), want.data[s * 2], 1e-5) << "stage " << s + 1;
        EXPECT_NEAR(totals.tv[s].stddev(), want.data[s * 2 + 1], 1e-5) << "stage " << s + 1;
    }
    std::cout << "[ reference ] mean kernel " << mean_err << " relative, TV " << tv_err << " absolute\n";
}

TEST(SpecificityResnet, EveryRowIsADistributionAndTheQueryPixelsLieOnTheInput) {
    const ResnetModel m = load_resnet(kst::resnet_fixture("r18/tv/model.safetensors"));
    const ResnetRun r = fixture_run(m, 0);
    const EffectiveKernelSet s = effective_kernel_set(m, r);
    for (int row = 0; row < 4 * 9; ++row) {
        double sum = 0;
        for (int t = 0; t < 1280; ++t) {
            const float v = s.data[static_cast<size_t>(row) * 1280 + t];
            ASSERT_GE(v, 0.0f);
            sum += v;
        }
        EXPECT_NEAR(sum, 1.0, 1e-5) << "row " << row;
    }
    // layer4 is 1 x 2 here: cells (0, 0), (0, 1), (0, 1) in each row, whose centres on
    // the 40 x 32 input are (x, y) = (10, 16) and (30, 16).
    const auto px = resnet_query_pixels(r.forward.stages[3].h, r.forward.stages[3].w, 40, 32);
    ASSERT_EQ(px.size(), 9u);
    for (int q = 0; q < 9; ++q) EXPECT_EQ(px[q], (std::array<int, 2>{q % 3 == 0 ? 10 : 30, 16})) << q;
}

TEST(SpecificityResnet, StopsWhenCancelledAndReportsProgress) {
    const ResnetModel m = load_resnet(kst::resnet_fixture("r18/tv/model.safetensors"));
    const ResnetRun r = fixture_run(m, 1);
    std::atomic<bool> cancel{false};
    int calls = 0;
    float last = 0.0f;
    const auto progress = [&](float f) {
        ++calls;
        last = f;
        if (calls == 5) cancel = true;
    };
    EXPECT_THROW(effective_kernel_set(m, r, 3, progress, &cancel), Cancelled);
    EXPECT_EQ(calls, 5);
    calls = 0;
    cancel = false;
    const EffectiveKernelSet s = effective_kernel_set(m, r, 2, [&](float f) {
        ++calls;
        last = f;
    }, &cancel);
    EXPECT_EQ(calls, 16);
    EXPECT_FLOAT_EQ(last, 1.0f);
    EXPECT_EQ(s.queries, 4);
    // A forward pass stopped before layer4 has no layer4 kernels to give.
    ResnetRun early = r;
    early.forward = resnet_forward(m.weights, r.chw, 32, 40, 3, true);
    EXPECT_THROW(effective_kernel_set(m, early), InputError);
}

}  // namespace
