#pragma once
// A render from a real Vision Transformer: the forward pass, then the same views,
// pictures and summary as the built-in model.
#include "pipeline/render.h"
#include "vit/vit_model.h"

namespace ks {

// The part of the original image the model saw, at the original resolution: the whole
// image for VitResize::Whole, the centred crop for ShorterSideCrop. Heatmaps are drawn
// over it so they keep the user's resolution.
Image model_view_of_original(const Image& original, int model_w, int model_h, VitResize mode);

RenderResult render_vit(const VitModel& model, const Image& image, VitResize mode, const RenderOptions& opt,
                        const ProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace ks
