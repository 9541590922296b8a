#include "pipeline/render_vit.h"

#include <algorithm>
#include <cmath>

#include "analysis/fourier.h"
#include "attention/view_extras.h"

namespace ks {

Image model_view_of_original(const Image& original, int model_w, int model_h, VitResize mode) {
    if (mode == VitResize::Whole || (original.width == model_w && original.height == model_h)) return original;
    // Shorter side scaled to fit, then a centred model_w x model_h crop: in original
    // pixels that crop is (model / scale) wide and high.
    const double scale = std::max(static_cast<double>(model_w) / original.width, static_cast<double>(model_h) / original.height);
    const int cw = std::min(original.width, static_cast<int>(std::lround(model_w / scale)));
    const int ch = std::min(original.height, static_cast<int>(std::lround(model_h / scale)));
    const int x0 = (original.width - cw) / 2, y0 = (original.height - ch) / 2;
    Image out;
    out.width = cw;
    out.height = ch;
    out.rgb.resize(static_cast<size_t>(cw) * ch * 3);
    for (int y = 0; y < ch; ++y)
        std::copy_n(original.rgb.begin() + (static_cast<size_t>(y0 + y) * original.width + x0) * 3, static_cast<size_t>(cw) * 3,
                    out.rgb.begin() + static_cast<size_t>(y) * cw * 3);
    return out;
}

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
