#include "compare/comparison_file.h"
#include "background_priority.h"
#include "export_numbers.h"

#include <GLFW/glfw3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>

#include "app_state.h"
#include "config.h"
#include "image/match_size.h"
#include "imagenet_names.h"
#include "io/file_output.h"
#include "pipeline/render_resnet.h"
#include "pipeline/render_vit.h"

namespace ks::gui {

namespace fs = std::filesystem;

namespace {

// Everything the export needs, copied on the UI thread so the job never reads AppState.
struct ExportInput {
    std::shared_ptr<const Image> a;
    // B is made on the job's thread (perturbing a 12 MP photo takes a frame's time many
    // times over): A perturbed, or the second image matched to A's size.
    std::shared_ptr<const Image> second;
    Perturbation perturb;
    bool have_b = false;
    RenderOptions opt;
    std::shared_ptr<const VitModel> vit;
    std::shared_ptr<const ResnetModel> cnn;   // a ResNet: render's effective-kernel files instead
    ResnetRenderOptions cnn_opt;
    VitResize resize = VitResize::ShorterSideCrop;
    std::string dir;
    nlohmann::json comparison;
};

using Files = std::vector<std::pair<std::string, std::string>>;

// One input's files; `progress` is called with 0..1 of this input's share once the model
// and the conv have run (a 12 MP photo: about a tenth of the time; the pictures, about
// 1 s each there, and the arrays take the rest).
Files files_for(const ExportInput& in, const Image& image, const std::function<void(float)>& progress) {
    if (in.cnn) {
        const ResnetRender r = render_resnet(*in.cnn, image, in.cnn_opt);
        progress(0.5f);
        return resnet_render_files(r, in.cnn_opt);
    }
    const RenderResult r = in.vit ? render_vit(*in.vit, image, in.resize, in.opt) : render_builtin(image, in.opt);
    progress(in.vit ? 0.5f : 0.15f);
    return render_files(r, in.opt);
}

// A's and B's files are made on two threads at once: each is mostly single-threaded
// picture and array encoding (a 12 MP photo: about 2 s each), so on two cores the export
// takes about the time of one.
void run_export(const ExportInput& in, ExportJob* job) {
    lower_this_thread_priority("ks-export");
    const auto t0 = std::chrono::steady_clock::now();
    // A and B take about the same time; writing the folder takes the last few percent.
    const float share = in.have_b ? 0.47f : 0.94f;
    std::atomic<float> done_a{0.0f}, done_b{0.0f};
    auto report = [&] { job->progress = share * (done_a.load() + done_b.load()); };
    try {
        job->progress = 0.0f;
        std::future<Files> b_files;
        if (in.have_b)
            b_files = std::async(std::launch::async, [&] {
                lower_this_thread_priority("ks-export");
                const Image b = in.second ? match_size_centre_crop(*in.second, in.a->width, in.a->height)
                                          : apply_perturbation(*in.a, in.perturb);
                return files_for(in, b, [&](float f) { done_b = f; report(); });
            });
        auto files = files_for(in, *in.a, [&](float f) { done_a = f; report(); });
        done_a = 1.0f;
        report();
        if (b_files.valid())
            for (auto& [name, bytes] : b_files.get()) files.emplace_back("b/" + name, std::move(bytes));
        job->progress = 2 * share;
        files.emplace_back("comparison.json", in.comparison.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
        write_files(in.dir, files);
        job->progress = 1.0f;
        job->dir = in.dir;
        job->message = "Exported the numbers and pictures of A" + std::string(in.have_b ? " and B" : "") + " to " + in.dir;
    } catch (const std::exception& e) {
        job->failed = true;
        job->message = std::string("Export failed: ") + e.what();
    }
    job->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    job->done = true;
    if (job->wake) job->wake();
}

}  // namespace

void start_export(AppState& app) {
    if (app.export_job && !app.export_job->done) {
        app.set_status("An export is still being written; try again in a moment.", true);
        return;
    }
    if (!app.result || !app.result->error.empty() || !app.result->shown || !app.image_a || app.maps.heat_b.values.empty()) {
        app.set_status("Nothing to export yet: the model is still computing.", true);
        return;
    }
    const ComparisonResult& res = *app.result;
    ExportInput in;
    in.a = app.image_a;
    in.opt = app.opts;
    in.opt.view = app.view;   // the view on screen (layer, head, query), resolved against the model
    in.opt.mass_threshold = app.mask_on ? app.mask_t : 0.0f;
    in.opt.class_names = imagenet_class_names();   // as render names the top logits
    in.vit = res.vit;
    in.cnn = res.cnn;
    in.cnn_opt.stage = res.cnn_stage;
    in.cnn_opt.query = std::make_pair(res.cnn_row, res.cnn_col);
    in.cnn_opt.input.whole = res.resize == VitResize::Whole;
    in.cnn_opt.opacity = app.opts.opacity;
    in.cnn_opt.class_names = in.opt.class_names;
    in.resize = res.resize;
    if (app.b_mode == BMode::Perturbed) {
        in.perturb = app.perturb;
        in.have_b = true;
    } else if (app.second_image_shown()) {
        in.second = app.image_b;
        in.have_b = true;
    }
    ComparisonSummary summary;
    summary.image_a = app.path_a;
    summary.b_mode = app.b_mode;
    summary.image_b = app.path_b;
    summary.perturb = app.perturb;
    summary.query_row = app.q_row;
    summary.query_col = app.q_col;
    summary.changes = app.changes;
    in.comparison = comparison_json(summary);
    const std::string stem = timestamp_name("kernelscope_" + fs::path(app.path_a).stem().string());
    std::string dir = (fs::path(app.screenshot_dir) / stem).string();
    for (int i = 2; fs::exists(dir); ++i) dir = (fs::path(app.screenshot_dir) / (stem + "_" + std::to_string(i))).string();
    in.dir = dir;
    app.export_job = std::make_shared<ExportJob>();
    ExportJob* job = app.export_job.get();
    job->wake = [] { glfwPostEmptyEvent(); };
    job->thread = std::thread([in = std::move(in), job] { run_export(in, job); });
    app.set_status("Exporting to " + dir + " ...");
}

void pick_up_export(AppState& app) {
    if (!app.export_job || !app.export_job->done) return;
    if (app.export_job->thread.joinable()) app.export_job->thread.join();
    app.last_export_dir = app.export_job->dir;
    app.last_export_seconds = app.export_job->seconds;
    app.last_export_progress = app.export_job->progress;
    app.set_status(app.export_job->message, app.export_job->failed);
    app.export_job.reset();
}

}  // namespace ks::gui
