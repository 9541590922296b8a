// kernelscope: one binary for the desktop app and the headless CLI.
#include <iostream>
#include <string>
#include <vector>

#include "cli_options.h"
#include "cli_bench.h"
#include "cli_render.h"
#ifdef KS_HAVE_GUI
#include "gui/gui_main.h"
#endif

namespace {

int run_app(const ks::CliOptions& o) {
#ifdef KS_HAVE_GUI
    ks::GuiLaunch launch;
    launch.image_path = o.image;
    launch.second_image_path = o.image_b;
    launch.screenshot_path = o.screenshot;
    launch.script_path = o.script;
    launch.weights_path = o.weights;
    launch.config_path = o.config;
    launch.vit_overrides = o.vit_overrides;
    launch.vit_resize = o.vit_resize;
    launch.options = o.render;
    launch.prefix_query = o.prefix_name;
    if (o.query_given && o.render.view.kind == ks::QueryKind::Patch)
        launch.query = std::make_pair(o.render.view.row, o.render.view.col);
    return ks::run_gui(launch);
#else
    (void)o;
    std::cerr << "This kernelscope was built without the desktop app (KS_BUILD_GUI=OFF); use kernelscope render.\n";
    return 1;
#endif
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    const bool render = !args.empty() && args[0] == "render";
    const bool bench = !args.empty() && args[0] == "bench";
    if (render || bench) args.erase(args.begin());
    try {
        if (bench) return ks::run_bench(args);
        const ks::CliOptions o = ks::parse_cli(args);
        if (o.help) {
            std::cout << (render ? ks::render_help() : ks::main_help());
            return 0;
        }
        return render ? ks::run_render(o) : run_app(o);
    } catch (const ks::InputError& e) {
        std::cerr << "kernelscope: " << e.what() << "\n";
        return 2;
    } catch (const std::bad_alloc&) {
        std::cerr << "kernelscope: out of memory; try a larger patch size or a smaller image.\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "kernelscope: " << e.what() << "\n";
        return 1;
    }
}
