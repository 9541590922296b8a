// kernelscope: one binary for the desktop app and the headless CLI.
#include <iostream>
#include <malloc.h>
#include <optional>
#include <string>
#include <vector>

#include "cli_options.h"
#include "cnn/resnet_model.h"
#include "cli_analyze.h"
#include "cli_bench.h"
#include "cli_gallery.h"
#include "cli_render.h"
#include "cli_signals.h"
#include "data_dir.h"
#include "wait_policy.h"
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
    launch.session_path = o.session;
    launch.weights_path = o.weights;
    launch.config_path = o.config;
    launch.vit_overrides = o.vit_overrides;
    launch.vit_resize = o.vit_resize;
    launch.options = o.render;
    launch.prefix_query = o.prefix_name;
    if (o.query_given && o.render.view.kind == ks::QueryKind::Patch)
        launch.query = std::make_pair(o.render.view.row, o.render.view.col);
    if (o.window) {
        launch.width = o.window->first;
        launch.height = o.window->second;
        launch.window_given = true;
    }
    if (o.b_mode) launch.b_mode = *o.b_mode;
    launch.b_perturb = o.perturb;
    // A flag the launch model does not use is refused before the window opens.
    ks::check_flags_for_family(o, ks::model_flag_family(o.weights));
    if (o.ui_scale) launch.ui_scale = *o.ui_scale;
    if (o.stage) launch.stage = ks::parse_stage(*o.stage);  // one sentence for anything but layer1..layer4
    if (o.beside) {
        if (!o.weights) throw ks::InputError("--beside needs a ViT checkpoint in --weights to stand beside.");
        launch.beside_path = *o.beside;
    }
    if (o.frames > 0 || o.report_fps) {
        if (o.frames <= 0 || !o.report_fps) throw ks::InputError("--frames N and --report-fps go together.");
        launch.frames = o.frames;
    }
    return ks::run_gui(launch);
#else
    (void)o;
    std::cerr << "This kernelscope was built without the desktop app (KS_BUILD_GUI=OFF); use kernelscope render.\n";
    return 1;
#endif
}

}  // namespace

int main(int argc, char** argv) {
    // Before anything else: may re-execute this binary once with OMP_WAIT_POLICY=passive
    // (wait_policy.h: OpenMP threads that spin take the cores the UI and the desktop need).
    ks::use_passive_omp_wait(argv);
    // A ResNet pass allocates a few hundred feature maps of up to a few MB; glibc would map
    // each afresh and every pass pay its page faults again (a sixth of the time at 224 px).
    // Kept on the heap they are reused. The desktop app sets its own, larger thresholds.
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args[0] == "--version") {
        // The version, then where the shaders and sample images are read from.
        std::string why;
        const std::string data = ks::find_data_dir(&why);
        std::cout << ks::version_string() << "\ndata: " << (data.empty() ? why : data) << "\n"
                  << "OpenMP wait policy: " << ks::omp_wait_policy_description() << "\n";
        return 0;
    }
    if (!args.empty() && args[0] == "--list-flags") {
        // Every flag of the app, render and gallery, where it applies (tests/test_cli_flags.cpp goes over each).
        for (const ks::FlagInfo& f : ks::cli_flags())
            std::cout << f.name << " " << ((f.commands & ks::kForApp) ? "app" : "-") << ","
                      << ((f.commands & ks::kForRender) ? "render" : "-") << ","
                      << ((f.commands & ks::kForGallery) ? "gallery" : "-") << " " << static_cast<int>(f.family) << " "
                      << (f.takes_value ? "value" : "switch") << "\n";
        return 0;
    }
    const bool render = !args.empty() && args[0] == "render";
    const bool bench = !args.empty() && args[0] == "bench";
    const bool analyze = !args.empty() && args[0] == "analyze";
    const bool gallery = !args.empty() && args[0] == "gallery";
    if (render || bench || analyze || gallery) args.erase(args.begin());
    // SIGTERM and SIGHUP end a render as Ctrl+C does, and none of them while its folder
    // is being written (analyze takes the signals itself: it stops after an image).
    std::optional<ks::StopSignals> signals;
    if (render) signals.emplace(/*wind_down=*/false);
    try {
        if (bench) return ks::run_bench(args);
        if (analyze) return ks::run_analyze(args);
        if (gallery) return ks::run_gallery(ks::parse_cli(args, ks::CliCommand::Gallery));
        const ks::CliOptions o = ks::parse_cli(args, render ? ks::CliCommand::Render : ks::CliCommand::App);
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
        // Every bad input is an InputError; anything else is a bug, still reported as one
        // sentence with the usual exit code for a failed run, never a bare library message.
        std::cerr << "kernelscope: the run failed on an unexpected error (" << e.what()
                  << "); please report it with the command line.\n";
        return 2;
    }
}
