#pragma once
// The gallery's model runs (core/compare/gallery.h) on a thread of their own, as the
// ComputeWorker runs the comparison: the UI posts a job (the image files and the
// request), the worker reads the images (each once, kept by path), runs every image
// through its own comparison engine, and the UI takes the result on a later frame. A
// newer job cancels the running one. Progress is "image i of N: phase" and a fraction.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "compare/gallery.h"
#include "compute_worker.h"   // WorkerProgress

namespace ks::gui {

struct GalleryJob {
    std::vector<std::string> paths;
    GalleryRequest request;   // its images and names are filled by the worker
};

struct GalleryOutcome {
    std::shared_ptr<GalleryResult> gallery;
    std::vector<std::string> skipped;   // "name: why" of each image that could not be read
};

class GalleryWorker {
public:
    GalleryWorker();
    ~GalleryWorker();
    GalleryWorker(const GalleryWorker&) = delete;
    GalleryWorker& operator=(const GalleryWorker&) = delete;

    void post(GalleryJob job);
    std::optional<GalleryOutcome> take();
    WorkerProgress progress() const;
    bool busy() const { return progress().busy; }
    void set_wake(std::function<void()> wake);

private:
    void loop();
    GalleryOutcome run(GalleryJob& job);

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::optional<GalleryJob> pending_;
    std::optional<GalleryOutcome> done_;
    std::function<void()> wake_;
    bool working_ = false, quit_ = false;
    std::string phase_;
    std::atomic<bool> cancel_{false};
    std::atomic<float> fraction_{-1.0f};
    std::map<std::string, std::shared_ptr<const Image>> images_;   // worker thread only
    std::unique_ptr<Gallery> gallery_;                             // worker thread only (made there)
    std::thread thread_;
};

}  // namespace ks::gui
