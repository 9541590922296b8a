// What `analyze --merge` reads back (core/analysis/analysis_read.cpp): rows must be as
// kernelscope writes them, within the shape analysis.json gives, once each, with counts
// and sums that agree; anything else is one sentence, never wrong numbers.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/folder_analysis.h"
#include "io/input_error.h"
#include "io/sha256.h"

using namespace ks;

namespace {

// One layer, one head, a Fourier grid of 2, one image "a.png" at distance 5 (model px)
// and 10 (original px).
const AnalysisShape kMergeShape{1, 1, 2, {0}, 1};
const std::string kMergeMd = std::string(kDistanceCsvHeader) + "\n0,0,5,0,1,5,25,10,0,10,100\n";
const std::string kMergeFo = std::string(kFourierCsvHeader) +
                        "\n-1,input,0,0,1,0,0,0\n-1,input,1,0.5,1,0,0.5,0.25\n0,msa,0,0,1,0,0,0\n0,msa,1,0.25,1,0,0.25,0.0625\n"
                        "0,mlp,0,0,1,0,0,0\n0,mlp,1,1,1,0,1,1\n";
const std::string kMergePi = std::string(kPerImageCsvHeader) + "\na.png,0,0,5,10\n";

std::string merge_error_of(const std::string& md, const std::string& fo, const std::string& pi, const AnalysisShape& s = kMergeShape) {
    try {
        read_analysis_csvs(md, fo, pi, s);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(read)";
}

std::string merge_replaced(std::string s, const std::string& from, const std::string& to) {
    const size_t at = s.find(from);
    return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

}  // namespace

TEST(MergeRead, AFileAsWrittenIsRead) {
    const AnalysisTotals t = read_analysis_csvs(kMergeMd, kMergeFo, kMergePi, kMergeShape);
    EXPECT_EQ(t.images, 1);
    EXPECT_EQ(t.distance_px[0].sum, 5);
    EXPECT_EQ(mean_distance_csv(t), kMergeMd);
    EXPECT_EQ(per_image_csv(t), kMergePi);
}

TEST(MergeRead, RowsNotAsKernelscopeWritesThemAreRefused) {
    // A layer written 0x1 (strtod reads it as 1), +0, 00, and a number in hex or as nan.
    EXPECT_EQ(merge_error_of(merge_replaced(kMergeMd, "\n0,0,", "\n0x0,0,"), kMergeFo, kMergePi),
              "mean_attention_distance.csv holds \"0x0\" where a whole number from 0 to 0 belongs.");
    EXPECT_NE(merge_error_of(merge_replaced(kMergeMd, "\n0,0,", "\n+0,0,"), kMergeFo, kMergePi).find("whole number"), std::string::npos);
    EXPECT_NE(merge_error_of(kMergeMd, merge_replaced(kMergeFo, "0,msa,1,", "00,msa,1,"), kMergePi).find("whole number"), std::string::npos);
    EXPECT_NE(merge_error_of(merge_replaced(kMergeMd, ",5,25,", ",0x5p0,25,"), kMergeFo, kMergePi).find("where a number belongs"), std::string::npos);
    EXPECT_EQ(merge_error_of(kMergeMd, kMergeFo, merge_replaced(kMergePi, "a.png,0,0", "a.png,00,0")),
              "per_image.csv's row 2 should be layer 0, head 0 of an image: a row is missing, duplicated or not as kernelscope "
              "writes it.");
}

TEST(MergeRead, DuplicatedMissingAndForeignRowsAreRefused) {
    EXPECT_EQ(merge_error_of(kMergeMd + "0,0,5,0,1,5,25,10,0,10,100\n", kMergeFo, kMergePi), "mean_attention_distance.csv has the row for layer 0, head 0 twice.");
    EXPECT_NE(merge_error_of(std::string(kDistanceCsvHeader) + "\n", kMergeFo, kMergePi).find("lacks rows"), std::string::npos);
    EXPECT_NE(merge_error_of(kMergeMd, kMergeFo + "0,mlp,1,1,1,0,1,1\n", kMergePi).find("twice"), std::string::npos);
    EXPECT_NE(merge_error_of(kMergeMd, kMergeFo, kMergePi + "a.png,0,0,5,10\n").find("'a.png' twice"), std::string::npos);
    // A row claiming layer 5000, head 5000 is refused by the shape, before anything is sized by it.
    EXPECT_EQ(merge_error_of(kMergeMd + "5000,5000,1,0,1,1,1,1,0,1,1\n", kMergeFo, kMergePi),
              "mean_attention_distance.csv holds \"5000\" where a whole number from 0 to 0 belongs.");
}

TEST(MergeRead, CountsMustMatchTheSums) {
    // A count of 0 with non-zero sums (its mean would have been doubled by a merge).
    EXPECT_EQ(merge_error_of(merge_replaced(kMergeMd, ",5,0,1,5,25,", ",5,0,0,5,25,"), kMergeFo, kMergePi),
              "mean_attention_distance.csv's row for layer 0, head 0 counts 0 images, but analysis.json says the run analysed 1.");
    AnalysisShape none = kMergeShape;
    none.images = 0;
    EXPECT_EQ(merge_error_of(merge_replaced(kMergeMd, ",5,0,1,5,25,10,0,10,100", ",5,0,0,5,25,10,0,10,100"), kMergeFo, kMergePi, none),
              "mean_attention_distance.csv's row for layer 0, head 0 has sums that no 0 numbers could have.");
    // Sums that are not the per-image rows' sums, and a sum of squares below sum^2 / n.
    EXPECT_NE(merge_error_of(merge_replaced(kMergeMd, ",5,25,", ",6,36,"), kMergeFo, kMergePi).find("are not the sums of per_image.csv's rows"), std::string::npos);
    EXPECT_NE(merge_error_of(merge_replaced(kMergeMd, ",5,25,", ",5,24,"), kMergeFo, kMergePi).find("no 1 numbers could have"), std::string::npos);
    EXPECT_NE(merge_error_of(kMergeMd, kMergeFo, kMergePi + "b.png,0,0,5,10\n").find("analysed 1"), std::string::npos);
}

TEST(MergeRead, TheShapeItselfIsBounded) {
    for (AnalysisShape s : {AnalysisShape{0, 1, 2, {0}, 1}, AnalysisShape{1, 5000, 2, {0}, 1}, AnalysisShape{1, 1, 2, {1}, 1},
                            AnalysisShape{2, 1, 2, {1, 0}, 1}, AnalysisShape{1, 1, 2, {}, 1},
                            AnalysisShape{4096, 1024, 2, {0}, 1}, AnalysisShape{4096, 1, 5000, {0}, 1}})
        EXPECT_NE(merge_error_of(kMergeMd, kMergeFo, kMergePi, s).find("outside what kernelscope writes"), std::string::npos);
}

TEST(MergeRead, MergedSumsThatOverflowAreSeen) {
    AnalysisTotals a = read_analysis_csvs(kMergeMd, kMergeFo, kMergePi, kMergeShape), b = a;
    a.distance_px[0].sum_sq = 1.7e308;
    b.distance_px[0].sum_sq = 1.7e308;
    a.merge(b);
    EXPECT_FALSE(a.all_finite());
}

TEST(Sha256, KnownDigests) {
    auto hex = [](const std::string& s) {
        Sha256 h;
        h.update(s);
        return h.hex();
    };
    EXPECT_EQ(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    Sha256 h;  // a million 'a's, fed in pieces that straddle the blocks
    const std::string chunk(997, 'a');
    size_t fed = 0;
    while (fed < 1000000) {
        const size_t n = std::min(chunk.size(), 1000000 - fed);
        h.update(chunk.data(), n);
        fed += n;
    }
    EXPECT_EQ(h.hex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
