// data_specificity.csv read back for the Analyses window (core/analysis/specificity_table.h):
// a hand-made file as `analyze` writes it, its figure (a dot per head against depth, the
// fixed conv as a line at 0), and bad files refused with one sentence.
#include <gtest/gtest.h>

#include "analysis/specificity_table.h"
#include "io/input_error.h"

using namespace ks;

namespace {

const char* kHandMade =
    "kind,layer,head,specificity,std,images,queries\n"
    "attention,0,0,0.125,0.0625,10,196\n"
    "attention,0,1,0.25,0.03125,10,196\n"
    "attention,1,0,0.5,0.1,10,196\n"
    "attention,1,1,0.75,0.2,10,196\n"
    "builtin,0,0,0.3333333333333333,0.01,10,196\n"
    "bilateral,0,0,0.0625,0.01,10,196\n"
    "fixed_conv,0,0,0,0,10,196\n";

}  // namespace

TEST(SpecificityTable, ReadsTheFileAnalyzeWrites) {
    const auto rows = parse_specificity_csv(kHandMade, "data_specificity.csv");
    ASSERT_EQ(rows.size(), 7u);
    EXPECT_EQ(rows[3].kind, "attention");
    EXPECT_EQ(rows[3].layer, 1);
    EXPECT_EQ(rows[3].head, 1);
    EXPECT_DOUBLE_EQ(rows[3].specificity, 0.75);
    EXPECT_DOUBLE_EQ(rows[4].specificity, 0.3333333333333333);
    EXPECT_EQ(rows[6].images, 10);
    EXPECT_EQ(rows[6].queries, 196);
}

TEST(SpecificityTable, FigureHasADotPerHeadAndTheFixedConvAtZero) {
    const Figure f = specificity_csv_figure(parse_specificity_csv(kHandMade, "x"), "t");
    ASSERT_EQ(f.series.size(), 4u);   // attention, builtin, bilateral, fixed_conv
    EXPECT_EQ(f.series[0].x, (std::vector<double>{0, 0, 1, 1}));
    EXPECT_EQ(f.series[0].y, (std::vector<double>{0.125, 0.25, 0.5, 0.75}));
    EXPECT_TRUE(f.series[0].dots);
    const PlotSeries& fixed = f.series[3];
    EXPECT_TRUE(fixed.line);
    EXPECT_EQ(fixed.y, (std::vector<double>{0.0, 0.0}));
    EXPECT_EQ(f.spec.legend.back().label, "fixed_conv");
    EXPECT_FALSE(f.spec.x_label.empty());
    EXPECT_FALSE(f.spec.y_label.empty());
}

TEST(SpecificityTable, BadFilesAreOneSentence) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"kind,layer,head,specificity\nattention,0,0,0.1\n", "does not start with the header"},
        {"kind,layer,head,specificity,std,images,queries\nattention,0,0,1.5,0,1,1\n", "line 2"},
        {"kind,layer,head,specificity,std,images,queries\nswin,0,0,0.5,0,1,1\n", "not a kind of kernel"},
        {"kind,layer,head,specificity,std,images,queries\nattention,0,0,0.5,0\n", "5 fields, not 7"},
        {"kind,layer,head,specificity,std,images,queries\n", "has no rows"},
    };
    for (const auto& [text, says] : bad) {
        try {
            parse_specificity_csv(text, "data_specificity.csv");
            ADD_FAILURE() << "accepted: " << text;
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
        }
    }
}
