// The worker's ResNet path: load the checkpoint (once per file), run the forward pass
// on clean image A and on the changed input (each once, gates kept), then one backward
// pass per (input, stage, query) for the effective kernel -- cached, so moving the
// query back and forth or switching B on and off reruns nothing.
#include <algorithm>
#include <cstdio>
#include <exception>

#include "compute.h"
#include "imagenet_names.h"
#include "cnn/checkpoint_kind.h"
#include "pipeline/render_resnet.h"
#include "io/file_output.h"
#include "image/match_size.h"
#include "pipeline/render.h"
#include "pipeline/render_vit.h"
#include "attention/view_extras.h"
#include "vit/vit_model.h"

namespace ks::gui {

namespace {

constexpr size_t kKernelCacheSize = 64;   // 3 x 224 x 224 floats each: about 40 MB in all

// Everything the conv part of a result depends on besides the inputs (compared as
// shared pointers held by the cache, so a freed image's address can never match).
std::string conv_key(const ComputeRequest& req) {
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

}  // namespace

ComputeWorker::CnnRun ComputeWorker::run_cnn_once(const Image& image, const ResnetInput& in) {
    auto run = std::make_shared<const ResnetRun>(run_resnet(*cnn_, image, in, 4));
    ++forward_passes_;
    CnnRun r;
    // The part of the original the network saw, at full resolution (the crop of the
    // shorter-side resize, or the whole photo at its own size).
    r.shown = in.whole ? std::make_shared<const Image>(image)
                       : std::make_shared<const Image>(model_view_of_original(image, run->input.width, run->input.height,
                                                                              VitResize::ShorterSideCrop));
    if (!run->forward.logits.empty()) r.top5 = top_logits(run->forward.logits, 5);
    r.top5_names = top_logit_names(r.top5, run->forward.logits.size(), *imagenet_class_names());
    r.run = std::move(run);
    return r;
}

std::shared_ptr<const std::vector<float>> ComputeWorker::cnn_kernel(const CnnRun& r, int stage, int row, int col) {
    kernel_cache_.erase(std::remove_if(kernel_cache_.begin(), kernel_cache_.end(),
                                       [](const CachedKernel& k) { return k.run.expired(); }),
                        kernel_cache_.end());
    for (auto it = kernel_cache_.begin(); it != kernel_cache_.end(); ++it)
        if (it->run.lock() == r.run && it->stage == stage && it->row == row && it->col == col) {
            CachedKernel hit = *it;  // most recent last
            kernel_cache_.erase(it);
            kernel_cache_.push_back(hit);
            return hit.g;
        }
    auto g = std::make_shared<const std::vector<float>>(effective_kernel(cnn_->weights, r.run->forward, stage, row, col));
    ++backward_passes_;
    if (kernel_cache_.size() >= kKernelCacheSize) kernel_cache_.erase(kernel_cache_.begin());
    kernel_cache_.push_back({r.run, stage, row, col, g});
    return g;
}

std::pair<const ComputeWorker::CnnRun*, const ComputeWorker::CnnRun*> ComputeWorker::cnn_runs(const ComputeRequest& req,
                                                                                              const std::string& path,
                                                                                              const ResnetInput& in,
                                                                                              ComputeResult& out) {
    if (!cnn_ || cnn_path_ != path) {
        set_phase("loading the checkpoint", -1.0f);
        std::shared_ptr<const ResnetModel> m;
        try {
            m = std::make_shared<const ResnetModel>(load_resnet(path));
        } catch (...) {
            out.model_failed = true;  // the previous model (and its caches) stay as they were
            throw;
        }
        cref_.reset();
        ccur_.reset();
        kernel_cache_.clear();
        cnn_conv_.reset();
        cnn_ = std::move(m);
        cnn_path_ = path;
        cnn_filters_ = std::make_shared<const std::vector<ConvKernel>>(cnn_->conv1_filters());
    }
    const Image& a = *req.image_a;
    const bool ab = static_cast<bool>(req.image_b) && !req.image_b->empty();
    const bool changed = ab || !req.perturb.is_identity();
    const std::string ref_key = std::to_string(req.image_a_version) + (in.whole ? "/whole" : "/crop");
    if (!cref_ || cref_key_ != ref_key) {
        cref_.reset();
        set_phase(changed ? "ResNet forward pass, clean image A" : "ResNet forward pass", -1.0f);
        cref_ = run_cnn_once(a, in);
        cref_key_ = ref_key;
    }
    if (!changed) return {&*cref_, &*cref_};
    const bool hit = ccur_ && ccur_key_ == ref_key && ccur_b_ == (ab ? req.image_b : nullptr) &&
                     same_perturbation(ccur_perturb_, req.perturb);
    if (!hit) {
        ccur_.reset();
        // As for a ViT: B brought to A's size first (centre crop, never stretched).
        const Image base = ab ? match_size_centre_crop(*req.image_b, a.width, a.height) : a;
        set_phase("ResNet forward pass, changed input", -1.0f);
        ccur_ = run_cnn_once(apply_perturbation(base, req.perturb), in);
        ccur_key_ = ref_key;
        ccur_b_ = ab ? req.image_b : nullptr;
        ccur_perturb_ = req.perturb;
    }
    return {&*cref_, &*ccur_};
}

void ComputeWorker::cnn_effective_kernels(const CnnRun& ref, const CnnRun& cur, int stage, int row, int col, ComputeResult& out) {
    const Feature& f = cur.run->forward.stages[stage - 1];
    const int gh = f.h, gw = f.w, stride = ResnetWeights::stage_stride(stage);
    set_phase("effective kernel (backward pass)", -1.0f);
    out.g_a = cnn_kernel(ref, stage, row, col);
    out.g_b = &cur == &ref ? out.g_a : cnn_kernel(cur, stage, row, col);
    const Image& ia = ref.run->input;
    const Image& ib = cur.run->input;
    out.cnn_input_a = std::shared_ptr<const Image>(ref.run, &ref.run->input);
    out.cnn_input_b = std::shared_ptr<const Image>(cur.run, &cur.run->input);
    double cx = 0, cy = 0;
    query_centre(row, col, stride, &cx, &cy);
    // Each input's mass on the grid, readouts and picture (about 6 ms each, the readouts'
    // sort most of it, on one thread): A's and B's side by side on the worker's two
    // OpenMP threads, which would otherwise wait, since a query move is two 35 ms
    // backward passes and this.
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
    out.cnn_change = ia.width == ib.width && ia.height == ib.height ? kernel_change(*out.g_a, *out.g_b, ib.height, ib.width) : 0.0;
    out.cnn_stage = stage;
    out.cnn_row = row;
    out.cnn_col = col;
    out.cnn_stride = stride;
    out.cnn_grid_h = gh;
    out.cnn_grid_w = gw;
    out.backward_passes = backward_passes_.load();
}

void ComputeWorker::compute_cnn_beside(const ComputeRequest& req, ComputeResult& out) {
    const std::string& path = req.model.second_weights_path;
    out.second_weights_path = path;
    try {
        if (checkpoint_kind(path) != CheckpointKind::Resnet)
            throw InputError("The second model slot takes a ResNet, and " + path +
                             " is not one (a ViT opens with Ctrl+M as the model itself).");
        // The ViT's query, a patch of its grid, goes to the stage cell under the same point of
        // the picture (both models see the same centre crop of the photo).
        ResnetInput in;
        const auto [ref, cur] = cnn_runs(req, path, in, out);
        const int stage = std::clamp(req.cnn_stage, 1, 4);
        const Feature& f = cur->run->forward.stages[stage - 1];
        const TokenLayout& L = out.current->layout;
        const int vr = req.query_row < 0 ? L.grid_h / 2 : std::clamp(req.query_row, 0, L.grid_h - 1);
        const int vc = req.query_col < 0 ? L.grid_w / 2 : std::clamp(req.query_col, 0, L.grid_w - 1);
        cnn_effective_kernels(*ref, *cur, stage, map_cell(vr, L.grid_h, f.h), map_cell(vc, L.grid_w, f.w), out);
        out.cnn_src_row = vr;
        out.cnn_src_col = vc;
        out.cnn2 = cnn_;
    } catch (const Cancelled&) {
        throw;
    } catch (const std::exception& e) {
        // The ViT's result stays valid; the slot is emptied and the status line says why.
        out.second_error = e.what();
        out.model_failed = false;
        out.g_a.reset();
        out.g_b.reset();
    }
}

void ComputeWorker::compute_cnn(const ComputeRequest& req, ComputeResult& out) {
    const ModelSpec& ms = req.model;
    ResnetInput in;
    in.whole = ms.resize == VitResize::Whole;  // a CNN takes any size: "whole" keeps the photo's own
    const auto [ref, cur] = cnn_runs(req, ms.weights_path, in, out);
    out.cnn = cnn_;
    out.learned = cnn_filters_;
    out.learned_prefix = "conv1";
    out.weights_path = ms.weights_path;
    out.resize = ms.resize;
    out.description = cnn_->weights.describe();

    const int stage = std::clamp(req.cnn_stage, 1, 4);
    const Feature& f = cur->run->forward.stages[stage - 1];
    const int gh = f.h, gw = f.w;
    const int row = req.query_row < 0 ? gh / 2 : std::clamp(req.query_row, 0, gh - 1);
    const int col = req.query_col < 0 ? gw / 2 : std::clamp(req.query_col, 0, gw - 1);
    cnn_effective_kernels(*ref, *cur, stage, row, col, out);
    out.cnn_src_row = row;
    out.cnn_src_col = col;
    const Image& ia = ref->run->input;
    const Image& ib = cur->run->input;
    // The stage grid as a token layout (no matrices: see ComputeResult).
    auto layout = std::make_shared<AttentionSet>();
    layout->layers = 1;
    layout->heads = 1;
    layout->tokens = gh * gw;
    layout->layout.grid_h = gh;
    layout->layout.grid_w = gw;
    layout->layout.patch = out.cnn_stride;
    out.current = layout;
    out.reference = layout;
    out.shown = cur->shown;
    out.shown_a = ref->shown;
    out.top5 = cur->top5;
    out.top5_names = cur->top5_names;
    out.model_w = ib.width;
    out.model_h = ib.height;
    const Image& a = *req.image_a;
    out.crop_x = (a.width - cur->shown->width) / 2;
    out.crop_y = (a.height - cur->shown->height) / 2;

    attach_luminance(out);
    // Moving the query changes nothing on the conv side: reuse it.
    const std::string key = conv_key(req);
    if (cnn_conv_ && key == cnn_conv_key_ && cnn_conv_->shown == out.shown && cnn_conv_->shown_a == out.shown_a) {
        const ComputeResult& c = *cnn_conv_;
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
    const auto learned = std::find_if(cnn_filters_->begin(), cnn_filters_->end(),
                                      [&](const ConvKernel& k) { return k.name == req.filter; });
    if (learned != cnn_filters_->end()) {
        // conv1 acts on the normalised network input: its response is shown there.
        out.kernel = *learned;
        out.kernel_reference = *learned;
        out.response = kernel_response(normalised_image(ib, in.mean, in.std), out.kernel);
        out.response_a = cur == ref ? out.response : kernel_response(normalised_image(ia, in.mean, in.std), out.kernel);
        out.kernel_px = static_cast<float>(cur->shown->width) / std::max(1, ib.width);
    } else {
        apply_conv_filter(req, cur->shown, *ref->shown, out);
    }
    cnn_conv_key_ = key;
    cnn_conv_ = std::make_shared<const ComputeResult>(out);
}

}  // namespace ks::gui
