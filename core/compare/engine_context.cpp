#include "compare/engine_context.h"

#include <algorithm>

#include "attention/view_extras.h"
#include "conv/convolution.h"
#include "conv/filter_choice.h"
#include "image/downscale.h"
#include "io/file_output.h"
#include "draw/response_picture.h"

namespace ks {

bool same_perturbation(const Perturbation& a, const Perturbation& b) {
    return a.brightness == b.brightness && a.contrast == b.contrast && a.noise_sigma == b.noise_sigma &&
           a.noise_seed == b.noise_seed && a.occlusion.x == b.occlusion.x && a.occlusion.y == b.occlusion.y &&
           a.occlusion.w == b.occlusion.w && a.occlusion.h == b.occlusion.h &&
           a.occlusion_value == b.occlusion_value && a.dx == b.dx && a.dy == b.dy && a.fill == b.fill;
}

std::shared_ptr<const DisplayPicture> display_picture(const Image& img) {
    auto p = std::make_shared<DisplayPicture>();
    p->width = img.width;
    p->height = img.height;
    p->rgb = to_rgb8(img);
    return p;
}

void EngineContext::set_phase(const char* phase, float fraction) const {
    if (hooks.phase) hooks.phase(phase, fraction);
}

void EngineContext::set_fraction(float fraction) const {
    if (hooks.fraction) hooks.fraction(fraction);
}

void EngineContext::attach_luminance(ComparisonResult& out) {
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

void EngineContext::prepare_pictures(ComparisonResult& out) {
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

void apply_conv_filter(const ComparisonRequest& req, const std::shared_ptr<const Image>& shown, ComparisonResult& out) {
    out.kernel_px = 1.0f;
    out.filter = req.filter;
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
    const Plane& l = *out.lum_shown;
    out.kernel = data_dependent_kernel_at(req.filter, l, l.width / 2, l.height / 2, req.bilateral, req.dynamic);
    out.kernel_reference =
        data_dependent_kernel_at(req.filter, *out.lum_reference, l.width / 2, l.height / 2, req.bilateral, req.dynamic);
    out.response_reduced = std::max(l.width, l.height) > kDisplayMaxSide;
    out.response = data_dependent_response(req.filter,
                                           out.response_reduced && out.shown_display ? luminance(*out.shown_display) : l,
                                           req.bilateral, req.dynamic);
}

bool apply_learned_filter(const ComparisonRequest& req, const std::vector<ConvKernel>& filters, const Image& input_b,
                          const Image& input_a, const std::array<float, 3>& mean, const std::array<float, 3>& std,
                          float shown_width, ComparisonResult& out) {
    const auto learned =
        std::find_if(filters.begin(), filters.end(), [&](const ConvKernel& k) { return k.name == req.filter; });
    if (learned == filters.end()) return false;
    // A learned filter is a strided conv on the normalised model input: applied there.
    out.filter = req.filter;
    out.kernel = *learned;
    out.kernel_reference = *learned;
    out.response = kernel_response(normalised_image(input_b, mean, std), out.kernel);
    out.response_a = &input_a == &input_b ? out.response : kernel_response(normalised_image(input_a, mean, std), out.kernel);
    out.kernel_px = shown_width / std::max(1, input_b.width);
    return true;
}

}  // namespace ks
