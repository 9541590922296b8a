#include "cli_comparison.h"

#include <tuple>

#include "compare/comparison_engine.h"
#include "compare/comparison_file.h"
#include "imagenet_names.h"
#include "sample_image.h"
#include "io/input_error.h"

namespace ks {

namespace {

BMode b_mode_of(const CliOptions& o) {
    if (o.b_mode) return *o.b_mode == "off" ? BMode::Off : *o.b_mode == "second" ? BMode::Second : BMode::Perturbed;
    return o.image_b ? BMode::Second : BMode::Perturbed;   // as the app: a second image given is B
}

ComparisonRequest request_for(const CliOptions& o, const Image& a, const std::shared_ptr<const Image>& b, BMode mode) {
    ComparisonRequest req;
    req.id = 1;
    req.image_a = std::make_shared<const Image>(a);
    req.image_a_version = 1;
    if (mode == BMode::Second) req.image_b = b;
    if (mode == BMode::Perturbed) req.perturb = o.perturb;
    req.sim = o.render.sim;
    req.model.weights_path = o.weights.value_or("");
    req.model.config_path = o.config.value_or("");
    req.model.overrides = o.vit_overrides;
    req.model.resize = o.vit_resize;
    req.model.second_weights_path = o.beside.value_or("");
    req.filter = o.render.filter;
    req.gaussian_sigma = o.render.gaussian_sigma;
    req.user_weights = o.render.user_weights;
    req.bilateral = o.render.bilateral;
    req.dynamic = o.render.dynamic;
    req.cnn_stage = o.stage ? parse_stage(*o.stage) : 3;
    if (o.query_given && o.render.view.kind == QueryKind::Patch) {
        req.query_row = o.render.view.row;
        req.query_col = o.render.view.col;
    }
    return req;
}

}  // namespace

std::pair<std::string, std::string> comparison_file(const CliOptions& o, const std::string& image_path) {
    const BMode mode = b_mode_of(o);
    if (mode == BMode::Second && !o.image_b) throw InputError("--b second needs a second image (--image-b PATH).");
    // Read as the app reads them: at full resolution (B is brought to A's size by the engine).
    const Image a = load_image(image_path);
    std::shared_ptr<const Image> b;
    if (mode == BMode::Second) b = std::make_shared<const Image>(load_image(*o.image_b));
    ComparisonRequest req = request_for(o, a, b, mode);
    // A family's own first learned filter is the fixed kernel to compare with (the app does the same).
    if (const char* f = family_for_checkpoint(req.model.weights_path).default_filter; f && req.filter == "sobel_x") req.filter = f;
    ComparisonEngine engine(imagenet_class_names());
    const auto r = engine.run(req);
    if (!r->error.empty()) throw InputError(r->error);
    if (!r->second_error.empty()) throw InputError(r->second_error);
    ViewSpec asked = o.render.view;
    const TokenLayout& L = r->current->layout;
    asked.row = o.query_given ? o.render.view.row : L.grid_h / 2;
    asked.col = o.query_given ? o.render.view.col : L.grid_w / 2;
    // The bundled photo opens on its demo query (the cup's rim) in the app and in render.
    if (!o.query_given && !o.image && !o.weights) std::tie(asked.row, asked.col) = bundled_sample_query();
    if (r->cnn) {
        asked.row = r->cnn_row;
        asked.col = r->cnn_col;
    }
    if (!o.prefix_name.empty()) asked.prefix = prefix_index(L, o.prefix_name);
    if (asked.kind == QueryKind::Patch && (asked.row >= L.grid_h || asked.col >= L.grid_w))
        throw InputError("The query (" + std::to_string(asked.row) + ", " + std::to_string(asked.col) + ") lies outside the " +
                         std::to_string(L.grid_h) + " x " + std::to_string(L.grid_w) + " grid.");
    ConvChoice choice;
    choice.gaussian_sigma = o.render.gaussian_sigma;
    choice.bilateral = o.render.bilateral;
    choice.dynamic = o.render.dynamic;
    const bool have_b = mode != BMode::Off;
    const QueryComparison q = compare_at_query(*r, asked, HeatOptions{}, choice, have_b);
    ComparisonSummary s;
    s.image_a = image_path;
    s.b_mode = mode;
    s.image_b = o.image_b.value_or("");
    s.perturb = o.perturb;
    s.query_row = q.view.row;
    s.query_col = q.view.col;
    s.changes = q.changes;
    return {"comparison.json", comparison_json(s).dump(2) + "\n"};
}

}  // namespace ks
