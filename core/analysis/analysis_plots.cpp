#include "analysis/analysis_plots.h"

#include "render/colormap.h"
#include "render/plot.h"

namespace ks {

std::vector<std::pair<std::string, Image>> analysis_plots(const AnalysisTotals& t) {
    std::vector<std::pair<std::string, Image>> out;
    PlotSpec spec;
    spec.integer_x_ticks = true;

    std::vector<PlotSeries> mad;
    PlotSeries heads, means;
    heads.color = {0.15f, 0.35f, 0.75f};
    means.color = {0.6f, 0.6f, 0.6f};
    means.line = true;
    means.dots = false;
    for (int l : t.layers_kept) {
        double sum = 0;
        for (int h = 0; h < t.heads; ++h) {
            const double m = t.distance_px[static_cast<size_t>(l) * t.heads + h].mean();
            heads.x.push_back(l);
            heads.y.push_back(m);
            sum += m;
        }
        means.x.push_back(l);
        means.y.push_back(t.heads > 0 ? sum / t.heads : 0.0);
    }
    mad = {means, heads};
    out.emplace_back("mean_attention_distance.png", plot_image(spec, mad));

    // Depth positions: input at 0, block l's MSA at 2l + 1 and MLP at 2l + 2.
    const int last = t.fourier_k - 1;
    auto hf = [&](int index) { return last >= 0 ? t.fourier[static_cast<size_t>(index) * t.fourier_k + last].mean() : 0.0; };
    PlotSeries path, input, msa, mlp;
    path.line = true;
    path.dots = false;
    path.color = {0.65f, 0.65f, 0.65f};
    input.color = {0.2f, 0.2f, 0.2f};
    msa.color = {0.85f, 0.2f, 0.15f};
    mlp.color = {0.15f, 0.35f, 0.85f};
    PlotSpec fs = spec;
    fs.zero_line = true;
    input.x = {0};
    input.y = {hf(0)};
    path.x = input.x;
    path.y = input.y;
    for (int l : t.layers_kept) {
        for (int part = 1; part <= 2; ++part) {
            const double x = 2 * l + part, y = hf(1 + 2 * l + part - 1);
            PlotSeries& s = part == 1 ? msa : mlp;
            s.x.push_back(x);
            s.y.push_back(y);
            path.x.push_back(x);
            path.y.push_back(y);
        }
        fs.shade_x.emplace_back(2 * l + 0.5, 2 * l + 1.5);
    }
    out.emplace_back("fourier.png", plot_image(fs, {path, input, msa, mlp}));

    std::vector<PlotSeries> curves;
    std::vector<int> maps = {0};
    for (int l : t.layers_kept) {
        maps.push_back(1 + 2 * l);
        maps.push_back(2 + 2 * l);
    }
    for (size_t i = 0; i < maps.size(); ++i) {
        PlotSeries s;
        s.line = true;
        s.dot_radius = 2;
        const auto c = colormap_rgb(Colormap::Viridis, maps.size() > 1 ? 0.9f * static_cast<float>(i) / (maps.size() - 1) : 0.0f);
        s.color = {c[0], c[1], c[2]};
        for (int k = 0; k < t.fourier_k; ++k) {
            s.x.push_back(k);
            s.y.push_back(t.fourier[static_cast<size_t>(maps[i]) * t.fourier_k + k].mean());
        }
        curves.push_back(std::move(s));
    }
    PlotSpec cs = spec;
    cs.zero_line = true;
    out.emplace_back("fourier_curves.png", plot_image(cs, curves));
    return out;
}

}  // namespace ks
