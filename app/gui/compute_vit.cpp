// The worker's Vision Transformer path: load the checkpoint (once per file and
// overrides), run the forward pass on clean image A (once per image) and on the
// changed input (once per perturbation / image B), and look up the filter.
#include <algorithm>
#include <cstdio>

#include "compute.h"
#include "imagenet_names.h"
#include "image/match_size.h"
#include "pipeline/render_vit.h"
#include "attention/view_extras.h"
#include "attention/views.h"

namespace ks::gui {

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

}  // namespace

ComputeWorker::VitRun ComputeWorker::run_vit_once(const Image& image) {
    const VitResize mode = resize_now_;
    VitOutput o = run_vit(*vit_, image, mode, [this](float f) { fraction_ = f; }, &cancel_);
    ++forward_passes_;
    VitRun r;
    r.shown = std::make_shared<const Image>(model_view_of_original(image, o.input.width, o.input.height, mode));
    r.input = std::make_shared<const Image>(std::move(o.input));
    r.analysis = std::make_shared<const ImageAnalysis>(analyse_image("", o, image.width, image.height, mode));
    r.description = std::move(o.description);
    r.top5 = top_logits(o.logits, 5);
    r.top5_names = top_logit_names(r.top5, o.logits.size(), *imagenet_class_names());
    auto att = std::make_shared<const AttentionSet>(std::move(o.attention));
    r.mean_distance = r.analysis->distances.model_px;   // mean_attention_distance, already run by the analysis
    r.attention = std::move(att);
    return r;
}

void ComputeWorker::compute_vit(const ComputeRequest& req, ComputeResult& out) {
    const ModelSpec& ms = req.model;
    const std::string key = model_key(ms);
    if (!vit_ || key != vit_key_) {
        set_phase("loading the checkpoint", -1.0f);
        std::shared_ptr<const VitModel> m;
        try {
            m = std::make_shared<const VitModel>(load_vit(ms.weights_path, ms.config_path, ms.overrides));
        } catch (...) {
            out.model_failed = true;  // the previous model (and its caches) stay as they were
            throw;
        }
        vref_.reset();
        vcur_.reset();
        vit_ = std::move(m);
        vit_key_ = key;
        vit_filters_ = std::make_shared<const std::vector<ConvKernel>>(vit_->filters());
    }
    out.vit = vit_;
    out.learned = vit_filters_;
    out.weights_path = ms.weights_path;
    out.resize = ms.resize;
    resize_now_ = ms.resize;

    const Image& a = *req.image_a;
    const bool ab = static_cast<bool>(req.image_b) && !req.image_b->empty();
    bool changed = ab || !req.perturb.is_identity();
    if (changed && 2.0 * vit_attention_bytes(vit_->config) > kAttentionBudgetBytes) {
        // A and B together would pass the memory budget: show A alone and say why.
        char buf[256];
        std::snprintf(buf, sizeof buf,
                      "Input B is not computed: two forward passes' attention would take %.1f GiB, over the %.0f GiB "
                      "budget; a smaller --image-size (or the Overrides' input size) brings B back.",
                      2.0 * vit_attention_bytes(vit_->config) / (1024.0 * 1024 * 1024), kAttentionBudgetBytes / (1024.0 * 1024 * 1024));
        out.warning = buf;
        vcur_.reset();
        changed = false;
    }
    if (!vref_ || vref_version_ != req.image_a_version || vref_resize_ != ms.resize) {
        vref_.reset();
        set_phase(changed ? "forward pass, clean image A" : "forward pass", 0.0f);
        vref_ = run_vit_once(a);
        vref_version_ = req.image_a_version;
        vref_resize_ = ms.resize;
    }
    const VitRun* cur = &*vref_;
    if (changed) {
        const bool hit = vcur_ && vcur_version_ == req.image_a_version && vcur_resize_ == ms.resize &&
                         vcur_b_ == (ab ? req.image_b : nullptr) && same_perturbation(vcur_perturb_, req.perturb);
        if (!hit) {
            vcur_.reset();
            // B is brought to A's size first, so the perturbation rectangle and the
            // crop mean the same pixels for A and B.
            // B is centre-cropped to A's aspect ratio before the resize: never stretched.
            const Image base = ab ? match_size_centre_crop(*req.image_b, a.width, a.height) : a;
            const Image in = apply_perturbation(base, req.perturb);
            set_phase("forward pass, changed input", 0.0f);
            vcur_ = run_vit_once(in);
            vcur_version_ = req.image_a_version;
            vcur_resize_ = ms.resize;
            vcur_b_ = ab ? req.image_b : nullptr;
            vcur_perturb_ = req.perturb;
        }
        cur = &*vcur_;
    }
    out.reference = vref_->attention;
    out.current = cur->attention;
    out.shown = cur->shown;
    out.shown_a = vref_->shown;
    out.description = cur->description;
    out.top5 = cur->top5;
    out.top5_names = cur->top5_names;
    out.mean_distance = cur->mean_distance;
    out.analysis_a = vref_->analysis;
    out.analysis_b = cur->analysis;
    out.model_w = cur->input->width;
    out.model_h = cur->input->height;
    // model_view_of_original takes the centred crop, so its origin is half the margin.
    out.crop_x = (a.width - cur->shown->width) / 2;
    out.crop_y = (a.height - cur->shown->height) / 2;

    attach_luminance(out);
    const auto learned = std::find_if(vit_filters_->begin(), vit_filters_->end(),
                                      [&](const ConvKernel& k) { return k.name == req.filter; });
    if (learned != vit_filters_->end()) {
        // A learned filter is a stride-p conv on the normalised model input: apply it there.
        out.kernel = *learned;
        out.kernel_reference = *learned;
        out.response = kernel_response(normalised_image(*cur->input, vit_->config.mean, vit_->config.std), out.kernel);
        out.response_a = cur == &*vref_ ? out.response
                                        : kernel_response(normalised_image(*vref_->input, vit_->config.mean, vit_->config.std), out.kernel);
        out.kernel_px = static_cast<float>(cur->shown->width) / std::max(1, cur->input->width);
    } else {
        apply_conv_filter(req, cur->shown, *vref_->shown, out);
    }
}

}  // namespace ks::gui
