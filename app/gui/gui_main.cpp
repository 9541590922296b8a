// The desktop app's entry: window, OpenGL context, ImGui, the frame loop, handing
// work to the background worker, and the --screenshot / --script modes used by
// scripts and the GUI tests. Panels, layout, actions and capture live in their files.
#include "gui_main.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <imgui_internal.h>

#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <csignal>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "app_state.h"
#include "capture.h"
#include "export_numbers.h"
#include "frame_report.h"
#include "io/file_output.h"
#include "layout.h"
#include "image/patch_grid.h"
#include "io/safetensors.h"
#include "sample_image.h"
#include "script.h"
#include "settings_ini.h"
#include "theme.h"
#include "window_title.h"

namespace fs = std::filesystem;

namespace ks::gui {

namespace {

AppState* g_app = nullptr;  // for the GLFW drop callback

// How long the window loop may sleep waiting for events while the worker (or an image
// load, or an export) is busy, `busy_for` seconds into it. A frame under a software
// renderer (llvmpipe) takes 20-40 ms of CPU over its threads, all of it taken from the
// model: a ViT-B/16 slider step (bench: a 125-140 ms forward pass) ran its forward pass in
// 210-225 ms with the spinner redrawn at 10 fps from the start, and in 135-170 ms without
// (beside other builds on the 2 cores). Most steps are over within half a second, so the
// spinner waits that long; longer work then gets its spinner and progress bar at 10
// frames a second.
double busy_wait_seconds(double busy_for) { return busy_for < 0.5 ? 0.5 - busy_for : 0.1; }

// How long the app has been busy, as the window loop sees it once an iteration.
struct BusyClock {
    std::chrono::steady_clock::time_point since;
    bool was_busy = false;
    double seconds(bool busy) {
        const auto now = std::chrono::steady_clock::now();
        if (busy && !was_busy) since = now;
        was_busy = busy;
        return busy ? std::chrono::duration<double>(now - since).count() : 0.0;
    }
};
volatile std::sig_atomic_t g_stop = 0;  // Ctrl+C / SIGTERM: leave the loop so settings are saved

extern "C" void on_stop_signal(int) { g_stop = 1; }

void drop_callback(GLFWwindow*, int count, const char** paths) {
    if (!g_app) return;
    for (int i = 0; i < count; ++i) g_app->dropped.emplace_back(paths[i]);
}

void glfw_error_callback(int, const char*) {
    // Reported once, as a sentence, where window creation fails.
}


void post_if_dirty(AppState& app) {
    if (!app.request_dirty || !app.image_a) return;
    ComputeRequest req;
    req.id = app.next_request++;
    req.image_a = app.image_a;
    req.image_a_version = app.image_version;
    if (app.second_image_shown()) req.image_b = app.image_b;
    if (app.b_mode == BMode::Perturbed) req.perturb = app.perturb;
    req.sim = app.opts.sim;
    req.model = app.model;
    req.filter = app.opts.filter;
    req.gaussian_sigma = app.opts.gaussian_sigma;
    req.user_weights = app.opts.user_weights;
    req.bilateral = app.opts.bilateral;
    req.dynamic = app.opts.dynamic;
    // A ResNet's effective kernel is computed for one query at a time: the current one
    // once a ResNet result gives the grid, else the one asked for at launch (else the centre).
    req.cnn_stage = app.cnn_stage;
    req.analyses = app.show_analyses;
    if (app.checkpoint_shown()) {
        req.query_row = app.q_row;
        req.query_col = app.q_col;
    } else if (app.launch_query) {
        req.query_row = app.launch_query->first;
        req.query_col = app.launch_query->second;
    }
    app.cnn_query_asked = {req.query_row, req.query_col};
    app.posted_perturb.emplace_back(req.id, req.perturb);
    while (app.posted_perturb.size() > 8) app.posted_perturb.pop_front();
    if (!app.wait_started) app.wait_started = std::chrono::steady_clock::now();
    app.last_posted = req.id;
    app.worker.post(std::move(req));
    app.request_dirty = false;
}

// Takes a finished result. Returns false (with the message) when the model failed.
bool pick_up_result(AppState& app, std::string* error) {
    auto r = app.worker.take();
    if (!r) return true;
    app.forward_passes = r->forward_passes;
    if (!r->error.empty()) {
        *error = r->error;
        app.set_status(r->error, true);  // the last good result stays on screen
        if (r->model_failed && r->id == app.last_posted) {
            // A checkpoint that does not load leaves the model that was there.
            app.model.weights_path = app.model_fallback;
            if (is_learned_filter(app.opts.filter) && app.model_fallback.empty()) app.opts.filter = "sobel_x";
            request_compute(app);
        }
        return false;
    }
    if (!r->warning.empty()) {
        app.set_status(r->warning, true);
        app.b_mode = BMode::Off;   // what is drawn says what was computed: A alone
        request_compute(app);
    }
    if (!r->second_error.empty() && r->id == app.last_posted) {
        // The second slot's checkpoint did not load: the slot empties, the ViT stays.
        app.set_status(r->second_error, true);
        app.model.second_weights_path.clear();
    }
    if (r->cnn && r->weights_path != app.model_fallback && app.opts.filter == "sobel_x") {
        // A ResNet just loaded: its own first conv is the fixed kernel to compare with.
        app.opts.filter = "conv1[0]";
        request_compute(app);
    }
    if (r->vit || r->cnn) {
        // A checkpoint that loaded goes into File > Open recent beside the images.
        if (r->weights_path != app.model_fallback && !app.screenshot_mode) app.recent.add(r->weights_path);
        app.model_fallback = r->weights_path;
        if (app.result && app.result->weights_path != r->weights_path) app.set_status("Loaded " + r->weights_path);
    }
    if (app.launch_checks_pending) {
        // --query / --layer / --head checked against the model's real grid and size.
        app.launch_checks_pending = false;
        ViewSpec v = app.opts.view;
        if (app.launch_query) {
            v.row = app.launch_query->first;
            v.col = app.launch_query->second;
        } else {
            v.row = r->current->layout.grid_h / 2;
            v.col = r->current->layout.grid_w / 2;
        }
        try {
            if (r->cnn) {
                // A ResNet's query is a cell of the stage grid; it has no prefix tokens.
                const TokenLayout& L = r->current->layout;
                if (!app.launch_prefix.empty())
                    throw InputError("A ResNet has no prefix tokens; --query " + app.launch_prefix + " needs a ViT checkpoint.");
                if (v.row < 0 || v.row >= L.grid_h || v.col < 0 || v.col >= L.grid_w)
                    throw InputError("The query (" + std::to_string(v.row) + ", " + std::to_string(v.col) + ") is outside layer" +
                                     std::to_string(r->cnn_stage) + "'s grid of " + std::to_string(L.grid_h) + " x " +
                                     std::to_string(L.grid_w) + " cells.");
            } else {
                if (!app.launch_prefix.empty()) app.opts.view.prefix = v.prefix = prefix_index(r->current->layout, app.launch_prefix);
                (void)view_row(*r->current, v);
            }
        } catch (const std::exception& e) {
            *error = e.what();
            app.set_status(e.what(), true);
            if (app.screenshot_mode) return false;
        }
        if (app.launch_query) {
            app.q_row = app.launch_query->first;
            app.q_col = app.launch_query->second;
            app.have_query = true;
            app.pinned = true;
        }
    }
    const TokenLayout* old = app.grid();
    const TokenLayout& now = r->current->layout;
    if (old && (old->grid_h != now.grid_h || old->grid_w != now.grid_w)) {
        // Keep the query at the same place in the picture on a new grid.
        app.q_row = static_cast<int>((app.q_row + 0.5f) * now.grid_h / old->grid_h);
        app.q_col = static_cast<int>((app.q_col + 0.5f) * now.grid_w / old->grid_w);
    } else if (!app.have_query) {
        app.q_row = now.grid_h / 2;
        app.q_col = now.grid_w / 2;
    }
    app.have_query = true;
    app.q_row = std::clamp(app.q_row, 0, now.grid_h - 1);
    app.q_col = std::clamp(app.q_col, 0, now.grid_w - 1);
    for (const auto& [id, p] : app.posted_perturb)
        if (id == r->id) app.shown_perturb = p;
    if (r->id == app.last_posted && app.wait_started) {
        app.last_wait_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - *app.wait_started).count();
        app.wait_started.reset();
    }
    app.result = std::move(r);
    app.settle_frames = 3;
    return true;
}

// The built-in model's grid follows from the image and patch size, so --query is
// checked before the window opens. Returns the problem as a sentence ("" = fine).
std::string apply_builtin_launch_query(AppState& app, const GuiLaunch& launch) {
    try {
        const PatchGrid g = fit_patch_grid(app.image_a->width, app.image_a->height, app.opts.sim.patch);
        if (!launch.query) return "";
        const auto [qr, qc] = *launch.query;
        if (qr < 0 || qc < 0 || qr >= g.grid_h || qc >= g.grid_w)
            return "The query (" + std::to_string(qr) + ", " + std::to_string(qc) + ") lies outside the " +
                   std::to_string(g.grid_h) + " x " + std::to_string(g.grid_w) + " patch grid; rows run 0.." +
                   std::to_string(g.grid_h - 1) + " and columns 0.." + std::to_string(g.grid_w - 1) + ".";
        app.q_row = qr;
        app.q_col = qc;
        app.have_query = true;
        app.pinned = true;
        return "";
    } catch (const std::exception& e) {
        app.opts.sim.patch = 16;
        return e.what();
    }
}

}  // namespace

// ---- entry point --------------------------------------------------------------------
int run_gui(const GuiLaunch& launch) {
    // A slider step on a 12 MP photo allocates several 50-150 MB buffers. glibc maps each
    // afresh (and the kernel zeroes every page on first touch, ~0.1 s for 144 MB);
    // kept on the heap they are reused from one step to the next. One arena: a worker
    // thread's own arena could not hold them (its heaps are 64 MB at most) and would map.
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_MMAP_THRESHOLD, 512 << 20);
    mallopt(M_TRIM_THRESHOLD, 1024 << 20);
    auto app_ptr = std::make_unique<AppState>();
    AppState& app = *app_ptr;
    app.screenshot_mode = launch.screenshot_path.has_value();
    app.opts = launch.options;
    app.mask_on = launch.options.mass_threshold > 0;
    if (app.mask_on) app.mask_t = launch.options.mass_threshold;
    if (launch.beside_path) app.model.second_weights_path = absolute_path(*launch.beside_path);
    if (launch.weights_path) {
        app.model.weights_path = absolute_path(*launch.weights_path);
        app.model.config_path = launch.config_path.value_or("");
        app.model.overrides = launch.vit_overrides;
        app.overrides_edit = launch.vit_overrides;
    }
    app.model.resize = launch.vit_resize;
    if (static_cast<int>(app.opts.colormap) >= static_cast<int>(display_colormap_names().size()))
        app.opts.colormap = Colormap::Inferno;
    app.cnn_stage = launch.stage;
    app.window_w = launch.width;
    app.window_h = launch.height;
    // Input B: A perturbed (noise) unless a second image was given or --b says otherwise.
    app.perturb.noise_sigma = launch.b_noise;
    app.b_mode = launch.b_mode == "off"      ? BMode::Off
                 : launch.b_mode == "second" ? BMode::Second
                 : launch.b_mode.empty() && launch.second_image_path ? BMode::Second
                                                                     : BMode::Perturbed;
    app.screenshot_dir = default_screenshot_dir();
    const bool scripted = launch.script_path.has_value();
    std::vector<ScriptCommand> script_cmds;
    if (scripted) {
        // A scripted run never writes into the user's Pictures; a temp config may say otherwise.
        std::error_code ec;
        app.screenshot_dir = fs::temp_directory_path(ec).string();
        if (ec) app.screenshot_dir = ".";
    }

    auto fail = [](const std::string& msg, int code) {
        std::cerr << "kernelscope: " << msg << "\n";
        return code;
    };
    if (scripted) {
        try {
            script_cmds = parse_script(*launch.script_path);
        } catch (const std::exception& e) {
            return fail(e.what(), 2);
        }
    }

    // Inputs first: a bad image or query is reported before any window opens.
    const std::string path_a = launch.image_path.value_or(bundled_sample_image());
    if (!load_image_a(app, path_a)) {
        if (app.screenshot_mode || scripted || !launch.image_path) return fail(app.status, 2);
        const std::string err = app.status;
        if (!load_image_a(app, bundled_sample_image())) return fail(app.status, 2);
        app.set_status(err, true);
    }
    if (launch.second_image_path && !load_image_b(app, *launch.second_image_path)) {
        if (app.screenshot_mode) return fail(app.status, 2);
    }
    if (launch.b_mode == "perturbed" || launch.b_mode == "off") app.b_mode = launch.b_mode == "off" ? BMode::Off : BMode::Perturbed;
    if (app.b_mode == BMode::Second && !app.image_b) return fail("--b second needs a second image (--image-b PATH).", 2);
    if (app.model.is_vit()) {
        // The grid, layers and heads are the checkpoint's: checked when it has loaded.
        app.launch_query = launch.query;
        app.launch_prefix = launch.prefix_query;
        app.launch_checks_pending = true;
    } else if (!launch.prefix_query.empty()) {
        return fail("The built-in model has no prefix tokens; --query " + launch.prefix_query + " needs --weights.", 2);
    } else {
        GuiLaunch first = launch;
        // The bundled photo opens on its demo query (the cup's rim) unless --query says otherwise.
        if (!launch.image_path && !launch.query) first.query = bundled_sample_query();
        const std::string err = apply_builtin_launch_query(app, first);
        // Only a --query the user typed is pinned: the demo query follows the pointer
        // from the first hover, as the README says.
        if (!launch.query) app.pinned = false;
        if (!err.empty()) {
            if (app.screenshot_mode) return fail(err, 2);
            app.set_status(err, true);
        }
    }
    post_if_dirty(app);  // start the model while the window opens

    glfwSetErrorCallback(glfw_error_callback);
    if (!glfwInit())
        return fail("Cannot start the desktop app: no display is available (set DISPLAY, or use 'kernelscope render' for files).", 1);

    // ImGui before the window so imgui.ini can give the window its saved size.
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    register_settings(app);
    if (app.screenshot_mode || (scripted && !script_may_use_config())) {
        io.IniFilename = nullptr;  // a screenshot is reproducible: no saved layout; a script leaves the user's alone
    } else {
        app.config_dir = config_dir();
        if (!app.config_dir.empty()) {
            app.ini_path = app.config_dir + "/imgui.ini";
            io.IniFilename = app.ini_path.c_str();
            load_saved_settings(app);  // imgui.ini and recent.txt, checked
            if (!app.path_b.empty()) app.recent.add(app.path_b);
            if (!app.path_a.empty()) app.recent.add(app.path_a);
        } else {
            io.IniFilename = nullptr;
        }
    }

    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_RESIZABLE, GLFW_TRUE);
    // Screenshots and scripts get the asked size: scripts address window pixels.
    const bool fixed_size = app.screenshot_mode || scripted || launch.frames > 0;
    if (fixed_size) glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
    const int ww = fixed_size || launch.window_given ? launch.width : app.window_w;
    const int wh = fixed_size || launch.window_given ? launch.height : app.window_h;
    GLFWwindow* win = glfwCreateWindow(ww, wh, "kernelscope", nullptr, nullptr);
    if (!win) {
        ImGui::DestroyContext();
        glfwTerminate();
        return fail("Cannot open a window with an OpenGL 3.3 core context (no display, or the driver lacks OpenGL 3.3).", 1);
    }
    glfwMakeContextCurrent(win);
    glfwSwapInterval(fixed_size ? 0 : 1);
    g_app = &app;
    glfwSetDropCallback(win, drop_callback);
    // The loop below waits for events while the worker runs; a finished result wakes it
    // (the worker is joined before the window goes, so the call never outlives GLFW).
    app.worker.set_wake([] { glfwPostEmptyEvent(); });
    // Below this the panels have no room for their pictures and labels.
    if (!fixed_size) glfwSetWindowSizeLimits(win, 800, 560, GLFW_DONT_CARE, GLFW_DONT_CARE);

    float xs = 1.0f, ys = 1.0f;
    glfwGetWindowContentScale(win, &xs, &ys);
    // --ui-scale wins; else the monitor's content scale (HiDPI); screenshots and scripts at 1.
    app.ui_scale = launch.ui_scale > 0 ? std::clamp(launch.ui_scale, 0.75f, 4.0f)
                   : fixed_size       ? 1.0f
                                      : std::clamp(std::max(xs, ys), 1.0f, 4.0f);
    // The layout needs about 960 x 640 at scale 1; a window smaller than that times the
    // scale gets the largest scale (at least 1) that fits, rather than cut labels.
    {
        int fw = ww, fh = wh;
        glfwGetWindowSize(win, &fw, &fh);
        const float fit = std::max(1.0f, std::min(fw / 960.0f, fh / 640.0f));
        if (app.ui_scale > fit) {
            char buf[160];
            std::snprintf(buf, sizeof buf, "UI scale %.2g reduced to %.2g: the %d x %d window is too small for it.",
                          app.ui_scale, fit, fw, fh);
            app.ui_scale = fit;
            app.set_status(buf);
        }
    }
    apply_theme(app.ui_scale);
    load_fonts(app.ui_scale);
    ImGui_ImplGlfw_InitForOpenGL(win, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    std::string err;
    if (!app.renderer.init(&err)) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext();
        glfwDestroyWindow(win);
        glfwTerminate();
        g_app = nullptr;
        return fail(err, 1);
    }

    std::unique_ptr<FrameReport> fps;
    if (launch.frames > 0) fps = std::make_unique<FrameReport>(launch.frames);
    int fps_frame = 0;
    std::unique_ptr<ScriptPlayer> script;
    if (scripted) script = std::make_unique<ScriptPlayer>(std::move(script_cmds), win, drop_callback, save_script_screenshot);

    g_stop = 0;
    auto old_int = std::signal(SIGINT, on_stop_signal);
    auto old_term = std::signal(SIGTERM, on_stop_signal);
    auto old_hup = std::signal(SIGHUP, on_stop_signal);  // a closed terminal: save settings as Ctrl+C does
    int exit_code = 0;
    int settled_frames = 0;
    std::string shown_title;  // the window title, updated when image A or the model changes
    const auto t_start = std::chrono::steady_clock::now();
    BusyClock busy_clock;
    while (!glfwWindowShouldClose(win) && !app.quit && !g_stop) {
        // An export job counts: its progress bar is drawn as the worker's is, and its end wakes the loop.
        const bool busy = app.worker.busy() || app.loader.busy() || (app.export_job && !app.export_job->done);
        const double busy_seconds = busy_clock.seconds(busy);
        // A few frames after a new result let auto-sized items (tables) settle before
        // the loop goes back to waiting for events; not while a newer request computes
        // (a slider drag): drawn flat out there, they took 35-45 ms of CPU from each ViT-B
        // step, and any frame drawn later (the next result's, the spinner's) settles them.
        const bool settling = app.settle_frames > 0 && !busy;
        if (settling) --app.settle_frames;
        // While the worker computes, nothing is drawn unasked for half a second, then the
        // spinner at about 10 frames a second, never as fast as possible: with a software
        // renderer (llvmpipe) every frame takes CPU from the model (busy_wait_seconds).
        // Input still wakes the loop at once, and so does a finished result. An occlusion
        // drag too: drawing it flat out while the pointer rests took 40% of the CPU from
        // the worker (12 MP drag steps 0.45-0.78 s).
        if (fps || app.screenshot_mode || settling || app.screenshot_countdown > 0) glfwPollEvents();
        else if (busy) glfwWaitEventsTimeout(busy_wait_seconds(busy_seconds));
        else if (app.occluding || script) glfwPollEvents();
        else glfwWaitEventsTimeout(0.25);
        const auto frame_start = std::chrono::steady_clock::now();
        if (script) script->before_frame(app);

        if (!app.dropped.empty()) {
            auto files = std::move(app.dropped);
            app.dropped.clear();
            // A checkpoint (or a pickle, refused by the loader with how to convert it)
            // becomes the model; images are A and B.
            std::vector<std::string> images;
            for (const auto& f : files) {
                if (FileBrowser::is_checkpoint_name(f) || looks_like_pickle(f, "")) use_checkpoint(app, f);
                else images.push_back(f);
            }
            if (!images.empty()) open_image(app, images[0], false);
            if (images.size() > 1) open_image(app, images[1], true);
        }
        pick_up_loaded_images(app);
        // The title names image A and the model ("kernelscope — coffee.png — built-in similarity").
        if (std::string t = window_title(app.path_a, app.model.weights_path); t != shown_title) {
            shown_title = t;
            glfwSetWindowTitle(win, t.c_str());
        }
        pick_up_export(app);
        std::string model_error;
        if (!pick_up_result(app, &model_error) && app.screenshot_mode) {
            exit_code = 2;
            std::cerr << "kernelscope: " << model_error << "\n";
            break;
        }

        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        if (script) script->apply_pointer();
        if (fps) fps->apply_pointer(app, fps_frame++);
        if (app.screenshot_mode) {
            // Scripts and tests get the same picture whatever the pointer does.
            io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
            for (bool& d : io.MouseDown) d = false;
        }
        ImGui::NewFrame();
        app.renderer.new_frame();
        app.rects.clear();
        app.heads_fit = HeadsGridFit{};  // set again by the heads grid if it is drawn this frame

        draw_menu_bar(app);
        const PanelRects pr = compute_layout(app);
        draw_splitters(app, pr);
        draw_controls(app, pr.controls);
        draw_comparison_panel(app, pr.comparison);
        if (pr.heads.h > 0) {
            if (app.cnn_shown()) draw_effective_kernel_panel(app, pr.heads);
            else draw_heads_grid_panel(app, pr.heads);
        }
        if (pr.beside.h > 0) draw_effective_kernel_panel(app, pr.beside);   // a ResNet beside the ViT
        draw_conv_panel(app, pr.conv);
        draw_readouts_panel(app, pr.readouts);
        draw_status_bar(app, pr.status);
        draw_help(app);
        draw_analyses_window(app);
        app.browser.draw();
        handle_shortcuts(app);
        app.rects["window"] = Rect{0, 0, io.DisplaySize.x, io.DisplaySize.y};

        ImGui::Render();
        int fw = 0, fh = 0;
        glfwGetFramebufferSize(win, &fw, &fh);
        glViewport(0, 0, fw, fh);
        glClearColor(0.06f, 0.065f, 0.075f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

        if (app.screenshot_mode) {
            const bool done = app.result && app.result->id == app.last_posted && !app.worker.busy() && !app.loader.busy() &&
                              !app.request_dirty;
            settled_frames = done ? settled_frames + 1 : 0;
            if (settled_frames >= 3) {  // a few frames so every auto-sized item has settled
                try {
                    save_window_png(app, win, *launch.screenshot_path, true);
                } catch (const std::exception& e) {
                    std::cerr << "kernelscope: " << e.what() << "\n";
                    exit_code = 2;
                }
                break;
            }
            if (std::chrono::steady_clock::now() - t_start > std::chrono::seconds(300)) {
                std::cerr << "kernelscope: The model did not finish within 300 s; try a larger patch size.\n";
                exit_code = 1;
                break;
            }
        } else {
            if (app.screenshot_countdown > 0 && --app.screenshot_countdown == 0) save_screenshot_interactive(app, win);
            if (app.export_requested) {
                app.export_requested = false;
                start_export(app);
            }
            int cw = 0, chh = 0;
            glfwGetWindowSize(win, &cw, &chh);
            if (cw > 0 && chh > 0 && (cw != app.window_w || chh != app.window_h)) {
                app.window_w = cw;
                app.window_h = chh;
                ImGui::MarkIniSettingsDirty();
            }
        }
        if (script) {
            script->after_frame(app);
            if (script->failed()) {
                std::cerr << "kernelscope: " << script->error() << "\n";
                exit_code = script->exit_code();
                break;
            }
        }
        glfwSwapBuffers(win);
        const double frame_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - frame_start).count();
        // What this frame asked for (its input, a loaded image, a result's follow-up) goes
        // to the worker now, once the frame is on screen: not after the next wait for
        // events, which could hold a hover's query move or a slider step up to 0.25 s when
        // no further event came, and not before the frame is drawn, which would compete
        // with the model (a ResNet-50 query move, two 35 ms backward passes, lost 20-30 ms
        // to it; a ViT-B step about 35 ms).
        post_if_dirty(app);
        app.max_frame_ms = std::max(app.max_frame_ms, frame_ms);
        if (fps && fps->after_frame(app, frame_ms)) {
            std::cout << fps->summary() << std::endl;
            break;
        }
        const double since_launch = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - app.launched).count();
        if (app.first_frame_ms < 0) app.first_frame_ms = since_launch;
        if (app.first_result_ms < 0 && app.result && app.result->error.empty()) app.first_result_ms = since_launch;
    }

    std::signal(SIGINT, old_int);
    std::signal(SIGTERM, old_term);
    std::signal(SIGHUP, old_hup);
    if (g_stop && (app.screenshot_mode || script)) exit_code = 1;
    if (!app.ini_path.empty()) ImGui::SaveIniSettingsToDisk(app.ini_path.c_str());
    app.renderer.shutdown();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    g_app = nullptr;
    app_ptr.reset();  // joins the worker; textures are freed while the context is current
    glfwDestroyWindow(win);
    glfwTerminate();
    return exit_code;
}

}  // namespace ks::gui
