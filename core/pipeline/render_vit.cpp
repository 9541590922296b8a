#include "pipeline/render_vit.h"

#include <algorithm>
#include <cmath>

#include "analysis/fourier.h"
#include "attention/view_extras.h"

namespace ks {

RenderResult render_vit(const VitModel& model, const Image& image, VitResize mode, const RenderOptions& opt,
                        const ProgressFn& progress, const std::atomic<bool>* cancel) {
    VitOutput o = run_vit(model, image, mode, progress, cancel);
    RenderResult r;
    r.image = model_view_of_original(image, o.input.width, o.input.height, mode);
    r.attention = std::move(o.attention);
    r.model_name = model.config.layout_name.empty() ? "vit" : model.config.layout_name;
    r.model_description = std::move(o.description);
    r.top_logits = top_logits(o.logits, 5);
    if (opt.class_names) r.top_logit_names = top_logit_names(r.top_logits, o.logits.size(), *opt.class_names);
    for (const auto& tokens : o.block_outputs)
        r.fourier_high_frequency.push_back(fourier_profile(tokens, o.dim, r.attention.layout).high_frequency());
    const Image model_input = normalised_image(o.input, model.config.mean, model.config.std);
    finish_render(r, opt, model.filters(), &model_input);
    return r;
}

}  // namespace ks
