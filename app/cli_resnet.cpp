#include "cli_resnet.h"

#include <iostream>

#include "pipeline/render_resnet.h"
#include "imagenet_names.h"
#include "io/file_output.h"

namespace ks {
namespace {

// The first flag given that only means something for a Vision Transformer, or "".
std::string vit_only_flag(const CliOptions& o) {
    const ViewSpec& v = o.render.view;
    if (o.vit_overrides.heads != 0) return "--heads";
    if (o.layer_given) return "--layer";
    if (v.reduce != HeadReduce::Single || v.head != 0) return "--head";
    if (o.config) return "--config";
    if (o.render.mass_threshold > 0) return "--mass-threshold";
    if (o.query_given && v.kind != QueryKind::Patch) return "--query " + (o.prefix_name.empty() ? std::string(v.kind == QueryKind::Rollout ? "rollout" : "cls") : o.prefix_name);
    if (o.render.filter.rfind("patch_embed[", 0) == 0) return "--filter " + o.render.filter;
    return "";
}

}  // namespace

std::string stage_needs_resnet(const CliOptions& o) {
    if (o.weights)
        return "--stage is a ResNet setting, but " + *o.weights +
               " is a Vision Transformer checkpoint (use --layer, --head and --query there).";
    return "--stage needs a ResNet checkpoint: --weights resnet.safetensors.";
}

int run_render_resnet(const CliOptions& o, const std::string& image_path, std::pair<std::string, std::string> comparison) {
    if (o.head_maps)
        throw InputError("--head-maps draws attention heads, but " + *o.weights + " is a ResNet checkpoint, which has none.");
    const std::string flag = vit_only_flag(o);
    if (!flag.empty())
        throw InputError(flag + " is a Vision Transformer setting, but " + *o.weights +
                         " is a ResNet checkpoint (it takes --stage, --query ROW,COL, --image-size, --resize, --mean, --std).");
    ResnetRenderOptions ro;
    ro.stage = parse_stage(o.stage.value_or("layer3"));
    if (o.vit_overrides.image_size > 0) ro.input.size = o.vit_overrides.image_size;
    // A CNN takes any size: "whole" keeps the photo's own size rather than squashing it.
    ro.input.whole = o.vit_resize == VitResize::Whole;
    if (o.vit_overrides.mean) ro.input.mean = *o.vit_overrides.mean;
    if (o.vit_overrides.std) ro.input.std = *o.vit_overrides.std;
    if (o.query_given) ro.query = std::make_pair(o.render.view.row, o.render.view.col);
    ro.opacity = o.render.opacity;
    ro.class_names = imagenet_class_names();
    const ResnetModel model = load_resnet(*o.weights);
    const Image image = load_image(image_path);
    const ResnetRender r = render_resnet(model, image, ro);
    auto files = resnet_render_files(r, ro);
    files.push_back(std::move(comparison));
    write_files(*o.out_dir, files);
    std::cout << "wrote " << *o.out_dir << " (resnet, input " << r.input.width << " x " << r.input.height << ", layer"
              << r.stage << " grid " << r.grid_h << " x " << r.grid_w << ", query " << r.row << "," << r.col
              << ", 95% of the kernel within " << r.readouts.radius95 << " px)\n";
    return 0;
}

}  // namespace ks
