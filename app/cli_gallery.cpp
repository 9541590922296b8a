#include "cli_gallery.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli_analyze_io.h"
#include "cnn/resnet_model.h"
#include "compare/gallery.h"
#include "conv/filter_choice.h"
#include "image_folder.h"
#include "io/csv.h"
#include "io/file_output.h"
#include "io/input_error.h"
#include "io/npy.h"
#include "pipeline/gallery_picture.h"

namespace ks {

namespace fs = std::filesystem;

std::string gallery_help() {
    return "kernelscope gallery: one query over many images, each image's kernel there, their mean, and each\n"
           "image's distance to the mean\n"
           "\n"
           "  kernelscope gallery --images DIR|FILE... --query R,C --out DIR [--weights W] [--layer L --head H]\n"
           "\n"
           "  --images DIR|FILE...  every image file under DIR (png, jpg, jpeg, bmp, tga, gif), recursively, or\n"
           "                     the files given; each is brought to the first one's shape (centre crop, then\n"
           "                     resize) and read box-reduced to at most 0.26 MP; unreadable ones are skipped\n"
           "                     and listed in skipped.csv\n"
           "  --query R,C        the query: a patch of the model's grid (a ResNet: a cell of the stage's grid)\n"
           "  --weights FILE     a ViT or ResNet checkpoint (default: the built-in similarity model)\n"
           "  --layer L --head H the attention row's layer (default the last) and head (default 0)\n"
           "  --stage layerN     a ResNet's stage (default layer3)\n"
           "  --filter NAME      the fixed conv drawn under each image (default: the model's first learned\n"
           "                     filter for a ResNet, else sobel_x)\n"
           "  --out DIR          written all or nothing:\n"
           "                       kernels.npy      float32 [images, grid_h, grid_w] attention rows over the patch\n"
           "                                        grid (prefix tokens left out), or [images, H, W] a ResNet's\n"
           "                                        effective kernel |g| over its input pixels, normalised to sum 1\n"
           "                       mean_kernel.npy  float32, the mean of kernels.npy over the images\n"
           "                       tv_to_mean.csv   image,tv: 1/2 sum |kernel - mean| (17 significant digits)\n"
           "                       skipped.csv      images that could not be read, and why\n"
           "                       gallery.png      each image with its kernel, the fixed conv under each, the mean\n"
           "\n"
           "The model's flags (--config, --image-size, --resize, --patch, --tau, ...) are the desktop app's.\n";
}

namespace {

struct GalleryImages {
    std::vector<std::string> paths, names;
};

// --images: one folder (listed as analyze lists it), or files.
GalleryImages gallery_image_list(const CliOptions& o, std::vector<Skipped>* skipped) {
    GalleryImages out;
    std::error_code ec;
    if (o.images.size() == 1 && fs::is_directory(o.images[0], ec)) {
        refuse_output_inside(*o.out_dir, o.images[0]);
        const FolderListing l = list_images(o.images[0], *o.out_dir);
        for (const auto& name : l.images) {
            out.paths.push_back((fs::path(o.images[0]) / name).string());
            out.names.push_back(name);
        }
        *skipped = l.folders;
        if (l.images.empty())
            throw InputError("--images: no image files (png, jpg, jpeg, bmp, tga, gif) under '" + o.images[0] + "'.");
        return out;
    }
    for (const auto& p : o.images) {
        if (fs::is_directory(p, ec)) throw InputError("--images takes one folder, or image files: '" + p + "' is a folder among files.");
        out.paths.push_back(p);
        out.names.push_back(p);
    }
    return out;
}

// The request from the flags; the query is checked against the model's grid by the run.
GalleryRequest gallery_request(const CliOptions& o) {
    GalleryRequest req;
    ComparisonRequest& b = req.base;
    b.model.weights_path = o.weights.value_or("");
    b.model.config_path = o.config.value_or("");
    b.model.overrides = o.vit_overrides;
    b.model.resize = o.vit_resize;
    b.sim = o.render.sim;
    const ModelFamily& family = family_for_checkpoint(b.model.weights_path);
    b.filter = o.filter_given ? o.render.filter : family.default_filter ? family.default_filter : "sobel_x";
    if (is_data_dependent(b.filter))
        throw InputError("The gallery draws one fixed conv under every image; --filter " + b.filter +
                         " is data-dependent (choose a bank filter, user, or a learned filter).");
    b.gaussian_sigma = o.render.gaussian_sigma;
    b.user_weights = o.render.user_weights;
    if (o.stage) b.cnn_stage = parse_stage(*o.stage);
    b.query_row = o.render.view.row;
    b.query_col = o.render.view.col;
    req.view = o.render.view;
    if (!o.layer_given) req.view.layer = -1;   // the last layer
    req.keep_results = false;                  // one query: each image's result is read once
    return req;
}

void check_gallery_flags(const CliOptions& o) {
    if (o.images.empty()) throw InputError("kernelscope gallery needs --images DIR or image files; see kernelscope gallery --help.");
    if (!o.out_dir) throw InputError("kernelscope gallery needs --out DIR; see kernelscope gallery --help.");
    if (!o.query_given) throw InputError("kernelscope gallery needs --query R,C (a patch of the model's grid).");
    if (!o.prefix_name.empty() || o.render.view.kind != QueryKind::Patch)
        throw InputError("The gallery's query is a patch R,C; a prefix token or rollout query is not one.");
    check_flags_for_family(o, model_flag_family(o.weights));
}

std::string gallery_tv_csv(const GalleryResult& g) {
    std::string s = "image,tv\n";
    for (size_t i = 0; i < g.tv.size(); ++i) s += csv_field(g.names[i]) + "," + csv_digits(g.tv[i], 17) + "\n";
    return s;
}

std::vector<std::pair<std::string, std::string>> gallery_files(const GalleryResult& g, const std::vector<Skipped>& skipped,
                                                               const std::string& title) {
    std::vector<float> all;
    for (const auto& k : g.kernels) all.insert(all.end(), k.values.begin(), k.values.end());
    const size_t h = static_cast<size_t>(g.mean.h), w = static_cast<size_t>(g.mean.w);
    const Image pic = gallery_picture(g, title);
    return {{"kernels.npy", npy_bytes(all, {g.kernels.size(), h, w})},
            {"mean_kernel.npy", npy_bytes(g.mean.values, {h, w})},
            {"tv_to_mean.csv", gallery_tv_csv(g)},
            {"skipped.csv", skipped_csv(skipped)},
            {"gallery.png", png_bytes(to_rgb8(pic), pic.width, pic.height)}};
}

}  // namespace

int run_gallery(const CliOptions& o) {
    if (o.help) {
        std::cout << gallery_help();
        return 0;
    }
    check_gallery_flags(o);
    check_output_folder(*o.out_dir);   // said now, not after the work
    std::vector<Skipped> skipped;
    const GalleryImages list = gallery_image_list(o, &skipped);
    GalleryRequest req = gallery_request(o);
    for (size_t i = 0; i < list.paths.size(); ++i) {
        try {
            req.images.push_back(std::make_shared<const Image>(load_gallery_image(list.paths[i])));
            req.names.push_back(list.names[i]);
        } catch (const InputError& e) {
            skipped.push_back({list.names[i], e.what()});
            std::cerr << "skipped " << list.names[i] << ": " << e.what() << "\n";
        }
    }
    if (req.images.empty()) throw InputError("None of the " + std::to_string(list.paths.size()) + " images could be read (see above).");
    EngineHooks hooks;
    const bool tty = ::isatty(2) == 1;
    std::string last;
    hooks.phase = [&](const char* phase, float) {
        if (phase == last) return;
        last = phase;
        std::cerr << (tty ? "\r\033[K" : "") << phase << (tty ? "" : "\n") << std::flush;
    };
    Gallery gallery;
    const auto g = gallery.run(req, hooks);
    if (tty) std::cerr << "\r\033[K";
    if (!g->error.empty()) throw InputError(g->error);
    // The view names a layer and head only for kernels on the query grid (attention rows).
    const bool rows = g->mean.h == g->grid_h && g->mean.w == g->grid_w;
    char title[256];
    std::snprintf(title, sizeof title, "%s at query (%d, %d)%s: %zu images, largest TV to the mean first",
                  family_by_id(g->family).name, g->view.row, g->view.col,
                  rows ? (", layer " + std::to_string(g->view.layer) + " head " + std::to_string(g->view.head)).c_str() : "",
                  g->kernels.size());
    write_files(*o.out_dir, gallery_files(*g, skipped, title));
    std::cout << "gallery of " << g->kernels.size() << " image(s)"
              << (skipped.empty() ? "" : ", skipped " + std::to_string(skipped.size()) + " (see skipped.csv)") << "; wrote "
              << *o.out_dir << "\n";
    return 0;
}

}  // namespace ks
