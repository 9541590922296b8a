#include "cli_render.h"

#include <iostream>
#include <tuple>

#include "cli_comparison.h"
#include "cli_resnet.h"
#include "cnn/checkpoint_kind.h"
#include "io/file_output.h"
#include "image/patch_grid.h"
#include "imagenet_names.h"
#include "pipeline/head_map_files.h"
#include "pipeline/render_vit.h"
#include "sample_image.h"

namespace ks {

namespace {

// Without --query the centre patch of the grid the model will use.
void default_query(RenderOptions& opt, int grid_h, int grid_w) {
    opt.view.row = grid_h / 2;
    opt.view.col = grid_w / 2;
}

// --head-maps: every head of the viewed layer (a rollout query's last layer) for the
// query's token, over the image the heatmap is drawn on.
std::vector<std::pair<std::string, std::string>> head_map_files_for(const RenderResult& r, const RenderOptions& opt,
                                                                    bool overlay, int* layer) {
    const AttentionSet& a = r.attention;
    *layer = opt.view.layer < 0 ? a.layers - 1 : opt.view.layer;
    HeadMapStyle style;
    style.colormap = opt.colormap;
    style.opacity = overlay ? opt.opacity : 0.0f;
    return head_map_files(a, *layer, query_token(a, opt.view), r.image, style, "heads/");
}

}  // namespace

int run_render(const CliOptions& o) {
    if (!o.out_dir) throw InputError("kernelscope render needs --out DIR; see kernelscope render --help.");
    check_output_folder(*o.out_dir);  // before the model runs: a folder that holds anything is refused
    const std::string image_path = o.image ? *o.image : bundled_sample_image();
    RenderOptions opt = o.render;
    RenderResult r;
    // A flag the model does not use is refused before any work.
    check_flags_for_family(o, model_flag_family(o.weights));
    // The checkpoint's kind (ViT or ResNet) comes from its tensor names.
    if (o.weights && checkpoint_kind(*o.weights) == CheckpointKind::Resnet)
        return run_render_resnet(o, image_path, comparison_file(o, image_path));
    if (o.stage) throw InputError(stage_needs_resnet(o));
    if (o.weights) {
        const VitModel model = load_vit(*o.weights, o.config.value_or(""), o.vit_overrides);
        // Read once the model is known: an image far larger than the model input is
        // box-reduced as it is read, to about twice that input (what the model sees anyway).
        ImageLoadOptions read;
        read.model_w = model.config.image_w;
        read.model_h = model.config.image_h;
        const Image image = load_image(image_path, read);
        if (!o.query_given) default_query(opt, model.config.grid_h, model.config.grid_w);
        if (!o.prefix_name.empty()) {
            TokenLayout names;
            names.prefix_names = model.config.prefix_names;
            opt.view.prefix = prefix_index(names, o.prefix_name);
        }
        opt.class_names = imagenet_class_names();   // named in summary.json for a 1000-class head
        r = render_vit(model, image, o.vit_resize, opt);
    } else {
        if (!o.prefix_name.empty()) throw InputError("The built-in model has no prefix tokens; --query " + o.prefix_name + " needs --weights.");
        const Image image = load_image(image_path);
        if (!o.query_given) {
            const PatchGrid g = fit_patch_grid(image.width, image.height, opt.sim.patch);
            default_query(opt, g.grid_h, g.grid_w);
            // The bundled photo's demo query (the cup's rim), as the app opens on it.
            if (!o.image) std::tie(opt.view.row, opt.view.col) = bundled_sample_query();
        }
        r = render_builtin(image, opt);
    }
    auto files = render_files(r, opt);
    files.push_back(comparison_file(o, image_path));   // the app's comparison for the same flags
    int maps_layer = -1;
    if (o.head_maps)
        for (auto& f : head_map_files_for(r, opt, o.head_maps_overlay, &maps_layer)) files.push_back(std::move(f));
    write_files(*o.out_dir, files);
    std::cout << "wrote " << *o.out_dir << " (" << r.model_name << ", " << r.attention.layers << " layer(s) x "
              << r.attention.heads << " head(s), grid " << r.attention.layout.grid_h << " x " << r.attention.layout.grid_w
              << ", " << r.attention.tokens << " tokens)";
    if (o.head_maps) std::cout << "; heads/: " << r.attention.heads << " head map(s) of layer " << maps_layer;
    std::cout << "\n";
    return 0;
}

}  // namespace ks
