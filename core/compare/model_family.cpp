#include "compare/model_family.h"

#include <stdexcept>

#include "cnn/resnet_weights.h"
#include "io/checkpoint_header.h"
#include "io/input_error.h"

namespace ks {

void FamilyRunner::run_beside(const ComparisonRequest& req, EngineContext&, ComparisonResult&) {
    throw InputError("The second model slot takes a ResNet, and " + req.model.second_weights_path +
                     " is not one (a ViT opens with Ctrl+M as the model itself).");
}

QueryKernel attention_kernel_at_query(const ComparisonResult& r, const ViewSpec& v) {
    // Clean A's rows (B is off in the gallery: reference = current).
    const AttentionSet& a = r.reference ? *r.reference : *r.current;
    const TokenLayout& L = a.layout;
    QueryKernel k;
    k.h = L.grid_h;
    k.w = L.grid_w;
    k.values = patch_heatmap(view_row(a, v), L);
    return k;
}

namespace {

bool any_checkpoint(const std::vector<std::string>&) { return true; }

}  // namespace

const std::vector<ModelFamily>& model_families() {
    // The catch-all (ViT) comes last: a checkpoint takes the first row that holds it.
    static const std::vector<ModelFamily> table = {
        {"builtin", "Built-in similarity model",
         "Softmax of patch similarities with no learned weights: the attention kernel of the picture itself.", nullptr,
         make_builtin_runner, false, nullptr, attention_kernel_at_query, false},
        {"resnet", "ResNet",
         "Its kernel at a query is the effective kernel: the gradient of the stage's output at that cell with respect "
         "to the input pixels.",
         is_resnet_keys, make_resnet_runner, false, "conv1[0]", resnet_kernel_at_query, true},
        {"vit", "Vision Transformer", "Its kernel at a query is the attention row Softmax(QK^T / sqrt(d)) of that patch.",
         any_checkpoint, make_vit_runner, true, nullptr, attention_kernel_at_query, false},
    };
    return table;
}

const ModelFamily& family_for_checkpoint(const std::string& weights_path) {
    const auto& rows = model_families();
    if (weights_path.empty()) return rows.front();
    const std::vector<std::string> names = checkpoint_tensor_names(weights_path);
    for (const ModelFamily& f : rows)
        if (f.holds && f.holds(names)) return f;
    return rows.back();
}

const ModelFamily& family_by_id(const std::string& id) {
    for (const ModelFamily& f : model_families())
        if (id == f.id) return f;
    throw std::out_of_range("no model family '" + id + "'");
}

}  // namespace ks
