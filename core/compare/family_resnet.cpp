// The ResNet's runner: load the checkpoint (once per file), run the forward pass on
// clean image A and on the changed input (each once, gates kept), then one backward
// pass per (input, stage, query) for the effective kernel -- cached, so moving the
// query back and forth or switching B on and off reruns nothing.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <optional>

#include "attention/view_extras.h"
#include "draw/effective_kernel_picture.h"
#include "compare/engine_context.h"
#include "compare/model_family.h"
#include "image/match_size.h"
#include "io/input_error.h"
#include "image/model_input.h"

namespace ks {

namespace {

constexpr size_t kKernelCacheSize = 64;   // 3 x 224 x 224 floats each: about 40 MB in all

// The network's input as the request asks: its size, normalisation and resize.
ResnetInput resnet_input(const ModelSpec& m, bool main_model) {
    ResnetInput in;
    if (!main_model) return in;   // beside a ViT: the defaults, as the ViT's crop
    in.whole = m.resize == VitResize::Whole;   // a CNN takes any size: "whole" keeps the photo's own
    if (m.overrides.image_size > 0) in.size = m.overrides.image_size;
    if (m.overrides.mean) in.mean = *m.overrides.mean;
    if (m.overrides.std) in.std = *m.overrides.std;
    return in;
}

// What a forward pass depends on besides the image (the key of the two run caches).
std::string input_key(uint64_t image_version, const ResnetInput& in) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%llu|%d|%d|%.9g,%.9g,%.9g|%.9g,%.9g,%.9g", static_cast<unsigned long long>(image_version),
                  in.size, in.whole ? 1 : 0, in.mean[0], in.mean[1], in.mean[2], in.std[0], in.std[1], in.std[2]);
    return buf;
}

// Everything the conv part of a result depends on besides the inputs.
std::string conv_key(const ComparisonRequest& req) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "%.9g|%d|%.9g|%.9g|%d|%d|%u|", req.gaussian_sigma, req.bilateral.radius, req.bilateral.sigma_s,
                  req.bilateral.sigma_r, req.dynamic.k, req.dynamic.f_size, req.dynamic.seed);
    std::string k = req.filter + "|" + buf;
    for (float w : req.user_weights) {
        std::snprintf(buf, sizeof buf, "%.9g,", w);
        k += buf;
    }
    return k;
}

struct CnnRun {
    std::shared_ptr<const ResnetRun> run;
    std::shared_ptr<const Image> shown;   // the same part of the (perturbed) original, full resolution
    std::vector<std::pair<int, float>> top5;
    std::vector<std::string> top5_names;
};

struct CachedKernel {
    std::weak_ptr<const ResnetRun> run;   // expired once that forward pass is dropped
    int stage, row, col;
    std::shared_ptr<const std::vector<float>> g;
};

class ResnetRunner : public FamilyRunner {
public:
    void run(const ComparisonRequest& req, EngineContext& ctx, ComparisonResult& out) override;
    void run_beside(const ComparisonRequest& req, EngineContext& ctx, ComparisonResult& out) override;

private:
    void load(const std::string& path, EngineContext& ctx, ComparisonResult& out);
    CnnRun run_once(const Image& image, const ResnetInput& in, EngineContext& ctx) const;
    // Runs clean A and the changed input (each once); returns (A's run, the shown input's:
    // A's own when nothing changed).
    std::pair<const CnnRun*, const CnnRun*> runs(const ComparisonRequest& req, const ResnetInput& in, EngineContext& ctx);
    std::shared_ptr<const std::vector<float>> kernel(const CnnRun& r, int stage, int row, int col, EngineContext& ctx);
    void effective_kernels(const CnnRun& ref, const CnnRun& cur, int stage, int row, int col, EngineContext& ctx,
                           ComparisonResult& out);
    void conv_part(const ComparisonRequest& req, const ResnetInput& in, const CnnRun& ref, const CnnRun& cur,
                   ComparisonResult& out);

    std::string path_;
    std::shared_ptr<const ResnetModel> cnn_;
    std::shared_ptr<const std::vector<ConvKernel>> filters_;
    std::string ref_key_, cur_key_;
    std::optional<CnnRun> ref_, cur_;
    std::shared_ptr<const Image> cur_b_;
    Perturbation cur_perturb_{};
    std::vector<CachedKernel> kernels_;   // most recent last
    // The conv part of the last result, reused while only the query moves.
    std::string conv_key_;
    std::shared_ptr<const ComparisonResult> conv_;
};

CnnRun ResnetRunner::run_once(const Image& image, const ResnetInput& in, EngineContext& ctx) const {
    auto run = std::make_shared<const ResnetRun>(run_resnet(*cnn_, image, in, 4));
    ++ctx.forward_passes;
    CnnRun r;
    // The part of the original the network saw, at full resolution (the crop of the
    // shorter-side resize, or the whole photo at its own size).
    r.shown = in.whole ? std::make_shared<const Image>(image)
                       : std::make_shared<const Image>(model_view_of_original(image, run->input.width, run->input.height,
                                                                              VitResize::ShorterSideCrop));
    if (!run->forward.logits.empty()) r.top5 = top_logits(run->forward.logits, 5);
    r.top5_names = top_logit_names(r.top5, run->forward.logits.size(), *ctx.class_names);
    r.run = std::move(run);
    return r;
}

std::shared_ptr<const std::vector<float>> ResnetRunner::kernel(const CnnRun& r, int stage, int row, int col,
                                                               EngineContext& ctx) {
    kernels_.erase(std::remove_if(kernels_.begin(), kernels_.end(), [](const CachedKernel& k) { return k.run.expired(); }),
                   kernels_.end());
    for (auto it = kernels_.begin(); it != kernels_.end(); ++it)
        if (it->run.lock() == r.run && it->stage == stage && it->row == row && it->col == col) {
            CachedKernel hit = *it;  // most recent last
            kernels_.erase(it);
            kernels_.push_back(hit);
            return hit.g;
        }
    auto g = std::make_shared<const std::vector<float>>(effective_kernel(cnn_->weights, r.run->forward, stage, row, col));
    ++ctx.backward_passes;
    if (kernels_.size() >= kKernelCacheSize) kernels_.erase(kernels_.begin());
    kernels_.push_back({r.run, stage, row, col, g});
    return g;
}

void ResnetRunner::load(const std::string& path, EngineContext& ctx, ComparisonResult& out) {
    if (cnn_ && path_ == path) return;
    ctx.set_phase("loading the checkpoint", -1.0f);
    std::shared_ptr<const ResnetModel> m;
    try {
        m = std::make_shared<const ResnetModel>(load_resnet(path));
    } catch (...) {
        out.model_failed = true;  // the previous model (and its caches) stay as they were
        throw;
    }
    ref_.reset();
    cur_.reset();
    kernels_.clear();
    conv_.reset();
    cnn_ = std::move(m);
    path_ = path;
    filters_ = std::make_shared<const std::vector<ConvKernel>>(cnn_->conv1_filters());
}

std::pair<const CnnRun*, const CnnRun*> ResnetRunner::runs(const ComparisonRequest& req, const ResnetInput& in,
                                                           EngineContext& ctx) {
    const Image& a = *req.image_a;
    const bool ab = req.image_b && !req.image_b->empty();
    const auto b = ab ? req.image_b : nullptr;
    const bool changed = ab || !req.perturb.is_identity();
    const std::string ref_key = input_key(req.image_a_version, in);
    if (!ref_ || ref_key_ != ref_key) {
        ref_.reset();
        ctx.set_phase(changed ? "ResNet forward pass, clean image A" : "ResNet forward pass", -1.0f);
        ref_ = run_once(a, in, ctx);
        ref_key_ = ref_key;
    }
    if (!changed) return {&*ref_, &*ref_};
    if (!cur_ || cur_key_ != ref_key || cur_b_ != b || !same_perturbation(cur_perturb_, req.perturb)) {
        cur_.reset();
        // As for a ViT: B brought to A's size first (centre crop, never stretched).
        const Image base = ab ? match_size_centre_crop(*req.image_b, a.width, a.height) : a;
        ctx.set_phase("ResNet forward pass, changed input", -1.0f);
        cur_ = run_once(apply_perturbation(base, req.perturb), in, ctx);
        cur_key_ = ref_key;
        cur_b_ = b;
        cur_perturb_ = req.perturb;
    }
    return {&*ref_, &*cur_};
}

void ResnetRunner::effective_kernels(const CnnRun& ref, const CnnRun& cur, int stage, int row, int col,
                                     EngineContext& ctx, ComparisonResult& out) {
    const Feature& f = cur.run->forward.stages[stage - 1];
    const int gh = f.h, gw = f.w, stride = ResnetWeights::stage_stride(stage);
    ctx.set_phase("effective kernel (backward pass)", -1.0f);
    out.g_a = kernel(ref, stage, row, col, ctx);
    out.g_b = &cur == &ref ? out.g_a : kernel(cur, stage, row, col, ctx);
    const Image& ia = ref.run->input;
    const Image& ib = cur.run->input;
    out.cnn_input_a = std::shared_ptr<const Image>(ref.run, &ref.run->input);
    out.cnn_input_b = std::shared_ptr<const Image>(cur.run, &cur.run->input);
    double cx = 0, cy = 0;
    query_centre(row, col, stride, &cx, &cy);
    // Each input's mass on the grid, readouts and picture (about 6 ms each, the readouts'
    // sort most of it, on one thread): A's and B's side by side on two OpenMP threads,
    // which would otherwise wait, since a query move is two 35 ms backward passes and this.
    std::exception_ptr failed[2];   // nothing may be thrown out of an OpenMP section
    auto finish = [&](int i, const std::vector<float>& g, const Image& in, std::vector<float>* mass,
                      EffectiveKernelReadouts* readouts, std::shared_ptr<const DisplayPicture>* picture) {
        try {
            *mass = kernel_mass_on_grid(g, in.height, in.width, gh, gw, stride);
            *readouts = kernel_readouts(g, in.height, in.width, cx, cy);
            *picture = display_picture(effective_kernel_picture(g, in, row, col, stride, 0.75f));
        } catch (...) {
            failed[i] = std::current_exception();
        }
    };
    const bool same = &cur == &ref;
#pragma omp parallel sections if (!same)
    {
#pragma omp section
        finish(0, *out.g_a, ia, &out.cnn_row_a, &out.readouts_a, &out.g_a_picture);
#pragma omp section
        if (!same) finish(1, *out.g_b, ib, &out.cnn_row_b, &out.readouts_b, &out.g_b_picture);
    }
    for (const auto& e : failed)
        if (e) std::rethrow_exception(e);
    if (same) {
        out.cnn_row_b = out.cnn_row_a;
        out.readouts_b = out.readouts_a;
        out.g_b_picture = out.g_a_picture;
    }
    out.cnn_change = ia.width == ib.width && ia.height == ib.height ? effective_kernel_change(*out.g_a, *out.g_b, ib.height, ib.width) : 0.0;
    out.cnn_stage = stage;
    out.cnn_row = row;
    out.cnn_col = col;
    out.cnn_stride = stride;
    out.cnn_grid_h = gh;
    out.cnn_grid_w = gw;
    out.backward_passes = ctx.backward_passes.load();
}

void ResnetRunner::run_beside(const ComparisonRequest& req, EngineContext& ctx, ComparisonResult& out) {
    // The main model's query, a patch of its grid, goes to the stage cell under the same
    // point of the picture (both models see the same centre crop of the photo).
    load(req.model.second_weights_path, ctx, out);
    const ResnetInput in = resnet_input(req.model, false);
    const auto [ref, cur] = runs(req, in, ctx);
    const int stage = std::clamp(req.cnn_stage, 1, 4);
    const Feature& f = cur->run->forward.stages[stage - 1];
    const TokenLayout& L = out.current->layout;
    const int vr = req.query_row < 0 ? L.grid_h / 2 : std::clamp(req.query_row, 0, L.grid_h - 1);
    const int vc = req.query_col < 0 ? L.grid_w / 2 : std::clamp(req.query_col, 0, L.grid_w - 1);
    effective_kernels(*ref, *cur, stage, map_cell(vr, L.grid_h, f.h), map_cell(vc, L.grid_w, f.w), ctx, out);
    out.cnn_src_row = vr;
    out.cnn_src_col = vc;
    out.cnn2 = cnn_;
}

void ResnetRunner::run(const ComparisonRequest& req, EngineContext& ctx, ComparisonResult& out) {
    const ResnetInput in = resnet_input(req.model, true);
    load(req.model.weights_path, ctx, out);
    const auto [ref, cur] = runs(req, in, ctx);
    out.cnn = cnn_;
    out.learned = filters_;
    out.learned_prefix = "conv1";
    out.weights_path = req.model.weights_path;
    out.resize = req.model.resize;
    out.description = cnn_->weights.describe();
    const int stage = std::clamp(req.cnn_stage, 1, 4);
    const Feature& f = cur->run->forward.stages[stage - 1];
    const int row = req.query_row < 0 ? f.h / 2 : std::clamp(req.query_row, 0, f.h - 1);
    const int col = req.query_col < 0 ? f.w / 2 : std::clamp(req.query_col, 0, f.w - 1);
    effective_kernels(*ref, *cur, stage, row, col, ctx, out);
    out.cnn_src_row = row;
    out.cnn_src_col = col;
    // The stage grid as a token layout: a CNN has no attention matrices (comparison.h).
    auto layout = std::make_shared<AttentionSet>();
    layout->layers = 1;
    layout->heads = 1;
    layout->tokens = f.h * f.w;
    layout->layout.grid_h = f.h;
    layout->layout.grid_w = f.w;
    layout->layout.patch = out.cnn_stride;
    out.current = layout;
    out.reference = layout;
    out.shown = cur->shown;
    out.shown_a = ref->shown;
    out.top5 = cur->top5;
    out.top5_names = cur->top5_names;
    out.model_w = cur->run->input.width;
    out.model_h = cur->run->input.height;
    out.crop_x = (req.image_a->width - cur->shown->width) / 2;
    out.crop_y = (req.image_a->height - cur->shown->height) / 2;
    ctx.attach_luminance(out);
    conv_part(req, in, *ref, *cur, out);
}

void ResnetRunner::conv_part(const ComparisonRequest& req, const ResnetInput& in, const CnnRun& ref, const CnnRun& cur,
                             ComparisonResult& out) {
    // Moving the query changes nothing on the conv side: reuse it.
    const std::string key = conv_key(req);
    if (conv_ && key == conv_key_ && conv_->shown == out.shown && conv_->shown_a == out.shown_a) {
        const ComparisonResult& c = *conv_;
        out.kernel = c.kernel;
        out.kernel_reference = c.kernel_reference;
        out.response = c.response;
        out.response_a = c.response_a;
        out.response_reduced = c.response_reduced;
        out.data_dependent = c.data_dependent;
        out.bilateral = c.bilateral;
        out.dynamic = c.dynamic;
        out.filter = c.filter;
        out.kernel_px = c.kernel_px;
        return;
    }
    // conv1 acts on the normalised network input: its response is shown there.
    if (!apply_learned_filter(req, *filters_, cur.run->input, ref.run->input, in.mean, in.std,
                              static_cast<float>(cur.shown->width), out))
        apply_conv_filter(req, cur.shown, out);
    conv_key_ = key;
    conv_ = std::make_shared<const ComparisonResult>(out);
}

}  // namespace

QueryKernel resnet_kernel_at_query(const ComparisonResult& r, const ViewSpec&) {
    // A's effective kernel at the result's own query (the request's), over the input pixels.
    QueryKernel k;
    if (!r.g_a || !r.cnn_input_a) return k;
    k.h = r.cnn_input_a->height;
    k.w = r.cnn_input_a->width;
    k.values = effective_kernel_distribution(*r.g_a, k.h, k.w);
    return k;
}

std::unique_ptr<FamilyRunner> make_resnet_runner() { return std::make_unique<ResnetRunner>(); }

}  // namespace ks
