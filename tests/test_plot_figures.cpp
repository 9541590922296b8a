// Issue 18 ("True labels"), the Analyses window's figures and their files: the head
// palette reads on the plots' background for every head up to 16; the text in core's
// pictures is drawn (title, axis titles, legend) with the font found and with the
// built-in strokes; the distance export's PNG is the figure the window draws, and its
// PNG and CSV name the unit that figure plots.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "analysis/analysis_plots.h"
#include "analysis/attention_distance.h"
#include "image/image.h"
#include "io/file_output.h"
#include "draw/plot.h"
#include "draw/plot_palette.h"
#include "draw/plot_text.h"

namespace ks {
namespace {

// OKLab (Ottosson 2020): Euclidean distances there follow perceived colour differences.
std::array<double, 3> oklab(const Rgb& c) {
    double l[3];
    for (int i = 0; i < 3; ++i) l[i] = c[i] <= 0.04045 ? c[i] / 12.92 : std::pow((c[i] + 0.055) / 1.055, 2.4);
    const double L = std::cbrt(0.4122214708 * l[0] + 0.5363032703 * l[1] + 0.0514459929 * l[2]);
    const double M = std::cbrt(0.2119034982 * l[0] + 0.6806995451 * l[1] + 0.1073969566 * l[2]);
    const double S = std::cbrt(0.0883024619 * l[0] + 0.2817188376 * l[1] + 0.6299787005 * l[2]);
    return {0.2104542553 * L + 0.7936177850 * M - 0.0040720468 * S, 1.9779984951 * L - 2.4285922050 * M + 0.4505937099 * S,
            0.0259040371 * L + 0.7827717662 * M - 0.8086757660 * S};
}

double distance(const Rgb& a, const Rgb& b) {
    const auto p = oklab(a), q = oklab(b);
    return std::hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

// Pixels of `img` in rows [y0, y1) within `tol` (per channel) of `c`.
int pixels_near(const Image& img, int y0, int y1, const Rgb& c, float tol) {
    int n = 0;
    for (int y = std::max(0, y0); y < std::min(img.height, y1); ++y)
        for (int x = 0; x < img.width; ++x)
            if (std::fabs(img.at(x, y, 0) - c[0]) <= tol && std::fabs(img.at(x, y, 1) - c[1]) <= tol &&
                std::fabs(img.at(x, y, 2) - c[2]) <= tol)
                ++n;
    return n;
}

Image blank(int w, int h) {
    Image img;
    img.width = w;
    img.height = h;
    img.rgb.resize(static_cast<size_t>(w) * h * 3);
    for (size_t i = 0; i < img.rgb.size(); ++i) img.rgb[i] = plot_theme().background[i % 3];
    return img;
}

// 3 layers x 12 heads, original pixels twice the model's (a 2x photo).
MeanDistances sample_distances(int layers = 3, int heads = 12) {
    MeanDistances d;
    d.layers = layers;
    d.heads = heads;
    for (int l = 0; l < layers; ++l)
        for (int h = 0; h < heads; ++h) {
            d.model_px.push_back(10.0f + 5.0f * l + 0.7f * h);
            d.original_px.push_back(2.0f * d.model_px.back());
        }
    return d;
}

// The rows above the plot area: the title, the y axis's title and the legend.
constexpr int kHeaderRows = 62;

TEST(HeadPalette, EveryHeadUpTo16ReadsOnTheBackground) {
    for (int h = 0; h < kHeadPaletteSize; ++h)
        EXPECT_GE(contrast_ratio(head_color(h), plot_theme().background), 4.5) << "head " << h;
}

TEST(HeadPalette, The16ColoursAreDistinct) {
    for (int a = 0; a < kHeadPaletteSize; ++a)
        for (int b = 0; b < a; ++b) EXPECT_GE(distance(head_color(a), head_color(b)), 0.08) << "heads " << a << " and " << b;
}

TEST(HeadPalette, DepthColoursReadOnTheBackground) {
    for (int i = 0; i <= 20; ++i)
        EXPECT_GE(contrast_ratio(depth_color(i / 20.0f), plot_theme().background), 3.0) << "t = " << i / 20.0;
}

TEST(HeadPalette, ContrastRatioIsWcags) {
    EXPECT_NEAR(contrast_ratio({0, 0, 0}, {1, 1, 1}), 21.0, 1e-9);
    EXPECT_NEAR(contrast_ratio({0.5f, 0.5f, 0.5f}, {0.5f, 0.5f, 0.5f}), 1.0, 1e-9);
}

TEST(PlotFont, BothFacesDrawText) {
    std::vector<PlotFont> faces = {PlotFont::built_in()};
    if (PlotFont::standard().truetype()) faces.push_back(PlotFont::standard());
    for (const PlotFont& f : faces) {
        Image img = blank(300, 40);
        const Rgb white{1, 1, 1};
        EXPECT_EQ(pixels_near(img, 0, 40, white, 0.1f), 0);
        f.draw(img, 5, 5, "layer (model-input px) 0.25", 16, white);
        EXPECT_GT(pixels_near(img, 0, 40, white, 0.1f), 60) << (f.truetype() ? "DejaVu" : "built-in");
        // Nothing outside the line box: the text stays in its row.
        EXPECT_EQ(pixels_near(img, 30, 40, white, 0.5f), 0);
        EXPECT_GT(f.width("abcdef", 16), f.width("abc", 16));
        EXPECT_GT(f.width("abc", 32), f.width("abc", 16) * 1.5f);
    }
}

TEST(PlotFont, DejaVuIsFoundWhereBootstrapInstallsIt) {
    if (!PlotFont::from_file("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").truetype())
        GTEST_SKIP() << "fonts-dejavu-core is not installed";
    EXPECT_TRUE(PlotFont::standard().truetype());
}

TEST(PlotFont, AMissingFileFallsBackToTheStrokes) {
    const PlotFont f = PlotFont::from_file("/nonexistent/font.ttf");
    EXPECT_FALSE(f.truetype());
    Image img = blank(100, 30);
    f.draw(img, -50, -5, "cut off at the edges, never outside the image", 16, {1, 1, 1});
    EXPECT_GT(pixels_near(img, 0, 30, {1, 1, 1}, 0.1f), 0);
}

TEST(FlowItems, WrapsAtTheRightEdge) {
    const auto s = flow_items({35, 35, 35}, 50, 0, 120, 10);
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s[0].row, 0);
    EXPECT_FLOAT_EQ(s[0].x, 50);
    EXPECT_EQ(s[1].row, 1);  // 95 + 35 > 120
    EXPECT_FLOAT_EQ(s[1].x, 0);
    EXPECT_EQ(s[2].row, 1);
    EXPECT_FLOAT_EQ(s[2].x, 45);
    // An item wider than a row gets its own row, not an empty one before it.
    const auto w = flow_items({500}, 0, 0, 120, 10);
    EXPECT_EQ(w[0].row, 0);
}

TEST(PlotImage, TitleAxisTitlesAndLegendAreDrawnAboveAndBelowThePlot) {
    DistancePlot p = distance_plot(sample_distances(), DistanceUnit::OriginalPixels);
    p.title = "Mean attention distance per layer and head: input A (cat.jpg)";
    const Image with = plot_image(distance_figure(p));
    p.title.clear();
    const Image without = plot_image(distance_figure(p));
    const PlotTheme& th = plot_theme();
    // The title, in the text colour, in the top band, the y axis's title under it; without
    // a title the y axis's title moves up into that band.
    EXPECT_GT(pixels_near(with, 0, 30, th.text, 0.05f), 100);
    EXPECT_EQ(pixels_near(with, 0, 30, th.muted, 0.02f), 0);
    EXPECT_GT(pixels_near(without, 0, 30, th.muted, 0.02f), 50);
    // The y axis's title (muted) over the plot, the x axis's title and tick numbers under it.
    EXPECT_GT(pixels_near(with, 30, kHeaderRows, th.muted, 0.02f), 50);
    EXPECT_GT(pixels_near(with, with.height - 40, with.height, th.muted, 0.02f), 20);
    // Every head's legend swatch in the header, above the data.
    for (int h = 0; h < 12; ++h) EXPECT_GT(pixels_near(with, 30, kHeaderRows, head_color(h), 0.01f), 4) << "head " << h;
}

TEST(PlotImage, MissingValuesDrawNothing) {
    Figure f;
    PlotSeries s;
    s.x = {0, 1, 2, 3};
    s.y = {1, NAN, INFINITY, 2};
    s.line = true;
    f.series = {s};
    f.spec.fixed_range = true;
    f.spec.x0 = -1, f.spec.x1 = 4, f.spec.y0 = 0, f.spec.y1 = 3;
    const Image img = plot_image(f);
    // The two finite points' dots are drawn; nothing joins them across the missing values.
    EXPECT_GT(pixels_near(img, 0, img.height, s.color, 0.01f), 40);
    EXPECT_LT(pixels_near(img, 0, img.height, s.color, 0.01f), 200);
}

TEST(PlotImage, ThePictureHasTheRequestedSizeAndTheThemesBackground) {
    Figure f;
    f.spec.width = 500;
    f.spec.height = 300;
    const Image img = plot_image(f);
    EXPECT_EQ(img.width, 500);
    EXPECT_EQ(img.height, 300);
    for (int c = 0; c < 3; ++c) EXPECT_FLOAT_EQ(img.at(img.width - 1, img.height - 1, c), plot_theme().background[c]);
}

TEST(DistanceExport, PlotsAndNamesTheUnitShown) {
    const MeanDistances d = sample_distances();
    for (DistanceUnit u : {DistanceUnit::OriginalPixels, DistanceUnit::ModelInputPixels}) {
        const bool orig = u == DistanceUnit::OriginalPixels;
        const std::string tag = orig ? "original_px" : "model_input_px", other = orig ? "model_input_px" : "original_px";
        const DistancePlot p = distance_plot(d, u);
        const Figure f = distance_figure(p);
        // The figure (the window draws it) plots this unit and says so.
        EXPECT_EQ(f.spec.y_label, orig ? "mean attention distance (original-image px)" : "mean attention distance (model-input px)");
        ASSERT_EQ(f.series.size(), 12u);
        for (int h = 0; h < 12; ++h)
            for (int l = 0; l < 3; ++l)
                EXPECT_FLOAT_EQ(static_cast<float>(f.series[h].y[l]), (orig ? d.original_px : d.model_px)[l * 12 + h]);
        // The files: the PNG named by the unit and equal to the figure's picture, the CSV
        // with the plotted unit first.
        const auto files = distance_files(p);
        ASSERT_EQ(files.size(), 2u);
        EXPECT_EQ(files[0].first, "mean_attention_distance_" + tag + ".png");
        const Image shown = plot_image(f);
        EXPECT_EQ(files[0].second, png_bytes(to_rgb8(shown), shown.width, shown.height));
        EXPECT_EQ(files[1].first, "mean_attention_distance.csv");
        const std::string& csv = files[1].second;
        EXPECT_EQ(csv.substr(0, csv.find('\n')), "layer,head,mean_distance_" + tag + ",mean_distance_" + other);
        char row[64];
        std::snprintf(row, sizeof row, "\n1,2,%.9g,%.9g\n", static_cast<double>((orig ? d.original_px : d.model_px)[14]),
                      static_cast<double>((orig ? d.model_px : d.original_px)[14]));
        EXPECT_NE(csv.find(row), std::string::npos) << csv;
    }
}

TEST(DistanceExport, TheFolderBandIsDrawnWrittenAndNamed) {
    AnalysisTotals t;
    t.init(3, 2, 0, {});
    t.layers_kept = {0, 1, 2};
    for (auto* s : {&t.distance_px, &t.distance_orig})
        for (size_t i = 0; i < s->size(); ++i) {
            (*s)[i].add(10.0 + i);
            (*s)[i].add(14.0 + i);   // mean 12 + i, std 2
        }
    t.images = 2;
    const DistanceBand b = distance_band(t, DistanceUnit::ModelInputPixels);
    EXPECT_DOUBLE_EQ(b.mean[1], (14.0 + 15.0) / 2);
    EXPECT_DOUBLE_EQ(b.stddev[1], 2.0);
    DistancePlot p = distance_plot(sample_distances(3, 2), DistanceUnit::ModelInputPixels);
    p.band = b;
    const Figure f = distance_figure(p);
    EXPECT_EQ(f.spec.bands.size(), 3u);
    EXPECT_EQ(f.spec.legend.back().mark, LegendMark::Band);
    EXPECT_NE(f.spec.legend.back().label.find("2 images"), std::string::npos);
    const auto files = distance_files(p);
    ASSERT_EQ(files.size(), 3u);
    EXPECT_EQ(files[2].first, "folder_band_model_input_px.csv");
    EXPECT_EQ(files[2].second.substr(0, files[2].second.find('\n')), "layer,folder_mean_model_input_px,folder_std_model_input_px,images");
    // Totals of a folder plot their means, with their spread as the band.
    const DistancePlot q = distance_plot(t, DistanceUnit::OriginalPixels);
    EXPECT_DOUBLE_EQ(q.original[3], 15.0);
    ASSERT_TRUE(q.band.has_value());
}

TEST(AnalysisPlots, EveryFigureCarriesItsWords) {
    AnalysisTotals t;
    t.init(2, 3, 4, {});
    for (auto* s : {&t.distance_px, &t.distance_orig})
        for (size_t i = 0; i < s->size(); ++i) (*s)[i].add(5.0 + i);
    for (size_t i = 0; i < t.fourier.size(); ++i) t.fourier[i].add(-0.1 * static_cast<double>(i % 4));
    t.images = 1;
    const auto plots = analysis_plots(t);
    ASSERT_EQ(plots.size(), 3u);
    for (const auto& [name, img] : plots) {
        EXPECT_GT(pixels_near(img, 0, 30, plot_theme().text, 0.05f), 100) << name << ": title";
        EXPECT_GT(pixels_near(img, 30, kHeaderRows, plot_theme().muted, 0.02f), 50) << name << ": y axis title";
    }
    const Figure depth = fourier_depth_figure(fourier_curves(t), "");
    EXPECT_EQ(depth.spec.legend.size(), 3u);
    EXPECT_EQ(depth.spec.bands.size(), 2u);  // one shaded MSA column per block
}

TEST(KernelSpectra, TheFigureNamesBothKernelsAndTheirShares) {
    const std::vector<float> grid = {0, 0, 0, 0, 1, 0, 0, 0, 0};
    const KernelSpectrum s = kernel_spectrum(grid, 3, 3);
    const Image img = kernel_spectra_image(s, "attention", s, "conv", "Spectra at the query");
    EXPECT_EQ(img.width, 960);
    EXPECT_GT(pixels_near(img, 0, 30, plot_theme().text, 0.05f), 100);
    const Rgb attention_share{1.0f, 0.667f, 0.235f}, conv_share{0.353f, 0.784f, 1.0f};
    EXPECT_GT(pixels_near(img, 0, img.height, attention_share, 0.02f), 40);
    EXPECT_GT(pixels_near(img, 0, img.height, conv_share, 0.02f), 40);
}

}  // namespace
}  // namespace ks
