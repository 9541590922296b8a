#include "pipeline/render.h"
#include "io/csv.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>

#include "io/file_output.h"
#include "conv/filter_choice.h"
#include "analysis/measures.h"
#include "io/npy.h"
#include "kernels/elementwise.h"
#include "attention/view_extras.h"

namespace ks {

RenderResult render_builtin(const Image& image, const RenderOptions& opt) {
    RenderResult r;
    r.image = image;
    r.attention = similarity_attention(image, opt.sim);
    finish_render(r, opt);
    return r;
}

void finish_render(RenderResult& r, const RenderOptions& opt, const std::vector<ConvKernel>& extra_filters,
                   const Image* learned_input) {
    r.row = view_row(r.attention, opt.view);
    r.heatmap = patch_heatmap(r.row, r.attention.layout);
    if (opt.mass_threshold > 0) r.mass_mask = heatmap_mass_mask(r.heatmap, opt.mass_threshold);
    const auto learned = std::find_if(extra_filters.begin(), extra_filters.end(),
                                      [&](const ConvKernel& k) { return k.name == opt.filter; });
    if (learned == extra_filters.end() && is_data_dependent(opt.filter)) {
        const TokenLayout& lay = r.attention.layout;
        const bool patch = opt.view.kind == QueryKind::Patch;
        const auto p = patch ? patch_centre_pixel(r.image.width, r.image.height, lay.grid_h, lay.grid_w, opt.view.row, opt.view.col)
                             : std::array<int, 2>{r.image.width / 2, r.image.height / 2};
        r.data_dependent = true;
        r.kernel_x = p[0];
        r.kernel_y = p[1];
        const Plane lum = luminance(r.image);  // the guide for both the kernel at the query and the response
        r.kernel = data_dependent_kernel_at(opt.filter, lum, p[0], p[1], opt.bilateral, opt.dynamic);
        r.response = data_dependent_response(opt.filter, lum, opt.bilateral, opt.dynamic);
        r.response_rgb = opt.conv_mode == ConvMode::PerChannel ? data_dependent_response_rgb(opt.filter, r.image, opt.bilateral, opt.dynamic)
                                                               : Image{};
        return;
    }
    r.kernel = learned != extra_filters.end() ? *learned : fixed_filter(opt.filter, opt.gaussian_sigma, opt.user_weights);
    r.response = kernel_response(r.kernel.channels == 3 && learned_input ? *learned_input : r.image, r.kernel);
    r.response_rgb = opt.conv_mode == ConvMode::PerChannel ? correlate_rgb(r.image, r.kernel) : Image{};
}

namespace {

// The heatmap over the image, patch-exact, query patch outlined: `put(i, ch, value)`
// stores channel ch of pixel i (row-major). Rows run on the threads: a 12 MP export
// colours 12 million pixels per picture.
template <typename Put>
void overlay_pixels(const Image& image, const std::vector<float>& heatmap, const TokenLayout& layout, Colormap cmap,
                    float opacity, int query_row, int query_col, Put put) {
    const int gh = layout.grid_h, gw = layout.grid_w;
    float lo = heatmap.empty() ? 0.0f : *std::min_element(heatmap.begin(), heatmap.end());
    float hi = heatmap.empty() ? 1.0f : *std::max_element(heatmap.begin(), heatmap.end());
    const float span = hi > lo ? hi - lo : 1.0f;
    const bool outline = query_row >= 0 && query_col >= 0 && query_row < gh && query_col < gw;
    const int x0 = outline ? query_col * image.width / gw : 0, x1 = outline ? (query_col + 1) * image.width / gw - 1 : -1;
    const int y0 = outline ? query_row * image.height / gh : 0, y1 = outline ? (query_row + 1) * image.height / gh - 1 : -1;
    const int t = std::max(1, std::min(image.width, image.height) / 256 + 1);  // thicker on large images
#pragma omp parallel for schedule(static) if (static_cast<long long>(image.width) * image.height > (1 << 18))
    for (int y = 0; y < image.height; ++y) {
        // Patch-exact: every pixel takes the value of the grid cell it falls in, so the
        // picture shows what the model actually computed, not an interpolation.
        const int gr = std::min(gh - 1, y * gh / image.height);
        for (int x = 0; x < image.width; ++x) {
            const long long i = static_cast<long long>(y) * image.width + x;
            const bool edge = y >= y0 && y <= y1 && x >= x0 && x <= x1 &&
                              (x - x0 < t || x1 - x < t || y - y0 < t || y1 - y < t);
            if (edge) {  // cyan stands out on every map used
                put(i, 0, 0.2f);
                put(i, 1, 1.0f);
                put(i, 2, 1.0f);
                continue;
            }
            const int gc = std::min(gw - 1, x * gw / image.width);
            const auto c = colormap_rgb(cmap, (heatmap[static_cast<size_t>(gr) * gw + gc] - lo) / span);
            for (int ch = 0; ch < 3; ++ch) put(i, ch, (1 - opacity) * image.at(x, y, ch) + opacity * c[ch]);
        }
    }
}

}  // namespace

Image heatmap_overlay(const Image& image, const std::vector<float>& heatmap, const TokenLayout& layout, Colormap cmap,
                      float opacity, int query_row, int query_col) {
    Image out;
    out.width = image.width;
    out.height = image.height;
    out.rgb.resize(image.rgb.size());
    overlay_pixels(image, heatmap, layout, cmap, opacity, query_row, query_col,
                   [&](long long i, int ch, float v) { out.rgb[3 * i + ch] = v; });
    return out;
}

std::vector<unsigned char> heatmap_overlay_rgb8(const Image& image, const std::vector<float>& heatmap, const TokenLayout& layout,
                                                Colormap cmap, float opacity, int query_row, int query_col) {
    std::vector<unsigned char> out(image.rgb.size());
    overlay_pixels(image, heatmap, layout, cmap, opacity, query_row, query_col,
                   [&](long long i, int ch, float v) { out[3 * i + ch] = unit_to_byte(v); });
    return out;
}

Image kernel_picture(const ConvKernel& k, int cell) {
    Image out;
    out.width = out.height = k.size * cell + 1;
    out.rgb.assign(static_cast<size_t>(out.width) * out.height * 3, 0.25f);  // grid lines
    float m = 0;
    for (float v : k.w) m = std::max(m, std::fabs(v));
    if (m == 0) m = 1;
    for (int r = 0; r < k.size; ++r)
        for (int c = 0; c < k.size; ++c) {
            std::array<float, 3> col;
            if (k.channels == 3) {  // an RGB kernel: each channel's weight shown around mid-gray
                for (int ch = 0; ch < 3; ++ch) col[ch] = 0.5f + 0.5f * k.at(r, c, ch) / m;
            } else {
                col = colormap_rgb(Colormap::Diverging, 0.5f + 0.5f * k.at(r, c) / m);
            }
            for (int y = r * cell + 1; y < (r + 1) * cell; ++y)
                for (int x = c * cell + 1; x < (c + 1) * cell; ++x)
                    for (int ch = 0; ch < 3; ++ch) out.at(x, y, ch) = col[ch];
        }
    return out;
}

namespace {

Image response_rgb_picture(const Image& response) {
    Image out = response;
    const float m = robust_scale(response.rgb);
    for (float& v : out.rgb) v = std::clamp(0.5f + 0.5f * v / m, 0.0f, 1.0f);
    return out;
}

}  // namespace

std::string render_summary_json(const RenderResult& r, const RenderOptions& opt) {
    using nlohmann::json;
    const TokenLayout& lay = r.attention.layout;
    const RowStats att = row_stats(r.heatmap.data(), static_cast<int>(r.heatmap.size()));
    const RowStats full = row_stats(r.row.data(), static_cast<int>(r.row.size()));
    const KernelReadouts kr = kernel_readouts(r.kernel);
    json j;
    j["image"] = {{"width", r.image.width}, {"height", r.image.height}};
    j["grid"] = {{"rows", lay.grid_h}, {"cols", lay.grid_w}, {"patch", lay.patch}, {"prefix_tokens", lay.prefix_names}};
    j["patch_size"] = lay.patch;
    j["query"] = {{"row", opt.view.row}, {"col", opt.view.col}, {"token", query_token(r.attention, opt.view)}};
    j["attention"] = {{"shape", {r.attention.layers, r.attention.heads, r.attention.tokens, r.attention.tokens}},
                      {"entropy", full.entropy},
                      {"max_weight", full.max},
                      {"min_weight", full.min},
                      {"row_sum", full.sum},
                      {"support", full.support},
                      {"argmax_patch", {{"row", att.argmax / std::max(1, lay.grid_w)}, {"col", att.argmax % std::max(1, lay.grid_w)}}}};
    if (r.model_name == "similarity") {
        j["model"] = {{"name", "similarity"},
                      {"tau", opt.sim.tau},
                      {"lambda", opt.sim.lambda},
                      {"score", score_name(opt.sim.score)},
                      {"projection", opt.sim.projection == Projection::Identity ? "identity" : "random"},
                      {"seed", opt.sim.seed}};
    } else {
        j["model"] = {{"name", r.model_name}, {"configuration", r.model_description}};
        if (!r.top_logits.empty()) {
            json top = json::array();
            for (size_t i = 0; i < r.top_logits.size(); ++i) {
                json t = {{"class", r.top_logits[i].first}, {"logit", r.top_logits[i].second}};
                if (i < r.top_logit_names.size() && !r.top_logit_names[i].empty()) t["name"] = r.top_logit_names[i];
                top.push_back(std::move(t));
            }
            j["top5_logits"] = top;
        }
    }
    j["view"] = {{"layer", opt.view.layer},
                 {"head", opt.view.reduce == HeadReduce::Mean ? json("mean")
                          : opt.view.reduce == HeadReduce::Max ? json("max") : json(opt.view.head)},
                 {"query", opt.view.kind == QueryKind::Patch ? "patch" : opt.view.kind == QueryKind::Prefix ? "prefix" : "rollout"}};
    const std::vector<float> mad = mean_attention_distance(r.attention);
    json dist = json::array();
    for (int l = 0; l < r.attention.layers; ++l)
        dist.push_back(std::vector<float>(mad.begin() + l * r.attention.heads, mad.begin() + (l + 1) * r.attention.heads));
    j["mean_attention_distance_px"] = dist;
    if (!r.fourier_high_frequency.empty()) j["fourier_high_frequency"] = r.fourier_high_frequency;
    j["tokens"] = {{"count", r.attention.tokens}, {"prefix", lay.prefix_names}, {"patches", lay.num_patches()},
                   {"order", "prefix tokens first, then patches row-major"}};
    if (!r.mass_mask.empty()) {
        int kept = 0;
        for (unsigned char m : r.mass_mask) kept += m;
        j["mass_threshold"] = {{"t", opt.mass_threshold}, {"patches_kept", kept}};
    }
    j["kernel"] = {{"name", r.kernel.name}, {"size", r.kernel.size}, {"sum", kr.sum},  {"min", kr.min},
                   {"max", kr.max},         {"l1", kr.l1},           {"weights", r.kernel.w},
                   {"data_dependent", r.data_dependent}};
    if (r.data_dependent) {
        // The kernel shown is the one at this pixel; another pixel or image gives another.
        j["kernel"]["position"] = {{"x", r.kernel_x}, {"y", r.kernel_y}, {"space", "image pixels"}};
        if (opt.filter == kDynamicFilter)
            j["kernel"]["dynamic"] = {{"k", opt.dynamic.k}, {"f_size", opt.dynamic.f_size}, {"seed", opt.dynamic.seed}};
        else
            j["kernel"]["bilateral"] = {{"radius", opt.bilateral.radius},
                                        {"sigma_s", opt.bilateral.sigma_s},
                                        {"sigma_r", opt.bilateral.sigma_r}};
    }
    j["conv_mode"] = opt.conv_mode == ConvMode::Luminance ? "luminance" : "per_channel";
    // Strings that are not UTF-8 (a folder name in a note, say) are replaced, never thrown on.
    return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::vector<std::pair<std::string, std::string>> render_files(const RenderResult& r, const RenderOptions& opt) {
    // Settings and weights are validated where they enter, so every number is finite;
    // this last check keeps a NaN from ever reaching a file if that were not so.
    auto finite = [](const auto& v) { return kernels::all_finite(v.data(), v.size()); };
    const bool all_finite = finite(r.attention.data) && finite(r.heatmap) && finite(r.response.v) &&
                            finite(r.response_rgb.rgb) && finite(r.kernel.w);
    if (!all_finite) throw InputError("The render produced NaN or infinite values, so nothing was written; please report the settings used.");
    const AttentionSet& a = r.attention;
    const TokenLayout& lay = a.layout;
    auto png = [](const Image& img) { return png_bytes(to_rgb8(img), img.width, img.height); };
    const int qr = opt.view.kind == QueryKind::Patch ? opt.view.row : -1;
    const int qc = opt.view.kind == QueryKind::Patch ? opt.view.col : -1;
    std::vector<std::pair<std::string, std::string>> files;
    files.emplace_back("attention.npy", npy_bytes(a.data.data(), a.data.size(),
                                                  {size_t(a.layers), size_t(a.heads), size_t(a.tokens), size_t(a.tokens)}));
    files.emplace_back("heatmap.npy", npy_bytes(r.heatmap, {size_t(lay.grid_h), size_t(lay.grid_w)}));
    files.emplace_back("heatmap.csv", csv_matrix(r.heatmap, lay.grid_h, lay.grid_w));
    // The two large pictures are coloured straight to bytes (no float picture between:
    // 144 MB each for a 12 MP photo), the same bytes as to_rgb8 of the float ones.
    files.emplace_back("heatmap.png", png_bytes(heatmap_overlay_rgb8(r.image, r.heatmap, lay, opt.colormap, opt.opacity, qr, qc),
                                                r.image.width, r.image.height));
    files.emplace_back("kernel.png", png(kernel_picture(r.kernel)));
    // One row per kernel row; an RGB (learned) kernel's three channels one after another.
    files.emplace_back("kernel.csv", csv_matrix(r.kernel.w, r.kernel.channels * r.kernel.size, r.kernel.size));
    files.emplace_back("conv.npy", npy_bytes(r.response.v, {size_t(r.response.height), size_t(r.response.width)}));
    files.emplace_back("conv.png", opt.conv_mode == ConvMode::PerChannel
                                       ? png(response_rgb_picture(r.response_rgb))
                                       : png_bytes(response_picture_rgb8(r.response, response_scale(r.response), response_is_signed(r.response)),
                                                   r.response.width, r.response.height));
    if (!r.mass_mask.empty()) {
        files.emplace_back("mask.npy", npy_bytes(std::vector<float>(r.mass_mask.begin(), r.mass_mask.end()),
                                                 {size_t(lay.grid_h), size_t(lay.grid_w)}));
    }
    files.emplace_back("summary.json", render_summary_json(r, opt));
    return files;
}

}  // namespace ks
