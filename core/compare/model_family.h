#pragma once
// The model families, one row each in one table (model_families()), chosen by what
// the checkpoint holds: no checkpoint is the built-in similarity model, a ResNet's
// tensor names make a ResNet, anything else goes to the ViT loader (which says why
// a file is not a ViT). A family's runner loads its checkpoint, runs A and B
// (cancellably, keeping its own caches) and fills the ComparisonResult: the kernel
// at the query for each input, its learned filters, a description for the UI.
// Adding a family: a runner (one file here, beside its model folder in core/), one
// row in model_family.cpp, and its row of the app's table (app/gui/family_ui.h; docs/ARCHITECTURE.md).
#include <memory>
#include <string>
#include <vector>

#include "attention/views.h"
#include "compare/comparison.h"

namespace ks {

// One input's kernel at the query as a map (the gallery's kernels.npy holds one per
// image): h x w row-major, non-negative. An attention row over the patch grid (prefix
// tokens left out, so it sums to 1 minus their mass) or an effective kernel over the
// network's input pixels (sums to 1).
struct QueryKernel {
    int h = 0, w = 0;
    std::vector<float> values;
};

class EngineContext;

class FamilyRunner {
public:
    virtual ~FamilyRunner() = default;
    // A and B for the request; throws InputError (bad input) or Cancelled.
    virtual void run(const ComparisonRequest& req, EngineContext& ctx, ComparisonResult& out) = 0;
    // This family in the second model slot, beside another family's result (which set
    // `out.current`): only a ResNet offers it today.
    virtual void run_beside(const ComparisonRequest& req, EngineContext& ctx, ComparisonResult& out);
};

struct ModelFamily {
    const char* id;            // "builtin", "vit", "resnet": the result's `family`, the sidecar's model kind
    const char* name;          // for the UI: "Vision Transformer"
    const char* description;   // one sentence for the UI: what its kernel at a query is
    // Recognises a checkpoint by its tensor names (the built-in family, which has none: null).
    bool (*holds)(const std::vector<std::string>& tensor_names);
    std::unique_ptr<FamilyRunner> (*make_runner)();
    bool hosts_second_slot;    // a ResNet's effective kernel can be shown beside its kernel at the query
    // The fixed conv to compare with when the user has not chosen one (the default
    // sobel_x): the family's own first learned filter, or null to keep sobel_x.
    const char* default_filter;
    // Input A's kernel at the query, read from a result (no model run): the view's row
    // for attention families, the result's own effective kernel for a ResNet.
    QueryKernel (*kernel_at_query)(const ComparisonResult& r, const ViewSpec& v);
    // Moving the query needs the model again (a ResNet's backward pass), rather than a
    // new read of the result.
    bool query_runs_model;
};

// Every family, the built-in one first; a checkpoint takes the first row that holds it.
const std::vector<ModelFamily>& model_families();
// The row for a checkpoint path ("" = the built-in model). Reads the file's header only;
// an unreadable file goes to the catch-all row, whose loader gives the reason.
const ModelFamily& family_for_checkpoint(const std::string& weights_path);
const ModelFamily& family_by_id(const std::string& id);   // throws std::out_of_range

// One runner per family (defined in family_*.cpp).
std::unique_ptr<FamilyRunner> make_builtin_runner();
std::unique_ptr<FamilyRunner> make_vit_runner();
std::unique_ptr<FamilyRunner> make_resnet_runner();
// Each family's kernel_at_query (attention rows: the built-in model and a ViT).
QueryKernel attention_kernel_at_query(const ComparisonResult& r, const ViewSpec& v);
QueryKernel resnet_kernel_at_query(const ComparisonResult& r, const ViewSpec& v);

}  // namespace ks
