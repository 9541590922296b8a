#include "cli_analyze_model.h"

#include "analysis/resnet_specificity.h"
#include "cnn/checkpoint_kind.h"
#include "cnn/resnet_cost.h"
#include "io/input_error.h"

namespace ks {

AnalyzeModel AnalyzeModel::load(const std::string& weights, const std::string& config, const std::string& layers) {
    AnalyzeModel m;
    if (checkpoint_kind(weights) != CheckpointKind::Resnet) {
        m.vit = load_vit(weights, config);
        return m;
    }
    if (!config.empty()) throw InputError("--config is a ViT's config.json; a ResNet's configuration comes from its tensor shapes.");
    if (!layers.empty()) throw InputError("--layers picks a ViT's layers; a ResNet run measures its four stages.");
    m.resnet = load_resnet(weights);
    return m;
}

int AnalyzeModel::input_w() const { return vit ? vit->config.image_w : kResnetInputSize; }
int AnalyzeModel::input_h() const { return vit ? vit->config.image_h : kResnetInputSize; }

std::vector<KernelShape> AnalyzeModel::specificity_shapes() const {
    return vit ? vit_specificity_shapes(vit->config) : resnet_specificity_shapes(kResnetInputSize);
}

namespace {

// Where a ResNet run measures: per stage its grid and query cells, and the input pixels
// (x, y) of the model-free kinds.
nlohmann::json resnet_query_grid(const ResnetWeights& w) {
    const auto grids = resnet_stage_grids(w, AnalyzeModel::kResnetInputSize, AnalyzeModel::kResnetInputSize);
    nlohmann::json stages = nlohmann::json::array();
    for (int s = 0; s < kResnetStages; ++s) {
        nlohmann::json cells = nlohmann::json::array();
        for (const auto& [r, c] : stage_query_cells(grids[s][0], grids[s][1], kResnetQueryCells)) cells.push_back({r, c});
        stages.push_back({{"stage", "layer" + std::to_string(s + 1)}, {"rows", grids[s][0]}, {"cols", grids[s][1]}, {"query_cells", cells}});
    }
    nlohmann::json px = nlohmann::json::array();
    for (const auto& [x, y] : resnet_query_pixels(grids[3][0], grids[3][1], AnalyzeModel::kResnetInputSize, AnalyzeModel::kResnetInputSize))
        px.push_back({x, y});
    return {{"query_grid", std::to_string(kResnetQueryCells) + " x " + std::to_string(kResnetQueryCells) +
                               ": the centres of a 3 x 3 partition of each stage's grid, row = floor((2k + 1) rows / 6)"},
            {"stages", stages},
            {"conv_query_pixels_xy", px}};
}

}  // namespace

nlohmann::json AnalyzeModel::identity() const {
    if (vit) {
        const VitConfig& c = vit->config;
        const int fourier_k = std::min(c.grid_h - c.grid_h / 2, c.grid_w - c.grid_w / 2);
        return {{"family", "vit"},
                {"measures", "mean attention distance, Fourier dL by sub-block and data specificity"},
                {"shape", {{"layers", c.layers}, {"heads", c.heads}, {"fourier_k", fourier_k}}},
                {"model", c.describe()},
                {"model_input", {{"width", c.image_w}, {"height", c.image_h}}},
                {"grid", {{"rows", c.grid_h}, {"cols", c.grid_w}, {"patch", c.patch}}}};
    }
    return {{"family", "resnet"},
            {"measures", "data specificity only: mean attention distance and Fourier dL measure a ViT's tokens, so a ResNet run "
                         "writes no mean_attention_distance.csv, fourier.csv, per_image.csv or their plots"},
            {"shape", nullptr},
            {"model", resnet->weights.describe()},
            {"model_input", {{"width", kResnetInputSize}, {"height", kResnetInputSize}}},
            {"grid", resnet_query_grid(resnet->weights)}};
}

std::string AnalyzeModel::cost_words() const {
    if (vit) return "";
    const int q = kResnetStages * kResnetQueryCells * kResnetQueryCells;
    return "effective kernels: " + std::to_string(q) + " backward passes per image and pass (4 stages x " +
           std::to_string(kResnetQueryCells) + " x " + std::to_string(kResnetQueryCells) +
           " queries), after its forward pass; bench/resnet_specificity times them";
}

void AnalyzeModel::analyse(const Image& image, const std::string& name, const ImageLoadInfo& info, VitResize resize, int pass,
                           const std::atomic<bool>& stop, const std::function<void()>& model_done, AnalysisTotals& totals,
                           SpecificityRun& spec) const {
    if (vit) {
        const VitOutput out = run_vit(*vit, image, resize, {}, &stop);
        model_done();
        if (pass == 1) {
            totals.add(analyse_image(name, out, info.file_width, info.file_height, resize));
            spec.add_to_sums(out);
        } else {
            spec.measure(out);
        }
        return;
    }
    const ResnetRun run = resnet_analysis_run(*resnet, image, resize, kResnetInputSize);
    std::vector<OwnedKernels> scratch;
    const std::vector<KernelView> views = resnet_specificity_kernels(*resnet, run, scratch, &stop);
    model_done();
    if (pass == 1) spec.add_to_sums(views);
    else spec.measure(views);
}

}  // namespace ks
