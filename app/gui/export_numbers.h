#pragma once
// Ctrl+E: the numbers (and pictures) of what is on screen, out of the app. For input A
// the very files `kernelscope render` writes for the same image, model, query, view and
// filter (core's render_builtin / render_vit + render_files, so they are equal by
// construction: attention.npy, heatmap.npy/.csv/.png, kernel.csv/.png, conv.npy/.png,
// summary.json; for a ResNet render's effective_kernel.npy/.png, conv1.png and
// summary.json); for input B the same in b/; and comparison.json with the kernel
// changes. Computed off the UI thread; the folder appears whole or not at all.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace ks::gui {

struct AppState;

struct ExportJob {
    std::thread thread;
    std::atomic<bool> done{false};
    // 0..1 as the job goes, for the status line's bar (read each frame); < 0: the job does
    // not say (a sliding block instead).
    std::atomic<float> progress{-1.0f};
    // Called on the job's thread when it is done: the window loop sleeps until an event
    // (or 0.1 s) while a job runs, and this is its event. Jobs are joined before the window goes.
    std::function<void()> wake;
    double seconds = 0;    // when done: how long the job took
    std::string message;   // when done: what was written, or the error
    bool failed = false;
    std::string dir;       // the folder written (when it succeeded)
    ~ExportJob() {
        if (thread.joinable()) thread.join();
    }
};

// Starts an export of the current state (status line: "Exporting ..."); one at a time.
void start_export(AppState& app);
// Once a frame: a finished export's message goes to the status line.
void pick_up_export(AppState& app);

}  // namespace ks::gui
