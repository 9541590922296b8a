// The built-in similarity model's runner: attention of clean A (once per image and
// parameters) and of B (once per B, perturbation and parameters).
#include <memory>

#include "compare/engine_context.h"
#include "compare/model_family.h"
#include "image/match_size.h"

namespace ks {

namespace {

bool same_params(const SimilarityParams& a, const SimilarityParams& b) {
    return a.patch == b.patch && a.tau == b.tau && a.lambda == b.lambda && a.score == b.score &&
           a.projection == b.projection && a.seed == b.seed;
}

class BuiltinRunner : public FamilyRunner {
public:
    void run(const ComparisonRequest& req, EngineContext& ctx, ComparisonResult& out) override;

private:
    std::shared_ptr<const AttentionSet> reference(const ComparisonRequest& req, EngineContext& ctx);
    void attach_analyses(const ComparisonRequest& req, ComparisonResult& out);

    // Clean A's attention, and the last B's, each with what it was computed from.
    uint64_t ref_image_version_ = ~0ull;
    SimilarityParams ref_sim_{};
    std::shared_ptr<const AttentionSet> ref_attention_;
    std::shared_ptr<const AttentionSet> ref_analysis_src_;
    std::shared_ptr<const ImageAnalysis> ref_analysis_;
    uint64_t cur_image_version_ = ~0ull;
    std::shared_ptr<const Image> cur_image_b_;   // held: its pointer identity keys the cache
    Perturbation cur_perturb_{};
    SimilarityParams cur_sim_{};
    std::shared_ptr<const Image> cur_shown_;
    std::shared_ptr<const AttentionSet> cur_attention_;
};

std::shared_ptr<const AttentionSet> BuiltinRunner::reference(const ComparisonRequest& req, EngineContext& ctx) {
    if (!ref_attention_ || ref_image_version_ != req.image_a_version || !same_params(ref_sim_, req.sim)) {
        ref_attention_.reset();  // free the old N x N before computing the new one
        ctx.set_phase("similarity attention", -1.0f);
        ref_attention_ = std::make_shared<const AttentionSet>(similarity_attention(*req.image_a, req.sim));
        ++ctx.forward_passes;
        ref_image_version_ = req.image_a_version;
        ref_sim_ = req.sim;
    }
    return ref_attention_;
}

void BuiltinRunner::run(const ComparisonRequest& req, EngineContext& ctx, ComparisonResult& out) {
    const Image& a = *req.image_a;
    out.reference = reference(req, ctx);
    out.shown_a = req.image_a;
    const bool ab = req.image_b && !req.image_b->empty();
    const auto b = ab ? req.image_b : nullptr;
    if (!ab && req.perturb.is_identity()) {
        out.shown = req.image_a;
        out.current = out.reference;
    } else if (cur_attention_ && cur_image_version_ == req.image_a_version && cur_image_b_ == b &&
               same_perturbation(cur_perturb_, req.perturb) && same_params(cur_sim_, req.sim)) {
        out.shown = cur_shown_;
        out.current = cur_attention_;
    } else {
        cur_attention_.reset();
        // B is brought to A's size (centre crop to A's aspect ratio, then resized: never
        // stretched) so both inputs give the same patch grid and the kernel change
        // compares rows of the same length. A itself is perturbed without a copy first.
        const Image matched = ab ? match_size_centre_crop(*req.image_b, a.width, a.height) : Image{};
        auto shown = std::make_shared<Image>(apply_perturbation(ab ? matched : a, req.perturb));
        ctx.set_phase("similarity attention", -1.0f);
        out.current = std::make_shared<const AttentionSet>(similarity_attention(*shown, req.sim));
        ++ctx.forward_passes;
        out.shown = std::move(shown);
        cur_image_version_ = req.image_a_version;
        cur_image_b_ = b;
        cur_perturb_ = req.perturb;
        cur_sim_ = req.sim;
        cur_shown_ = out.shown;
        cur_attention_ = out.current;
    }
    ctx.attach_luminance(out);
    attach_analyses(req, out);
    apply_conv_filter(req, out.shown, out);
}

void BuiltinRunner::attach_analyses(const ComparisonRequest& req, ComparisonResult& out) {
    // Over N^2 entries (3072 tokens on a 12 MP photo): only while the Analyses window is open.
    if (!req.analyses) return;
    // The built-in model's input is the image itself: distances in its pixels, no sub-blocks.
    auto analyse = [](const AttentionSet& att) {
        auto r = std::make_shared<ImageAnalysis>();
        r->distances = mean_distances(att, PixelScale{});
        return std::shared_ptr<const ImageAnalysis>(std::move(r));
    };
    if (ref_analysis_src_ != out.reference) {
        ref_analysis_ = analyse(*out.reference);
        ref_analysis_src_ = out.reference;
    }
    out.analysis_a = ref_analysis_;
    out.analysis_b = out.current == out.reference ? ref_analysis_ : analyse(*out.current);
}

}  // namespace

std::unique_ptr<FamilyRunner> make_builtin_runner() { return std::make_unique<BuiltinRunner>(); }

}  // namespace ks
