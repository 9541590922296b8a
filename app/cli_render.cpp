#include "cli_render.h"

#include <iostream>

#include "file_output.h"
#include "patch_grid.h"

namespace ks {

int run_render(const CliOptions& o) {
    if (!o.out_dir) throw InputError("kernelscope render needs --out DIR; see kernelscope render --help.");
    if (o.weights) throw InputError("ViT checkpoints are not supported by this build yet.");
    const Image image = load_image(o.image.value_or(bundled_sample_image()));
    RenderOptions opt = o.render;
    if (!o.query_given) {  // default: the centre of the grid the image will get
        const PatchGrid g = fit_patch_grid(image.width, image.height, opt.sim.patch);
        opt.view.row = g.grid_h / 2;
        opt.view.col = g.grid_w / 2;
    }
    const RenderResult r = render_builtin(image, opt);
    write_files(*o.out_dir, render_files(r, opt));
    std::cout << "wrote " << *o.out_dir << " (grid " << r.attention.layout.grid_h << " x " << r.attention.layout.grid_w
              << ", query " << opt.view.row << "," << opt.view.col << ")\n";
    return 0;
}

}  // namespace ks
