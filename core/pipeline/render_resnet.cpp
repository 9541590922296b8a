#include "pipeline/render_resnet.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "io/file_output.h"
#include "io/npy.h"
#include "draw/colormap.h"
#include "pipeline/render.h"
#include "vit/vit_model.h"

namespace ks {

ResnetRender render_resnet(const ResnetModel& m, const Image& image, const ResnetRenderOptions& opt) {
    if (opt.stage < 1 || opt.stage > 4) throw InputError("The stage must be layer1, layer2, layer3 or layer4.");
    ResnetRun run = run_resnet(m, image, opt.input, 4);
    ResnetRender r;
    r.stage = opt.stage;
    const Feature& s = run.forward.stages[opt.stage - 1];
    r.grid_h = s.h;
    r.grid_w = s.w;
    r.channels = s.c;
    r.stride = ResnetWeights::stage_stride(opt.stage);
    r.row = opt.query ? opt.query->first : s.h / 2;
    r.col = opt.query ? opt.query->second : s.w / 2;
    r.g = effective_kernel(m.weights, run.forward, opt.stage, r.row, r.col);
    double cx, cy;
    query_centre(r.row, r.col, r.stride, &cx, &cy);
    r.readouts = kernel_readouts(r.g, run.input.height, run.input.width, cx, cy);
    if (!run.forward.logits.empty()) r.top_logits = top_logits(run.forward.logits, 5);
    if (opt.class_names) r.top_logit_names = top_logit_names(r.top_logits, run.forward.logits.size(), *opt.class_names);
    r.description = m.weights.describe();
    r.conv1 = m.conv1_filters();
    r.input = std::move(run.input);
    return r;
}

Image effective_kernel_picture(const ResnetRender& r, float opacity) {
    return effective_kernel_picture(r.g, r.input, r.row, r.col, r.stride, opacity);
}

Image conv1_grid_picture(const std::vector<ConvKernel>& filters, int cell) {
    const int n = static_cast<int>(filters.size());
    const int cols = std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n)))));
    const int rows = std::max(1, (n + cols - 1) / cols);
    const int tile = (filters.empty() ? 1 : filters[0].size) * cell + 1, gap = 2;
    Image out;
    out.width = cols * (tile + gap) + gap;
    out.height = rows * (tile + gap) + gap;
    out.rgb.assign(static_cast<size_t>(out.width) * out.height * 3, 0.1f);
    for (int i = 0; i < n; ++i) {
        // Each filter scaled by its own largest weight, RGB around mid-gray, as
        // learned first-layer filters are usually shown.
        const Image t = kernel_picture(filters[i], cell);
        const int ox = gap + (i % cols) * (tile + gap), oy = gap + (i / cols) * (tile + gap);
        for (int y = 0; y < t.height; ++y)
            for (int x = 0; x < t.width; ++x)
                for (int ch = 0; ch < 3; ++ch) out.at(ox + x, oy + y, ch) = t.at(x, y, ch);
    }
    return out;
}

std::string resnet_summary_json(const ResnetRender& r, const ResnetRenderOptions& opt) {
    nlohmann::json j;
    j["model"] = "resnet";
    j["description"] = r.description;
    j["input"] = {{"width", r.input.width},
                  {"height", r.input.height},
                  {"resize", opt.input.whole ? "whole (the image's own size)" : "shorter side, then centre crop"},
                  {"mean", opt.input.mean},
                  {"std", opt.input.std}};
    j["stage"] = {{"name", "layer" + std::to_string(r.stage)},
                  {"grid", {r.grid_h, r.grid_w}},
                  {"channels", r.channels},
                  {"stride", r.stride}};
    j["query"] = {{"row", r.row}, {"col", r.col}, {"centre_x", r.readouts.centre_x}, {"centre_y", r.readouts.centre_y}};
    j["effective_kernel"] = {{"definition", "d(sum_c layer[c, row, col]) / d(normalised input), [3,H,W]"},
                             {"radius95", r.readouts.radius95},
                             {"sum", r.readouts.sum},
                             {"abs_sum", r.readouts.abs_sum},
                             {"positive_share", r.readouts.positive_share}};
    nlohmann::json top = nlohmann::json::array();
    for (size_t i = 0; i < r.top_logits.size(); ++i) {
        nlohmann::json t = {{"class", r.top_logits[i].first}, {"logit", r.top_logits[i].second}};
        if (i < r.top_logit_names.size() && !r.top_logit_names[i].empty()) t["name"] = r.top_logit_names[i];
        top.push_back(std::move(t));
    }
    j["top_logits"] = top;
    j["conv1"] = {{"filters", r.conv1.size()}, {"size", r.conv1.empty() ? 0 : r.conv1[0].size}};
    return j.dump(1);
}

std::vector<std::pair<std::string, std::string>> resnet_render_files(const ResnetRender& r, const ResnetRenderOptions& opt) {
    auto png = [](const Image& img) { return png_bytes(to_rgb8(img), img.width, img.height); };
    std::vector<std::pair<std::string, std::string>> files;
    files.emplace_back("effective_kernel.npy", npy_bytes(r.g, {3, size_t(r.input.height), size_t(r.input.width)}));
    files.emplace_back("effective_kernel.png", png(effective_kernel_picture(r, opt.opacity)));
    files.emplace_back("conv1.png", png(conv1_grid_picture(r.conv1)));
    files.emplace_back("summary.json", resnet_summary_json(r, opt));
    return files;
}

}  // namespace ks
