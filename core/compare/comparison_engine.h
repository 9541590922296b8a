#pragma once
// The comparison engine: a ComparisonRequest (inputs, model, filter, query) in, a
// ComparisonResult out. The model family (model_family.h) computes A and B; the
// engine keeps each family's runner, with its caches, so that a request that changes
// only the filter, the query or B reruns only what depends on it. No threads: the
// GUI runs it on its worker thread, `render` and the tests call it directly.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compare/engine_context.h"
#include "compare/model_family.h"

namespace ks {

class ComparisonEngine {
public:
    // Names for the top logits of a 1000-class head (null: indices alone).
    explicit ComparisonEngine(std::shared_ptr<const ClassNames> class_names = nullptr);
    ~ComparisonEngine();
    ComparisonEngine(const ComparisonEngine&) = delete;
    ComparisonEngine& operator=(const ComparisonEngine&) = delete;

    // Null when the hooks' cancel flag stopped the run; a bad input or checkpoint gives a
    // result whose `error` says why (the caches of the last good model stay).
    std::shared_ptr<const ComparisonResult> run(const ComparisonRequest& req, const EngineHooks& hooks = {});
    uint64_t forward_passes() const { return ctx_.forward_passes.load(); }
    uint64_t backward_passes() const { return ctx_.backward_passes.load(); }

private:
    FamilyRunner& runner(const ModelFamily& f);
    const ModelFamily& family_of(const std::string& path, std::string* cached_path, const ModelFamily** cached);
    void run_second_slot(const ComparisonRequest& req, ComparisonResult& out);

    EngineContext ctx_;
    std::vector<std::pair<const ModelFamily*, std::unique_ptr<FamilyRunner>>> runners_;
    // family_for_checkpoint reads the file's header: once per path.
    std::string main_path_, beside_path_;
    const ModelFamily* main_family_ = nullptr;
    const ModelFamily* beside_family_ = nullptr;
};

}  // namespace ks
