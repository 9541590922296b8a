#include "analysis/analysis_plots.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "io/csv.h"
#include "io/file_output.h"
#include "draw/colormap.h"
#include "draw/number_format.h"
#include "draw/plot_palette.h"
#include "draw/plot_text.h"

namespace ks {

namespace {

DistanceUnit other_unit(DistanceUnit u) {
    return u == DistanceUnit::OriginalPixels ? DistanceUnit::ModelInputPixels : DistanceUnit::OriginalPixels;
}

std::vector<int> all_layers(int layers) {
    std::vector<int> v(static_cast<size_t>(std::max(0, layers)));
    for (int l = 0; l < layers; ++l) v[static_cast<size_t>(l)] = l;
    return v;
}

// "input", "block 3 MSA", "block 3 MLP": a curve's name in legends.
std::string curve_name(const FourierCurve& c) {
    if (c.part == SubBlock::Input) return "input";
    return "block " + std::to_string(c.block) + (c.part == SubBlock::Msa ? " MSA" : " MLP");
}

const Rgb kMsaColor{1.0f, 0.353f, 0.353f}, kMlpColor{0.353f, 0.627f, 1.0f}, kInputColor{0.9f, 0.9f, 0.9f};
const Rgb kBandColor{0.47f, 0.67f, 1.0f};

}  // namespace

const char* distance_unit_words(DistanceUnit u) {
    return u == DistanceUnit::OriginalPixels ? "original-image px" : "model-input px";
}

const char* distance_unit_tag(DistanceUnit u) { return u == DistanceUnit::OriginalPixels ? "original_px" : "model_input_px"; }

std::string distance_axis_title(DistanceUnit u) { return std::string("mean attention distance (") + distance_unit_words(u) + ")"; }

DistanceBand distance_band(const AnalysisTotals& t, DistanceUnit u) {
    const auto& s = u == DistanceUnit::OriginalPixels ? t.distance_orig : t.distance_px;
    DistanceBand b;
    b.images = t.images;
    b.mean.assign(static_cast<size_t>(t.layers), NAN);
    b.stddev.assign(static_cast<size_t>(t.layers), NAN);
    for (int l : t.layers_kept) {
        if (l < 0 || l >= t.layers || t.heads <= 0) continue;
        double m = 0, sd = 0;
        for (int h = 0; h < t.heads; ++h) {
            m += s[static_cast<size_t>(l) * t.heads + h].mean();
            sd += s[static_cast<size_t>(l) * t.heads + h].stddev();
        }
        b.mean[static_cast<size_t>(l)] = m / t.heads;
        b.stddev[static_cast<size_t>(l)] = sd / t.heads;
    }
    return b;
}

DistancePlot distance_plot(const MeanDistances& d, DistanceUnit u) {
    DistancePlot p;
    p.layers = d.layers;
    p.heads = d.heads;
    p.layers_kept = all_layers(d.layers);
    p.original.assign(d.original_px.begin(), d.original_px.end());
    p.model.assign(d.model_px.begin(), d.model_px.end());
    p.unit = u;
    return p;
}

DistancePlot distance_plot(const AnalysisTotals& t, DistanceUnit u) {
    DistancePlot p;
    p.layers = t.layers;
    p.heads = t.heads;
    p.layers_kept = t.layers_kept;
    p.unit = u;
    for (size_t i = 0; i < t.distance_px.size(); ++i) {
        p.model.push_back(t.distance_px[i].mean());
        p.original.push_back(i < t.distance_orig.size() ? t.distance_orig[i].mean() : NAN);
    }
    if (t.images > 1) p.band = distance_band(t, u);
    return p;
}

double head_x(int layer, int head, int heads) { return layer + (heads > 1 ? (head - (heads - 1) * 0.5) * 0.5 / heads : 0.0); }

Figure distance_figure(const DistancePlot& p) {
    Figure f;
    PlotSpec& s = f.spec;
    s.title = p.title;
    s.y_label = distance_axis_title(p.unit);
    s.x_label = "layer";
    s.integer_x_ticks = true;
    const std::vector<double>& v = p.shown();
    double hi = 0;
    if (p.heads > 1) s.legend.push_back({"head", {}, LegendMark::None});
    for (int h = 0; h < p.heads; ++h) {
        s.legend.push_back({p.heads > 1 ? std::to_string(h) : "head 0", head_color(h), LegendMark::Dot});
        PlotSeries ser;
        ser.color = head_color(h);
        for (int l : p.layers_kept) {
            const size_t i = static_cast<size_t>(l) * p.heads + h;
            if (i >= v.size()) continue;
            ser.x.push_back(head_x(l, h, p.heads));
            ser.y.push_back(v[i]);
            if (std::isfinite(v[i])) hi = std::max(hi, v[i]);
        }
        f.series.push_back(std::move(ser));
    }
    if (p.band) {
        for (int l : p.layers_kept) {
            if (l < 0 || static_cast<size_t>(l) >= p.band->mean.size()) continue;
            const double m = p.band->mean[static_cast<size_t>(l)], sd = p.band->stddev[static_cast<size_t>(l)];
            if (!std::isfinite(m) || !std::isfinite(sd)) continue;
            s.bands.push_back({l - 0.35, l + 0.35, std::max(0.0, m - sd), m + sd, kBandColor, 0.24f});
            hi = std::max(hi, m + sd);
        }
        s.legend.push_back({"mean +- std over " + std::to_string(p.band->images) + " images (head average)", kBandColor,
                            LegendMark::Band, 0.24f});
    }
    s.fixed_range = true;
    s.x0 = (p.layers_kept.empty() ? 0 : p.layers_kept.front()) - 0.5;
    s.x1 = (p.layers_kept.empty() ? 0 : p.layers_kept.back()) + 0.5;
    s.y0 = 0;
    s.y1 = hi * 1.1 + 1e-9;
    return f;
}

std::string distance_csv(const DistancePlot& p) {
    const DistanceUnit o = other_unit(p.unit);
    const std::vector<double>& a = p.shown();
    const std::vector<double>& b = o == DistanceUnit::OriginalPixels ? p.original : p.model;
    std::string s = std::string("layer,head,mean_distance_") + distance_unit_tag(p.unit) + ",mean_distance_" + distance_unit_tag(o) + "\n";
    for (int l : p.layers_kept)
        for (int h = 0; h < p.heads; ++h) {
            const size_t i = static_cast<size_t>(l) * p.heads + h;
            if (i >= a.size() || i >= b.size()) continue;
            s += std::to_string(l) + "," + std::to_string(h) + "," + csv_digits(a[i], 9) + "," + csv_digits(b[i], 9) + "\n";
        }
    return s;
}

std::string distance_band_csv(const DistancePlot& p) {
    if (!p.band) return "";
    const std::string tag = distance_unit_tag(p.unit);
    std::string s = "layer,folder_mean_" + tag + ",folder_std_" + tag + ",images\n";
    for (int l : p.layers_kept) {
        if (l < 0 || static_cast<size_t>(l) >= p.band->mean.size()) continue;
        s += std::to_string(l) + "," + csv_digits(p.band->mean[static_cast<size_t>(l)], 9) + "," +
             csv_digits(p.band->stddev[static_cast<size_t>(l)], 9) + "," + std::to_string(p.band->images) + "\n";
    }
    return s;
}

std::vector<NamedFile> distance_files(const DistancePlot& p) {
    const Image img = plot_image(distance_figure(p));
    const std::string tag = distance_unit_tag(p.unit);
    std::vector<NamedFile> f = {{"mean_attention_distance_" + tag + ".png", png_bytes(to_rgb8(img), img.width, img.height)},
                                {"mean_attention_distance.csv", distance_csv(p)}};
    if (p.band) f.emplace_back("folder_band_" + tag + ".csv", distance_band_csv(p));
    return f;
}

std::vector<FourierCurve> fourier_curves(const std::vector<SubBlockProfile>& profiles) {
    std::vector<FourierCurve> out;
    for (const auto& p : profiles) out.push_back({p.block, p.part, std::vector<double>(p.profile.delta.begin(), p.profile.delta.end())});
    return out;
}

std::vector<FourierCurve> fourier_curves(const AnalysisTotals& t) {
    auto curve = [&](int index, int block, SubBlock part) {
        FourierCurve c{block, part, {}};
        for (int k = 0; k < t.fourier_k; ++k) c.delta.push_back(t.fourier[static_cast<size_t>(index) * t.fourier_k + k].mean());
        return c;
    };
    std::vector<FourierCurve> out = {curve(0, -1, SubBlock::Input)};
    for (int l : t.layers_kept) {
        out.push_back(curve(1 + 2 * l, l, SubBlock::Msa));
        out.push_back(curve(2 + 2 * l, l, SubBlock::Mlp));
    }
    return out;
}

double depth_position(int block, SubBlock part) {
    return part == SubBlock::Input ? 0.0 : 2.0 * block + (part == SubBlock::Msa ? 1.0 : 2.0);
}

Figure fourier_curves_figure(const std::vector<FourierCurve>& c, const std::string& title) {
    Figure f;
    PlotSpec& s = f.spec;
    s.title = title;
    s.y_label = "dL(k): log amplitude relative to k = 0";
    s.x_label = "frequency k (0 = DC, last = highest)";
    s.integer_x_ticks = true;
    s.zero_line = true;
    const size_t n = c.size();
    size_t kmax = 1;
    double lo = 0, hi = 0;
    for (size_t i = 0; i < n; ++i) {
        PlotSeries ser;
        ser.line = true;
        ser.dots = false;
        ser.color = depth_color(n > 1 ? static_cast<float>(i) / static_cast<float>(n - 1) : 1.0f);
        for (size_t k = 0; k < c[i].delta.size(); ++k) {
            ser.x.push_back(static_cast<double>(k));
            ser.y.push_back(c[i].delta[k]);
            if (std::isfinite(c[i].delta[k])) lo = std::min(lo, c[i].delta[k]), hi = std::max(hi, c[i].delta[k]);
        }
        kmax = std::max(kmax, c[i].delta.size() > 0 ? c[i].delta.size() - 1 : 0);
        f.series.push_back(std::move(ser));
    }
    // The colour runs with depth: name the first, the middle and the last curve.
    s.legend.push_back({"depth:", {}, LegendMark::None});
    std::vector<size_t> named = {0};
    if (n > 2) named.push_back(n / 2);
    if (n > 1) named.push_back(n - 1);
    for (size_t i : named) s.legend.push_back({curve_name(c[i]), f.series[i].color, LegendMark::Line});
    const double pad = 0.05 * std::max(hi - lo, 1e-9);
    s.fixed_range = true;
    s.x0 = 0;
    s.x1 = static_cast<double>(kmax);
    s.y0 = lo - pad;
    s.y1 = hi + pad;
    return f;
}

Figure fourier_depth_figure(const std::vector<FourierCurve>& c, const std::string& title) {
    Figure f;
    PlotSpec& s = f.spec;
    s.title = title;
    s.y_label = "high-frequency dL (largest k)";
    s.x_label = "depth (input, then each block's MSA, MLP)";
    s.integer_x_ticks = true;
    s.zero_line = true;
    PlotSeries path, input, msa, mlp;
    path.line = true;
    path.dots = false;
    path.color = {0.63f, 0.63f, 0.67f};
    path.alpha = 0.63f;
    input.color = kInputColor;
    msa.color = kMsaColor;
    mlp.color = kMlpColor;
    double lo = 0, hi = 0, last = 0;
    for (const auto& cv : c) {
        const double x = depth_position(cv.block, cv.part), y = cv.delta.empty() ? 0.0 : cv.delta.back();
        PlotSeries& dots = cv.part == SubBlock::Msa ? msa : cv.part == SubBlock::Mlp ? mlp : input;
        dots.x.push_back(x);
        dots.y.push_back(y);
        path.x.push_back(x);
        path.y.push_back(y);
        if (cv.part == SubBlock::Msa) s.bands.push_back({x - 0.5, x + 0.5, -INFINITY, INFINITY, kMsaColor, 0.11f});
        if (std::isfinite(y)) lo = std::min(lo, y), hi = std::max(hi, y);
        last = std::max(last, x);
    }
    f.series = {path, input, msa, mlp};
    s.legend = {{"input", kInputColor, LegendMark::Dot},
                {"after MSA (shaded)", kMsaColor, LegendMark::Dot},
                {"after MLP", kMlpColor, LegendMark::Dot}};
    const double pad = 0.08 * std::max(hi - lo, 1e-9);
    s.fixed_range = true;
    s.x0 = -0.5;
    s.x1 = last + 0.5;
    s.y0 = lo - pad;
    s.y1 = hi + pad;
    return f;
}

namespace {

// The spectra figure's own pixels: nearest-upscaled spectra, an anti-aliased ellipse,
// and text; plot.cpp's canvas is private to the plots.
struct SpectraCanvas {
    Image img;
    void blend(int x, int y, const Rgb& c, float a) {
        if (x < 0 || y < 0 || x >= img.width || y >= img.height || a <= 0) return;
        for (int ch = 0; ch < 3; ++ch) img.at(x, y, ch) += (c[ch] - img.at(x, y, ch)) * std::min(1.0f, a);
    }
    // The ellipse's rim, 1.5 px wide, from its distance in units of the radii.
    void ellipse(double cx, double cy, double rx, double ry, const Rgb& c, float a) {
        for (int y = static_cast<int>(cy - ry - 2); y <= static_cast<int>(cy + ry + 2); ++y)
            for (int x = static_cast<int>(cx - rx - 2); x <= static_cast<int>(cx + rx + 2); ++x) {
                const double u = (x + 0.5 - cx) / rx, v = (y + 0.5 - cy) / ry, r = std::hypot(u, v);
                const double d = std::fabs(r - 1.0) * std::min(rx, ry);  // about the distance in pixels
                blend(x, y, c, a * static_cast<float>(std::clamp(1.25 - d, 0.0, 1.0)));
            }
    }
};

// One spectrum at (x0, y0), `side` wide: log(1 + |F|) over its max in magma, each bin a block.
void draw_spectrum(SpectraCanvas& cv, const KernelSpectrum& s, int x0, int y0, int side) {
    float mx = 0;
    for (float v : s.amplitude) mx = std::max(mx, std::log1p(v));
    const int h = static_cast<int>(std::lround(static_cast<double>(side) * s.height / std::max(1, s.width)));
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < side; ++x) {
            const int v = std::min(s.height - 1, y * s.height / std::max(1, h)), u = std::min(s.width - 1, x * s.width / side);
            const float a = s.amplitude[static_cast<size_t>(v) * s.width + u];
            cv.blend(x0 + x, y0 + y, colormap_rgb(Colormap::Magma, mx > 0 ? std::log1p(a) / mx : 0.0f), 1.0f);
        }
}

}  // namespace

Image kernel_spectra_image(const KernelSpectrum& attention, const std::string& attention_label, const KernelSpectrum& conv,
                           const std::string& conv_label, const std::string& title) {
    const PlotTheme& th = plot_theme();
    const PlotFont& font = PlotFont::standard();
    const float px = 16, line = std::round(px * 1.35f), pad = 12;
    const int W = 960, colw = static_cast<int>((W - 3 * pad) / 2), margin = static_cast<int>(px * 2.6f);
    const int side = std::min(colw - margin - static_cast<int>(pad), 380);
    const KernelSpectrum* specs[2] = {&attention, &conv};
    int img_h = 0;
    for (const KernelSpectrum* s : specs) img_h = std::max(img_h, static_cast<int>(std::lround(static_cast<double>(side) * s->height / std::max(1, s->width))));
    // Room over each spectrum for its name and for half of the top tick's number.
    const float top = pad + (title.empty() ? 0.0f : std::round(line * 1.25f)) + line + std::round(px * 0.6f);
    const int H = static_cast<int>(top + img_h + 4 * line + 2 * line + pad);
    SpectraCanvas cv;
    cv.img.width = W;
    cv.img.height = H;
    cv.img.rgb.resize(static_cast<size_t>(W) * H * 3);
    for (size_t i = 0; i < cv.img.rgb.size(); ++i) cv.img.rgb[i] = th.background[i % 3];
    if (!title.empty()) font.draw(cv.img, pad, pad, title, px * 1.15f, th.text);
    const Rgb share_colors[2] = {{1.0f, 0.667f, 0.235f}, {0.353f, 0.784f, 1.0f}};  // as the window's share lines
    const std::string labels[2] = {attention_label, conv_label};
    for (int i = 0; i < 2; ++i) {
        const KernelSpectrum& s = *specs[i];
        const int x0 = static_cast<int>(pad + i * (colw + pad)) + margin, y0 = static_cast<int>(top);
        const int h = static_cast<int>(std::lround(static_cast<double>(side) * s.height / std::max(1, s.width)));
        font.draw(cv.img, static_cast<float>(x0 - margin), top - line - std::round(px * 0.6f), labels[i], px, th.text);
        if (s.width <= 0 || s.height <= 0) continue;
        draw_spectrum(cv, s, x0, y0, side);
        // Bin u holds frequency (u - width/2) / width cycles per patch: DC's bin centre is the
        // circle's centre, a quarter cycle its radius (half of Nyquist).
        const double bw = static_cast<double>(side) / s.width, bh = static_cast<double>(h) / s.height;
        const double cx = x0 + (s.width / 2 + 0.5) * bw, cy = y0 + (s.height / 2 + 0.5) * bh;
        cv.ellipse(cx, cy, 0.25 * s.width * bw, 0.25 * s.height * bh, {1, 1, 1}, 0.6f);
        for (double fq : {-0.5, -0.25, 0.0, 0.25}) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "%g", fq);
            const double tx = cx + fq * s.width * bw, ty = cy + fq * s.height * bh;
            if (tx >= x0 && tx <= x0 + side)
                font.draw(cv.img, static_cast<float>(tx) - font.width(buf, px) * 0.5f, static_cast<float>(y0 + h) + 2, buf, px, th.muted);
            if (ty >= y0 && ty <= y0 + h)
                font.draw(cv.img, static_cast<float>(x0) - font.width(buf, px) - 4, static_cast<float>(ty) - px * 0.6f, buf, px, th.muted);
        }
        font.draw(cv.img, static_cast<float>(x0), static_cast<float>(y0 + h) + line + 2, "frequency across, down (cycles / patch)", px,
                  th.muted);
        font.draw(cv.img, static_cast<float>(x0), static_cast<float>(y0 + h) + 2 * line + 4,
                  "high-frequency share " + format_for_people(s.high_frequency_share), px, share_colors[i]);
    }
    const float cap = top + img_h + 3 * line + 12;
    font.draw(cv.img, pad, cap, "|DFT| of each kernel on the patch grid: log(1 + |F|) over its own max (magma), DC at the centre.", px,
              th.muted);
    font.draw(cv.img, pad, cap + line, "Circle: half the Nyquist frequency (1/4 cycle per patch); the share is the energy outside it.",
              px, th.muted);
    return cv.img;
}

std::vector<std::pair<std::string, Image>> analysis_plots(const AnalysisTotals& t) {
    const std::string over = " (" + std::to_string(t.images) + (t.images == 1 ? " image)" : " images)");
    DistancePlot d = distance_plot(t, DistanceUnit::ModelInputPixels);
    d.title = "Mean attention distance per layer and head" + over;
    const std::vector<FourierCurve> c = fourier_curves(t);
    std::vector<std::pair<std::string, Image>> out;
    out.emplace_back("mean_attention_distance.png", plot_image(distance_figure(d)));
    out.emplace_back("fourier.png", plot_image(fourier_depth_figure(c, "High-frequency dL against depth" + over)));
    out.emplace_back("fourier_curves.png", plot_image(fourier_curves_figure(c, "Fourier dL(k) of every sub-block's tokens" + over)));
    return out;
}

}  // namespace ks
