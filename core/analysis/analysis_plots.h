#pragma once
// The analyses' figures, built once as plot.h Figures so the Analyses window (ImGui) and
// the files (plot_image) draw the same data, ranges, colours, words and units:
//   mean attention distance: layer on x, one dot per head in the head palette, in
//       original-image or model-input pixels, optionally an analysed folder's band
//       (Dosovitskiy et al., Fig. 7);
//   Fourier dL(k) curves: every sub-block's token maps, coloured input -> last block;
//   Fourier depth: high-frequency dL against depth, MSA (shaded) and MLP apart
//       (Park & Kim, Fig. 2 / Fig. 8);
//   kernel spectra: the attention and conv kernels' |DFT| side by side.
// `kernelscope analyze` writes the first three beside its CSVs, from the totals alone
// (so a merge draws them too).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/folder_analysis.h"
#include "analysis/kernel_spectrum.h"
#include "image/image.h"
#include "draw/plot.h"

namespace ks {

using NamedFile = std::pair<std::string, std::string>;  // file name, bytes

// ---- mean attention distance ----

enum class DistanceUnit { OriginalPixels, ModelInputPixels };
// "original-image px" / "model-input px": the words on axes and in messages.
const char* distance_unit_words(DistanceUnit u);
// "original_px" / "model_input_px": the tag in file and column names.
const char* distance_unit_tag(DistanceUnit u);
// "mean attention distance (original-image px)": the y axis's title.
std::string distance_axis_title(DistanceUnit u);

// Per layer, an analysed folder's head-averaged mean and standard deviation over its images.
struct DistanceBand {
    std::vector<double> mean, stddev;   // [layers]; NaN for a layer the folder did not keep
    long long images = 0;
};
DistanceBand distance_band(const AnalysisTotals& t, DistanceUnit u);

struct DistancePlot {
    int layers = 0, heads = 0;
    std::vector<int> layers_kept;          // the layers drawn, sorted
    std::vector<double> original, model;   // [layers][heads]: one image's, or the means over a folder
    DistanceUnit unit = DistanceUnit::OriginalPixels;   // the one drawn
    std::optional<DistanceBand> band;      // a folder's spread, drawn behind the dots
    std::string title;                     // the file's heading
    const std::vector<double>& shown() const { return unit == DistanceUnit::OriginalPixels ? original : model; }
};
DistancePlot distance_plot(const MeanDistances& d, DistanceUnit u);
// The means over the folder's images; with more than one image, their spread as the band.
DistancePlot distance_plot(const AnalysisTotals& t, DistanceUnit u);

// A head's dot is offset within its layer so the heads of one layer do not cover each other.
double head_x(int layer, int head, int heads);
// One series per head (series h = head h), so a tooltip can name what is under the pointer.
Figure distance_figure(const DistancePlot& p);
// layer,head,mean_distance_<shown unit>,mean_distance_<other unit>: the plotted unit first.
std::string distance_csv(const DistancePlot& p);
// layer,folder_mean_<unit>,folder_std_<unit>,images for the band; "" without one.
std::string distance_band_csv(const DistancePlot& p);
// What the PNG + CSV button writes: mean_attention_distance_<unit>.png (the plot as drawn),
// mean_attention_distance.csv and, with a band, folder_band_<unit>.csv.
std::vector<NamedFile> distance_files(const DistancePlot& p);

// ---- Fourier by sub-block ----

struct FourierCurve {
    int block = -1;                     // -1: the input tokens
    SubBlock part = SubBlock::Input;
    std::vector<double> delta;          // dL(k), k = 0 ..
};
std::vector<FourierCurve> fourier_curves(const std::vector<SubBlockProfile>& profiles);
std::vector<FourierCurve> fourier_curves(const AnalysisTotals& t);   // means over the images, kept layers
// x of a sub-block on the depth axis: input 0, block b's MSA 2b + 1, its MLP 2b + 2.
double depth_position(int block, SubBlock part);
Figure fourier_curves_figure(const std::vector<FourierCurve>& c, const std::string& title);
Figure fourier_depth_figure(const std::vector<FourierCurve>& c, const std::string& title);

// ---- kernel spectra ----

// Both spectra side by side with their names, the half-Nyquist circle, frequency axes in
// cycles per patch and the high-frequency shares, as the window draws them.
Image kernel_spectra_image(const KernelSpectrum& attention, const std::string& attention_label, const KernelSpectrum& conv,
                           const std::string& conv_label, const std::string& title);

// `kernelscope analyze`'s figures: mean_attention_distance.png (model-input pixels, as
// mean_attention_distance.csv's first columns), fourier.png, fourier_curves.png.
std::vector<std::pair<std::string, Image>> analysis_plots(const AnalysisTotals& t);

}  // namespace ks
