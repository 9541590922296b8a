#pragma once
// The paper's numbers over many images (`kernelscope analyze`): per image the mean
// attention distance per layer and head and the Fourier dL(k) of every sub-block's
// token map; over the images their counts, sums and sums of squares, so shards run on
// different machines combine exactly (means and standard deviations from the sums,
// never means of means). The CSV text written and read here is the on-disk form.
#include <string>
#include <vector>

#include "io/csv.h"   // csv_field: file names in per_image.csv
#include "analysis/attention_distance.h"
#include "analysis/fourier_blocks.h"
#include "vit/vit_model.h"

namespace ks {

// One image's numbers.
struct ImageAnalysis {
    std::string name;                     // the image's path relative to the analysed folder
    MeanDistances distances;              // [layers][heads], model-input and original pixels
    std::vector<SubBlockProfile> fourier; // input, msa 0, mlp 0, ...
};

// `file_w` x `file_h` is the image file's own size (before any reduction on reading):
// the original pixels the distances are also given in.
ImageAnalysis analyse_image(const std::string& name, const VitOutput& o, int file_w, int file_h, VitResize mode);

// n, sum and sum of squares of one quantity; mean and population standard deviation
// (divide by n) follow from them.
struct RunningSum {
    long long n = 0;
    double sum = 0, sum_sq = 0;
    void add(double v) { ++n; sum += v; sum_sq += v * v; }
    void add(const RunningSum& o) { n += o.n; sum += o.sum; sum_sq += o.sum_sq; }
    double mean() const;
    double stddev() const;
};

// Everything that is summed over images, plus the images' per-layer rows.
struct AnalysisTotals {
    int layers = 0, heads = 0, fourier_k = 0;
    std::vector<int> layers_kept;            // the layers / blocks written (sorted, 0-based)
    std::vector<RunningSum> distance_px;     // [layers][heads], model-input pixels
    std::vector<RunningSum> distance_orig;   // [layers][heads], original pixels
    std::vector<RunningSum> fourier;         // [1 + 2 * layers][fourier_k]: input, msa 0, mlp 0, ...
    std::vector<std::string> per_image_rows; // per_image.csv lines (no header), in the order added
    long long images = 0;

    // Sets the shapes; `layers_kept` empty = every layer.
    void init(int layers, int heads, int fourier_k, std::vector<int> layers_kept);
    // Adds one image (its shapes must match init's; InputError otherwise).
    void add(const ImageAnalysis& a);
    // Adds another run's totals (same shapes and layers; InputError naming what differs).
    void merge(const AnalysisTotals& other);
    // Orders per_image_rows by image name (stable: an image keeps its layer/head order),
    // so merged shards list the images as one run over the sorted folder does.
    void sort_per_image_rows();
    // False when a sum overflowed (merging can add finite sums up to infinity).
    bool all_finite() const;
};

// The row of fourier's [1 + 2 * layers] blocks: the input, then msa and mlp of each layer.
inline int fourier_row_index(int block, SubBlock part) {
    return part == SubBlock::Input ? 0 : 1 + 2 * block + (part == SubBlock::Mlp ? 1 : 0);
}

// Parses "--layers": comma-separated 0-based indices and ranges "a-b" (e.g. "0,3-5,11"),
// each below `layers`; "all" or "" = every layer. Sorted, duplicates dropped.
std::vector<int> parse_layer_list(const std::string& spec, int layers);

// The CSV files (header line first, "\n" line ends, numbers with 17 significant digits
// where they feed a merge). Layouts are the headers below.
inline constexpr const char* kDistanceCsvHeader =
    "layer,head,mean_distance_px,std_px,images,sum_px,sum_sq_px,mean_distance_original_px,std_original_px,sum_original_px,"
    "sum_sq_original_px";
inline constexpr const char* kFourierCsvHeader = "block,part,k,dlogamp,images,std,sum,sum_sq";
inline constexpr const char* kPerImageCsvHeader = "image,layer,head,mean_distance_px,mean_distance_original_px";
std::string mean_distance_csv(const AnalysisTotals& t);
std::string fourier_csv(const AnalysisTotals& t);
std::string per_image_csv(const AnalysisTotals& t);

// What a run's analysis.json says its CSVs hold. They are read against it, so a row
// cannot claim a shape (and the memory for it) that the model does not have.
struct AnalysisShape {
    int layers = 0, heads = 0, fourier_k = 0;
    std::vector<int> kept;   // the layers written, sorted
    long long images = 0;    // images analysed
};
// Bounds a shape read from a file (layers 1..4096, heads 1..1024, k 1..5000, layers x
// heads at most 2^20 and (2 layers + 1) x k at most 2^22, the kept layers sorted, distinct
// and below layers); InputError naming `what` otherwise. It bounds a merge's memory.
void check_analysis_shape(const AnalysisShape& s, const std::string& what);

// Reads the three files back into totals (analysis_read.cpp). Refused with InputError:
// a row not as kernelscope writes it (a layer "0x1", a bare formula, junk), duplicated,
// missing or outside `shape`; a count that is not the run's image count; sums that do
// not match the per-image rows, or that no set of numbers could have (a count of 0 with
// non-zero sums); non-finite numbers.
AnalysisTotals read_analysis_csvs(const std::string& mean_distance, const std::string& fourier, const std::string& per_image,
                                  const AnalysisShape& shape);

}  // namespace ks
