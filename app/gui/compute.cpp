#include "compute.h"

#include <chrono>

#include "cnn/checkpoint_kind.h"
#include "conv/convolution.h"
#include "image/downscale.h"
#include "image/match_size.h"
#include "io/file_output.h"
#include "conv/filter_choice.h"
#include "pipeline/render.h"
#include "attention/view_extras.h"

namespace ks::gui {

namespace {

bool same_params(const SimilarityParams& a, const SimilarityParams& b) {
    return a.patch == b.patch && a.tau == b.tau && a.lambda == b.lambda && a.score == b.score &&
           a.projection == b.projection && a.seed == b.seed;
}

}  // namespace

bool same_perturbation(const Perturbation& a, const Perturbation& b) {
    return a.brightness == b.brightness && a.contrast == b.contrast && a.noise_sigma == b.noise_sigma &&
           a.noise_seed == b.noise_seed && a.occlusion.x == b.occlusion.x && a.occlusion.y == b.occlusion.y &&
           a.occlusion.w == b.occlusion.w && a.occlusion.h == b.occlusion.h &&
           a.occlusion_value == b.occlusion_value && a.dx == b.dx && a.dy == b.dy && a.fill == b.fill;
}

ComputeWorker::ComputeWorker() : thread_([this] { loop(); }) {}

ComputeWorker::~ComputeWorker() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        quit_ = true;
        pending_.reset();
    }
    cv_.notify_all();
    thread_.join();
}

void ComputeWorker::post(ComputeRequest req) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        pending_ = std::move(req);
        // A running forward pass computes something nobody will look at any more.
        if (working_) cancel_ = true;
    }
    cv_.notify_all();
}

std::shared_ptr<const ComputeResult> ComputeWorker::take() {
    std::lock_guard<std::mutex> lock(mu_);
    auto r = std::move(done_);
    done_.reset();
    return r;
}

void ComputeWorker::set_wake(std::function<void()> wake) {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = std::move(wake);
}

bool ComputeWorker::busy() const {
    std::lock_guard<std::mutex> lock(mu_);
    return working_ || pending_.has_value();
}

WorkerProgress ComputeWorker::progress() const {
    std::lock_guard<std::mutex> lock(mu_);
    WorkerProgress p;
    p.busy = working_ || pending_.has_value();
    p.phase = p.busy ? (phase_.empty() ? std::string("starting") : phase_) : std::string();
    p.fraction = fraction_.load();
    return p;
}

void ComputeWorker::set_phase(const char* phase, float fraction) {
    std::lock_guard<std::mutex> lock(mu_);
    phase_ = phase;
    fraction_ = fraction;
}

void ComputeWorker::loop() {
    for (;;) {
        ComputeRequest req;
        {
            std::unique_lock<std::mutex> lock(mu_);
            cv_.wait(lock, [this] { return quit_ || pending_.has_value(); });
            if (quit_) return;
            req = std::move(*pending_);
            pending_.reset();
            working_ = true;
            cancel_ = false;
            phase_.clear();
            fraction_ = -1.0f;
        }
        auto result = compute(req);
        const size_t next_step = heap_for_next_step(req, result.get());
        {
            std::lock_guard<std::mutex> lock(mu_);
            working_ = false;
            phase_.clear();
            // Cancelled (a newer request is waiting): nothing to show.
            if (!result) continue;
            // A newer request already waiting makes this result stale only for the
            // heavy parts; showing it meanwhile keeps the UI live, so keep it.
            done_ = std::move(result);
            if (wake_) wake_();
        }
        // The next step's buffers (a perturbed copy, its luminance, the attention, the
        // model's activations) are as large as this one's. Making sure, after every
        // result, that the heap (gui_main keeps big blocks on it) has a free block that
        // large, faulted in, keeps the next step off fresh pages: the first step after
        // opening a 12 MP photo took 0.57-0.65 s (the others 0.33-0.47 s), the first
        // occlusion drag after a filter change, whose allocations had split the free
        // space, 0.57-0.61 s (0.38 s now). When such a block is already free this costs a
        // touch per page, about 1 ms.
        if (req.image_a) grow_heap(next_step);
    }
}

size_t heap_for_next_step(const ComputeRequest& req, const ComputeResult* r) {
    size_t bytes = req.image_a ? req.image_a->rgb.size() * sizeof(float) * 2 : 0;   // two images
    // A checkpoint's step also holds a new attention set (ViT-B: 22 MB) and the model's
    // activations and gradients (tens of MB for ViT-B or ResNet-50 at 224 px), whatever the
    // photo's size: the first ViT-B slider step after loading took 330-410 ms where the
    // next ones took 220-250 ms, faulting in about 40 MB.
    if (r && (r->vit || r->cnn)) {
        if (r->current) bytes += 2 * r->current->data.size() * sizeof(float);
        bytes += size_t(64) << 20;
    }
    return bytes;
}

void ComputeWorker::grow_heap(size_t bytes) {
    std::unique_ptr<char[]> block(new char[bytes]);
    volatile char* touch = block.get();  // volatile: the stores must not be elided
    for (size_t i = 0; i < bytes; i += 4096) touch[i] = 0;
}

std::shared_ptr<const ComputeResult> ComputeWorker::compute(const ComputeRequest& req) {
    auto out = std::make_shared<ComputeResult>();
    out->id = req.id;
    const auto t0 = std::chrono::steady_clock::now();
    try {
        if (!req.image_a || req.image_a->empty()) throw InputError("No image is loaded.");
        if (req.model.is_vit()) {
            // A checkpoint: ResNet or ViT by its tensor names (read once per path).
            if (kind_path_ != req.model.weights_path) {
                kind_is_cnn_ = checkpoint_kind(req.model.weights_path) == CheckpointKind::Resnet;
                kind_path_ = req.model.weights_path;
            }
            if (kind_is_cnn_) {
                compute_cnn(req, *out);
            } else {
                compute_vit(req, *out);
                if (!req.model.second_weights_path.empty()) compute_cnn_beside(req, *out);
            }
        } else {
            compute_builtin(req, *out);
        }
        prepare_pictures(*out);
    } catch (const Cancelled&) {
        return nullptr;
    } catch (const std::exception& e) {
        out->error = e.what();
    }
    out->forward_passes = forward_passes_.load();
    out->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

std::shared_ptr<const DisplayPicture> display_picture(const Image& img) {
    auto p = std::make_shared<DisplayPicture>();
    p->width = img.width;
    p->height = img.height;
    p->rgb = to_rgb8(img);
    return p;
}

void ComputeWorker::prepare_pictures(ComputeResult& out) {
    if (!out.shown) return;
    set_phase("preparing the pictures", -1.0f);
    if (out.shown != picture_src_ || !picture_) {
        picture_.reset();
        picture_ = display_picture(out.shown_display ? *out.shown_display : downscale_to_fit(*out.shown, kDisplayMaxSide));
        picture_src_ = out.shown;
    }
    out.shown_picture = picture_;
    if (out.shown_a == out.shown) {
        out.shown_a_picture = picture_;
    } else if (out.shown_a) {
        if (out.shown_a != picture_a_src_ || !picture_a_) {
            picture_a_.reset();
            picture_a_ = display_picture(downscale_to_fit(*out.shown_a, kDisplayMaxSide));
            picture_a_src_ = out.shown_a;
        }
        out.shown_a_picture = picture_a_;
    }
    // Sign and scale from the full-resolution response: the reduced copy is smoother
    // (a lower percentile, perhaps no negative values left) and must not look different.
    const Plane& r = out.response;
    if (r.v.empty()) return;
    out.response_signed = response_is_signed(r);
    const float scale = response_scale(r);
    const bool fits = std::max(r.width, r.height) <= kDisplayMaxSide;  // already reduced: no copy
    const Plane reduced = fits ? Plane{} : downscale_to_fit(r, kDisplayMaxSide);
    const Plane& shown = fits ? r : reduced;
    auto pic = std::make_shared<DisplayPicture>();
    pic->width = shown.width;
    pic->height = shown.height;
    pic->rgb = response_picture_rgb8(shown, scale, out.response_signed);
    out.response_picture = std::move(pic);
}

void ComputeWorker::compute_builtin(const ComputeRequest& req, ComputeResult& result) {
    ComputeResult* out = &result;
    const Image& a = *req.image_a;

    if (!ref_attention_ || ref_image_version_ != req.image_a_version || !same_params(ref_sim_, req.sim)) {
        ref_attention_.reset();  // free the old N x N before computing the new one
        set_phase("similarity attention", -1.0f);
        ref_attention_ = std::make_shared<const AttentionSet>(similarity_attention(a, req.sim));
        ++forward_passes_;
        ref_image_version_ = req.image_a_version;
        ref_sim_ = req.sim;
    }
    out->reference = ref_attention_;
    out->shown_a = req.image_a;

    const bool ab = static_cast<bool>(req.image_b) && !req.image_b->empty();
    if (!ab && req.perturb.is_identity()) {
        out->shown = req.image_a;
        out->current = ref_attention_;
    } else if (cur_attention_ && cur_image_version_ == req.image_a_version &&
               cur_image_b_ == (ab ? req.image_b.get() : nullptr) && same_perturbation(cur_perturb_, req.perturb) &&
               same_params(cur_sim_, req.sim)) {
        out->shown = cur_shown_;
        out->current = cur_attention_;
    } else {
        cur_attention_.reset();
        // B is brought to A's size (centre crop to A's aspect ratio, then resized: never
        // stretched) so both inputs give the same patch grid and the kernel change
        // compares rows of the same length. A itself is perturbed without a copy first.
        const Image matched = ab ? match_size_centre_crop(*req.image_b, a.width, a.height) : Image{};
        auto shown = std::make_shared<Image>(apply_perturbation(ab ? matched : a, req.perturb));
        set_phase("similarity attention", -1.0f);
        out->current = std::make_shared<const AttentionSet>(similarity_attention(*shown, req.sim));
        ++forward_passes_;
        out->shown = std::move(shown);
        cur_image_version_ = req.image_a_version;
        cur_image_b_hold_ = ab ? req.image_b : nullptr;  // keeps the pointer identity valid
        cur_image_b_ = cur_image_b_hold_.get();
        cur_perturb_ = req.perturb;
        cur_sim_ = req.sim;
        cur_shown_ = out->shown;
        cur_attention_ = out->current;
    }
    attach_luminance(*out);
    // The built-in model's input is the image itself: distances in its pixels, no sub-blocks.
    auto analyse = [](const AttentionSet& att) {
        auto r = std::make_shared<ImageAnalysis>();
        r->distances = mean_distances(att, PixelScale{});
        return std::shared_ptr<const ImageAnalysis>(std::move(r));
    };
    // Over N^2 entries (3072 tokens on a 12 MP photo): only while the Analyses window is open.
    if (req.analyses) {
        if (ref_analysis_src_ != out->reference) {
            ref_analysis_ = analyse(*out->reference);
            ref_analysis_src_ = out->reference;
        }
        out->analysis_a = ref_analysis_;
        out->analysis_b = out->current == out->reference ? ref_analysis_ : analyse(*out->current);
    }
    apply_conv_filter(req, out->shown, a, *out);
}

void ComputeWorker::attach_luminance(ComputeResult& out) {
    // A's luminance is kept while A is the same picture: moving a slider recomputes only B's.
    if (out.shown_a != lum_a_src_ || !lum_a_) {
        lum_a_.reset();
        lum_a_ = std::make_shared<const Plane>(luminance(*out.shown_a));
        lum_a_src_ = out.shown_a;
    }
    out.lum_reference = lum_a_;
    // One reduced copy of what is shown, for the on-screen response and the picture.
    if (out.shown != display_src_ || !display_) {
        display_.reset();
        const Image& sh = *out.shown;
        display_ = std::max(sh.width, sh.height) > kDisplayMaxSide
                       ? std::make_shared<const Image>(downscale_to_fit(sh, kDisplayMaxSide)) : out.shown;
        display_src_ = out.shown;
    }
    out.shown_display = display_;
    out.lum_shown = out.shown == out.shown_a ? lum_a_ : std::make_shared<const Plane>(luminance(*out.shown));
    if (out.lum_shown->width != out.lum_reference->width || out.lum_shown->height != out.lum_reference->height)
        out.lum_reference = out.lum_shown;  // B could not be matched to A: compare B with itself
}

void apply_conv_filter(const ComputeRequest& req, const std::shared_ptr<const Image>& shown, const Image& clean,
                       ComputeResult& out) {
    out.kernel_px = 1.0f;
    if (!is_data_dependent(req.filter)) {
        // Built twice, independently, for the kernel change: the same by construction.
        out.kernel = fixed_filter(req.filter, req.gaussian_sigma, req.user_weights);
        out.kernel_reference = fixed_filter(req.filter, req.gaussian_sigma, req.user_weights);
        // The whole-image response is for the screen: a photo larger than the display
        // is filtered at display resolution (Ctrl+E exports the full-resolution one).
        out.response_reduced = std::max(shown->width, shown->height) > kDisplayMaxSide;
        out.response = kernel_response(out.response_reduced && out.shown_display ? *out.shown_display : *shown, out.kernel);
        return;
    }
    check_bilateral(req.bilateral);
    check_dynamic_conv(req.dynamic);
    out.data_dependent = true;
    out.bilateral = req.bilateral;
    out.dynamic = req.dynamic;
    out.filter = req.filter;
    (void)clean;  // its luminance is out.lum_reference (attach_luminance)
    const Plane& l = *out.lum_shown;
    out.kernel = data_dependent_kernel_at(req.filter, l, l.width / 2, l.height / 2, req.bilateral, req.dynamic);
    out.kernel_reference =
        data_dependent_kernel_at(req.filter, *out.lum_reference, l.width / 2, l.height / 2, req.bilateral, req.dynamic);
    out.response_reduced = std::max(l.width, l.height) > kDisplayMaxSide;
    out.response = data_dependent_response(req.filter,
                                           out.response_reduced && out.shown_display ? luminance(*out.shown_display) : l,
                                           req.bilateral, req.dynamic);
}

}  // namespace ks::gui
