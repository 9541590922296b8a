#pragma once
// A render from a real Vision Transformer: the forward pass, then the same views,
// pictures and summary as the built-in model.
#include "pipeline/render.h"
#include "vit/vit_model.h"

namespace ks {


RenderResult render_vit(const VitModel& model, const Image& image, VitResize mode, const RenderOptions& opt,
                        const ProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace ks
