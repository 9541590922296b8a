#include "compare/comparison_engine.h"

#include <chrono>

#include "io/input_error.h"
#include "vit/vit_forward.h"

namespace ks {

ComparisonEngine::ComparisonEngine(std::shared_ptr<const ClassNames> class_names) {
    ctx_.class_names = class_names ? std::move(class_names) : std::make_shared<const ClassNames>();
}

ComparisonEngine::~ComparisonEngine() = default;

FamilyRunner& ComparisonEngine::runner(const ModelFamily& f) {
    for (auto& [family, r] : runners_)
        if (family == &f) return *r;
    runners_.emplace_back(&f, f.make_runner());
    return *runners_.back().second;
}

const ModelFamily& ComparisonEngine::family_of(const std::string& path, std::string* cached_path,
                                               const ModelFamily** cached) {
    if (!*cached || *cached_path != path) {
        *cached = &family_for_checkpoint(path);
        *cached_path = path;
    }
    return **cached;
}

void ComparisonEngine::run_second_slot(const ComparisonRequest& req, ComparisonResult& out) {
    const std::string& path = req.model.second_weights_path;
    out.second_weights_path = path;
    try {
        runner(family_of(path, &beside_path_, &beside_family_)).run_beside(req, ctx_, out);
    } catch (const Cancelled&) {
        throw;
    } catch (const std::exception& e) {
        // The main model's result stays valid; the slot is emptied and the status line says why.
        out.second_error = e.what();
        out.model_failed = false;
        out.g_a.reset();
        out.g_b.reset();
    }
}

std::shared_ptr<const ComparisonResult> ComparisonEngine::run(const ComparisonRequest& req, const EngineHooks& hooks) {
    ctx_.hooks = hooks;
    auto out = std::make_shared<ComparisonResult>();
    out->id = req.id;
    const auto t0 = std::chrono::steady_clock::now();
    try {
        if (!req.image_a || req.image_a->empty()) throw InputError("No image is loaded.");
        const ModelFamily& family = family_of(req.model.weights_path, &main_path_, &main_family_);
        out->family = family.id;
        runner(family).run(req, ctx_, *out);
        if (!req.model.second_weights_path.empty() && family.hosts_second_slot) run_second_slot(req, *out);
        ctx_.prepare_pictures(*out);
    } catch (const Cancelled&) {
        ctx_.hooks = {};
        return nullptr;
    } catch (const std::exception& e) {
        out->error = e.what();
    }
    ctx_.hooks = {};
    out->forward_passes = ctx_.forward_passes.load();
    out->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

}  // namespace ks
