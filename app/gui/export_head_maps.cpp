#include "export_head_maps.h"
#include "background_priority.h"

#include <filesystem>

#include "app_state.h"
#include "family_ui.h"
#include "config.h"
#include "io/file_output.h"
#include "pipeline/head_map_files.h"

namespace ks::gui {

namespace fs = std::filesystem;

namespace {

// What the job needs, taken on the UI thread: shared pointers to the result's attention
// and images (never copied, never read from AppState on the job's thread).
struct HeadMapsInput {
    std::shared_ptr<const AttentionSet> a, b;   // b: null when B is off
    std::shared_ptr<const Image> image_a, image_b;
    int layer = 0, token = 0;
    HeadMapStyle style;
    std::string dir, query;
};

void run_head_maps(const HeadMapsInput& in, ExportJob* job) {
    lower_this_thread_priority("ks-export");
    try {
        auto files = head_map_files(*in.a, in.layer, in.token, *in.image_a, in.style, "");
        if (in.b)
            for (auto& f : head_map_files(*in.b, in.layer, in.token, *in.image_b, in.style, "b/")) files.push_back(std::move(f));
        write_files(in.dir, files);
        job->dir = in.dir;
        job->message = "Exported " + std::to_string(in.a->heads) + " head maps of layer " + std::to_string(in.layer) +
                       " for " + in.query + " (A" + (in.b ? ", and B in b/" : "") + ") to " + in.dir;
    } catch (const std::exception& e) {
        job->failed = true;
        job->message = std::string("Head maps export failed: ") + e.what();
    }
    job->done = true;
}

}  // namespace

void start_head_maps_export(AppState& app) {
    if (app.export_job && !app.export_job->done) {
        app.set_status("An export is still being written; try again in a moment.", true);
        return;
    }
    if (const char* none = family_ui(app).no_attention_head_maps) {
        app.set_status(none, true);
        return;
    }
    const int token = query_token_now(app);
    if (!app.result || !app.result->error.empty() || !app.result->reference || !app.result->shown_a || token < 0) {
        app.set_status("Nothing to export yet: the model is still computing.", true);
        return;
    }
    const ComparisonResult& res = *app.result;
    HeadMapsInput in;
    in.a = res.reference;
    in.image_a = res.shown_a;
    if (res.current && res.current != res.reference && res.shown) {   // B is on screen
        in.b = res.current;
        in.image_b = res.shown;
    }
    in.layer = app.view.layer;
    in.token = token;
    // The token whose rows are drawn (a rollout query's own token: rollout itself mixes the heads).
    const TokenLayout& lay = res.reference->layout;
    const int patch = token - lay.num_prefix();
    in.query = patch < 0 ? lay.prefix_names[token]
                         : "patch (row " + std::to_string(patch / lay.grid_w) + ", col " + std::to_string(patch % lay.grid_w) + ")";
    in.style.colormap = app.opts.colormap;
    in.style.opacity = app.head_maps_overlay ? app.opts.opacity : 0.0f;
    const std::string stem = timestamp_name("kernelscope_heads_" + fs::path(app.path_a).stem().string());
    std::string dir = (fs::path(app.screenshot_dir) / stem).string();
    for (int i = 2; fs::exists(dir); ++i) dir = (fs::path(app.screenshot_dir) / (stem + "_" + std::to_string(i))).string();
    in.dir = dir;
    app.export_job = std::make_shared<ExportJob>();
    ExportJob* job = app.export_job.get();
    job->thread = std::thread([in = std::move(in), job] { run_head_maps(in, job); });
    app.set_status("Exporting head maps to " + dir + " ...");
}

}  // namespace ks::gui
