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
};

// Parses "--layers": comma-separated 0-based indices and ranges "a-b" (e.g. "0,3-5,11"),
// each below `layers`; "all" or "" = every layer. Sorted, duplicates dropped.
std::vector<int> parse_layer_list(const std::string& spec, int layers);

// The CSV files (header line first, "\n" line ends, numbers with 17 significant digits
// where they feed a merge). Layouts:
//   mean_attention_distance.csv: layer,head,mean_distance_px,std_px,images,sum_px,sum_sq_px,
//                                mean_distance_original_px,std_original_px,sum_original_px,sum_sq_original_px
//   fourier.csv:                 block,part,k,dlogamp,images,std,sum,sum_sq
//   per_image.csv:               image,layer,head,mean_distance_px,mean_distance_original_px
std::string mean_distance_csv(const AnalysisTotals& t);
std::string fourier_csv(const AnalysisTotals& t);
std::string per_image_csv(const AnalysisTotals& t);
// Reads the three files back (the texts above) into totals; InputError on a malformed file.
AnalysisTotals totals_from_csv(const std::string& mean_distance, const std::string& fourier, const std::string& per_image);


}  // namespace ks
