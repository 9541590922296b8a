// The Vision Transformer's runner: load the checkpoint (once per file and overrides),
// run the forward pass on clean image A (once per image) and on the changed input
// (once per perturbation / image B), and look up the filter.
#include <algorithm>
#include <cstdio>
#include <optional>

#include "analysis/folder_analysis.h"
#include "compare/engine_context.h"
#include "compare/model_family.h"
#include "image/match_size.h"
#include "image/model_input.h"
#include "vit/vit_memory.h"

namespace ks {

namespace {

// Everything load_vit depends on; the resize mode is not part of it (it only
// changes the forward pass).
std::string model_key(const ModelSpec& m) {
    std::string k = m.weights_path + "\n" + m.config_path + "\n" + std::to_string(m.overrides.heads) + "," +
                    std::to_string(m.overrides.image_size);
    char buf[64];
    for (const auto* v : {&m.overrides.mean, &m.overrides.std}) {
        if (!*v) {
            k += ",-";
            continue;
        }
        std::snprintf(buf, sizeof buf, ",%.9g/%.9g/%.9g", (**v)[0], (**v)[1], (**v)[2]);
        k += buf;
    }
    return k;
}

// One forward pass and what the app reads of it.
struct VitRun {
    std::shared_ptr<const AttentionSet> attention;
    std::shared_ptr<const Image> input;   // the model's view at its input size, 0..1
    std::shared_ptr<const Image> shown;   // the same part of the (perturbed) original, full resolution
    std::vector<std::string> description;
    std::vector<std::pair<int, float>> top5;
    std::vector<std::string> top5_names;
    std::vector<float> mean_distance;
    std::shared_ptr<const ImageAnalysis> analysis;
};

class VitRunner : public FamilyRunner {
public:
    void run(const ComparisonRequest& req, EngineContext& ctx, ComparisonResult& out) override;

private:
    void load(const ModelSpec& ms, EngineContext& ctx, ComparisonResult& out);
    bool fits_two_passes(ComparisonResult& out) const;
    const VitRun& changed_input(const ComparisonRequest& req, EngineContext& ctx);
    VitRun run_once(const Image& image, VitResize mode, EngineContext& ctx) const;

    std::string key_;
    std::shared_ptr<const VitModel> vit_;
    std::shared_ptr<const std::vector<ConvKernel>> filters_;
    // Clean A's pass and the changed input's, each keyed by what it depends on.
    uint64_t ref_version_ = ~0ull;
    VitResize ref_resize_ = VitResize::ShorterSideCrop;
    std::optional<VitRun> ref_;
    uint64_t cur_version_ = ~0ull;
    VitResize cur_resize_ = VitResize::ShorterSideCrop;
    std::shared_ptr<const Image> cur_b_;
    Perturbation cur_perturb_{};
    std::optional<VitRun> cur_;
};

VitRun VitRunner::run_once(const Image& image, VitResize mode, EngineContext& ctx) const {
    VitOutput o = run_vit(*vit_, image, mode, [&ctx](float f) { ctx.set_fraction(f); }, ctx.hooks.cancel);
    ++ctx.forward_passes;
    VitRun r;
    r.shown = std::make_shared<const Image>(model_view_of_original(image, o.input.width, o.input.height, mode));
    r.input = std::make_shared<const Image>(std::move(o.input));
    r.analysis = std::make_shared<const ImageAnalysis>(analyse_image("", o, image.width, image.height, mode));
    r.description = std::move(o.description);
    r.top5 = top_logits(o.logits, 5);
    r.top5_names = top_logit_names(r.top5, o.logits.size(), *ctx.class_names);
    r.mean_distance = r.analysis->distances.model_px;   // mean_attention_distance, already run by the analysis
    r.attention = std::make_shared<const AttentionSet>(std::move(o.attention));
    return r;
}

void VitRunner::load(const ModelSpec& ms, EngineContext& ctx, ComparisonResult& out) {
    const std::string key = model_key(ms);
    if (vit_ && key == key_) return;
    ctx.set_phase("loading the checkpoint", -1.0f);
    std::shared_ptr<const VitModel> m;
    try {
        m = std::make_shared<const VitModel>(load_vit(ms.weights_path, ms.config_path, ms.overrides));
    } catch (...) {
        out.model_failed = true;  // the previous model (and its caches) stay as they were
        throw;
    }
    ref_.reset();
    cur_.reset();
    vit_ = std::move(m);
    key_ = key;
    filters_ = std::make_shared<const std::vector<ConvKernel>>(vit_->filters());
}

bool VitRunner::fits_two_passes(ComparisonResult& out) const {
    if (2.0 * vit_attention_bytes(vit_->config) <= kAttentionBudgetBytes) return true;
    // A and B together would pass the memory budget: show A alone and say why.
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "Input B is not computed: two forward passes' attention would take %.1f GiB, over the %.0f GiB "
                  "budget; a smaller --image-size (or the Overrides' input size) brings B back.",
                  2.0 * vit_attention_bytes(vit_->config) / (1024.0 * 1024 * 1024), kAttentionBudgetBytes / (1024.0 * 1024 * 1024));
    out.warning = buf;
    return false;
}

const VitRun& VitRunner::changed_input(const ComparisonRequest& req, EngineContext& ctx) {
    const Image& a = *req.image_a;
    const bool ab = req.image_b && !req.image_b->empty();
    const auto b = ab ? req.image_b : nullptr;
    const VitResize mode = req.model.resize;
    if (cur_ && cur_version_ == req.image_a_version && cur_resize_ == mode && cur_b_ == b &&
        same_perturbation(cur_perturb_, req.perturb))
        return *cur_;
    cur_.reset();
    // B is brought to A's size first (centre crop to A's aspect ratio, then resized:
    // never stretched), so the perturbation rectangle and the crop mean the same pixels.
    const Image base = ab ? match_size_centre_crop(*req.image_b, a.width, a.height) : a;
    const Image in = apply_perturbation(base, req.perturb);
    ctx.set_phase("forward pass, changed input", 0.0f);
    cur_ = run_once(in, mode, ctx);
    cur_version_ = req.image_a_version;
    cur_resize_ = mode;
    cur_b_ = b;
    cur_perturb_ = req.perturb;
    return *cur_;
}

void VitRunner::run(const ComparisonRequest& req, EngineContext& ctx, ComparisonResult& out) {
    const ModelSpec& ms = req.model;
    load(ms, ctx, out);
    out.vit = vit_;
    out.learned = filters_;
    out.weights_path = ms.weights_path;
    out.resize = ms.resize;
    const Image& a = *req.image_a;
    bool changed = (req.image_b && !req.image_b->empty()) || !req.perturb.is_identity();
    if (changed && !fits_two_passes(out)) {
        cur_.reset();
        changed = false;
    }
    if (!ref_ || ref_version_ != req.image_a_version || ref_resize_ != ms.resize) {
        ref_.reset();
        ctx.set_phase(changed ? "forward pass, clean image A" : "forward pass", 0.0f);
        ref_ = run_once(a, ms.resize, ctx);
        ref_version_ = req.image_a_version;
        ref_resize_ = ms.resize;
    }
    const VitRun& cur = changed ? changed_input(req, ctx) : *ref_;
    out.reference = ref_->attention;
    out.current = cur.attention;
    out.shown = cur.shown;
    out.shown_a = ref_->shown;
    out.description = cur.description;
    out.top5 = cur.top5;
    out.top5_names = cur.top5_names;
    out.mean_distance = cur.mean_distance;
    out.analysis_a = ref_->analysis;
    out.analysis_b = cur.analysis;
    out.model_w = cur.input->width;
    out.model_h = cur.input->height;
    // model_view_of_original takes the centred crop, so its origin is half the margin.
    out.crop_x = (a.width - cur.shown->width) / 2;
    out.crop_y = (a.height - cur.shown->height) / 2;
    ctx.attach_luminance(out);
    if (!apply_learned_filter(req, *filters_, *cur.input, *ref_->input, vit_->config.mean, vit_->config.std,
                              static_cast<float>(cur.shown->width), out))
        apply_conv_filter(req, cur.shown, out);
}

}  // namespace

std::unique_ptr<FamilyRunner> make_vit_runner() { return std::make_unique<VitRunner>(); }

}  // namespace ks
