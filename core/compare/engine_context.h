#pragma once
// What every model family's runner shares inside one ComparisonEngine: the caller's
// hooks (progress, cancel), the run counters, the class names for the top logits, and
// the steps after the model (luminance, the conv filter, display-size pictures), with
// their caches. No threads: the GUI's worker is a thread around the engine.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "compare/comparison.h"
#include "io/class_names.h"

namespace ks {

// How the caller follows a run and stops it (a set cancel flag makes the run throw
// Cancelled, vit/vit_forward.h, at its next check).
struct EngineHooks {
    std::function<void(const char* phase, float fraction)> phase;   // fraction < 0: unknown
    std::function<void(float fraction)> fraction;                   // progress inside a forward pass
    const std::atomic<bool>* cancel = nullptr;                      // set: stop at the next check
};

class EngineContext {
public:
    EngineHooks hooks;
    std::shared_ptr<const ClassNames> class_names;   // never null (maybe empty)
    std::atomic<uint64_t> forward_passes{0};
    std::atomic<uint64_t> backward_passes{0};

    void set_phase(const char* phase, float fraction) const;
    void set_fraction(float fraction) const;
    // lum_reference (kept per A) and lum_shown; shown_display (kept per `shown`).
    void attach_luminance(ComparisonResult& out);
    // The display-size pictures of `shown`, `shown_a` and the response (kept per input).
    void prepare_pictures(ComparisonResult& out);

private:
    std::shared_ptr<const Image> picture_src_, picture_a_src_;
    std::shared_ptr<const DisplayPicture> picture_, picture_a_;
    std::shared_ptr<const Image> lum_a_src_, display_src_;
    std::shared_ptr<const Image> display_;
    std::shared_ptr<const Plane> lum_a_;
};

// The conv part of a result for a bank, user or data-dependent filter: kernel(s) and
// the response on `shown`. out.lum_shown / lum_reference must be set (attach_luminance).
void apply_conv_filter(const ComparisonRequest& req, const std::shared_ptr<const Image>& shown, ComparisonResult& out);
// A learned filter (a ViT's patch embedding, a ResNet's conv1) named by the request:
// applied to the normalised model inputs of B and A. False when the filter is not one of them.
bool apply_learned_filter(const ComparisonRequest& req, const std::vector<ConvKernel>& filters, const Image& input_b,
                          const Image& input_a, const std::array<float, 3>& mean, const std::array<float, 3>& std,
                          float shown_width, ComparisonResult& out);

}  // namespace ks
