#include "gallery_worker.h"
#include "background_priority.h"

#include <filesystem>

#include "imagenet_names.h"

namespace ks::gui {

GalleryWorker::GalleryWorker() : thread_([this] { loop(); }) {}

GalleryWorker::~GalleryWorker() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        quit_ = true;
        pending_.reset();
        cancel_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void GalleryWorker::post(GalleryJob job) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        pending_ = std::move(job);
        if (working_) cancel_ = true;
    }
    cv_.notify_all();
}

std::optional<GalleryOutcome> GalleryWorker::take() {
    std::lock_guard<std::mutex> lock(mu_);
    auto r = std::move(done_);
    done_.reset();
    return r;
}

WorkerProgress GalleryWorker::progress() const {
    std::lock_guard<std::mutex> lock(mu_);
    WorkerProgress p;
    p.busy = working_ || pending_.has_value();
    p.phase = p.busy ? (phase_.empty() ? std::string("reading the images") : phase_) : std::string();
    p.fraction = fraction_.load();
    return p;
}

void GalleryWorker::set_wake(std::function<void()> wake) {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = std::move(wake);
}

GalleryOutcome GalleryWorker::run(GalleryJob& job) {
    GalleryOutcome out;
    std::map<std::string, std::shared_ptr<const Image>> kept;   // the images of this job only
    for (const std::string& p : job.paths) {
        const std::string name = std::filesystem::path(p).filename().string();
        try {
            auto it = images_.find(p);
            auto img = it != images_.end() ? it->second : std::make_shared<const Image>(load_gallery_image(p));
            kept[p] = img;
            job.request.images.push_back(img);
            job.request.names.push_back(name);
        } catch (const std::exception& e) {
            out.skipped.push_back(name + ": " + e.what());
        }
        if (cancel_) return out;
    }
    images_ = std::move(kept);
    if (job.request.images.empty()) {
        out.gallery = std::make_shared<GalleryResult>();
        out.gallery->error = "None of the gallery's images could be read.";
        return out;
    }
    EngineHooks hooks;
    hooks.phase = [this](const char* phase, float f) {
        std::lock_guard<std::mutex> lock(mu_);
        phase_ = phase;
        fraction_ = f;
    };
    hooks.fraction = [this](float f) { fraction_ = f; };
    hooks.cancel = &cancel_;
    out.gallery = gallery_->run(job.request, hooks);
    return out;
}

void GalleryWorker::loop() {
    lower_this_thread_priority("ks-gallery");
    gallery_ = std::make_unique<Gallery>(imagenet_class_names());
    for (;;) {
        GalleryJob job;
        {
            std::unique_lock<std::mutex> lock(mu_);
            cv_.wait(lock, [this] { return quit_ || pending_.has_value(); });
            if (quit_) return;
            job = std::move(*pending_);
            pending_.reset();
            working_ = true;
            cancel_ = false;
            phase_.clear();
            fraction_ = -1.0f;
        }
        GalleryOutcome out = run(job);
        std::lock_guard<std::mutex> lock(mu_);
        working_ = false;
        phase_.clear();
        if (!out.gallery) continue;   // cancelled: a newer job waits
        done_ = std::move(out);
        if (wake_) wake_();
    }
}

}  // namespace ks::gui
