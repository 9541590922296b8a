// libFuzzer target: image bytes -> header check, decode, convert (box-reduced as read),
// fit and resize to a patch grid, and the ViT preprocessing. Any input must end in an
// image or an InputError, never a crash, a sanitizer report or a hang.
#include <cstddef>
#include <cstdint>

#include "image/image.h"
#include "image/patch_grid.h"
#include "io/input_error.h"
#include "image/model_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        ks::ImageLoadOptions opt;
        opt.max_pixels = 1 << 20;  // keep each run fast; the reduction path is exercised too
        ks::ImageLoadInfo info;
        const ks::Image img = ks::load_image_from_memory(data, size, "fuzz", opt, &info);
        if (img.empty() || img.rgb.size() != static_cast<size_t>(img.width) * img.height * 3) __builtin_trap();
        const ks::PatchGrid g = ks::fit_patch_grid(img.width, img.height, 8);
        const ks::Image fitted = ks::resize_to_grid(img, g);
        if (fitted.width != g.width() || fitted.height != g.height()) __builtin_trap();
        ks::preprocess_vit(img, 32, 32, size % 2 ? ks::VitResize::Whole : ks::VitResize::ShorterSideCrop,
                           {0.5f, 0.5f, 0.5f}, {0.25f, 0.25f, 0.25f});
    } catch (const ks::InputError&) {
    }
    return 0;
}
