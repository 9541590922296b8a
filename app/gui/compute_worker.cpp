#include "compute_worker.h"

#include "background_priority.h"
#include "imagenet_names.h"

namespace ks::gui {

ComputeWorker::ComputeWorker() : engine_(imagenet_class_names()), thread_([this] { loop(); }) {}

ComputeWorker::~ComputeWorker() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        quit_ = true;
        pending_.reset();
    }
    cv_.notify_all();
    thread_.join();
}

void ComputeWorker::post(ComparisonRequest req) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        pending_ = std::move(req);
        // A running forward pass computes something nobody will look at any more.
        if (working_) cancel_ = true;
    }
    cv_.notify_all();
}

std::shared_ptr<const ComparisonResult> ComputeWorker::take() {
    std::lock_guard<std::mutex> lock(mu_);
    auto r = std::move(done_);
    done_.reset();
    return r;
}

void ComputeWorker::set_wake(std::function<void()> wake) {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = std::move(wake);
}

bool ComputeWorker::busy() const {
    std::lock_guard<std::mutex> lock(mu_);
    return working_ || pending_.has_value();
}

WorkerProgress ComputeWorker::progress() const {
    std::lock_guard<std::mutex> lock(mu_);
    WorkerProgress p;
    p.busy = working_ || pending_.has_value();
    p.phase = p.busy ? (phase_.empty() ? std::string("starting") : phase_) : std::string();
    p.fraction = fraction_.load();
    return p;
}

void ComputeWorker::set_phase(const char* phase, float fraction) {
    std::lock_guard<std::mutex> lock(mu_);
    phase_ = phase;
    fraction_ = fraction;
}

void ComputeWorker::loop() {
    lower_this_thread_priority("ks-worker");
    for (;;) {
        ComparisonRequest req;
        {
            std::unique_lock<std::mutex> lock(mu_);
            cv_.wait(lock, [this] { return quit_ || pending_.has_value(); });
            if (quit_) return;
            req = std::move(*pending_);
            pending_.reset();
            working_ = true;
            cancel_ = false;
            phase_.clear();
            fraction_ = -1.0f;
        }
        EngineHooks hooks;
        hooks.phase = [this](const char* phase, float fraction) { set_phase(phase, fraction); };
        hooks.fraction = [this](float f) { fraction_ = f; };
        hooks.cancel = &cancel_;
        auto result = engine_.run(req, hooks);
        const size_t next_step = heap_for_next_step(req, result.get());
        {
            std::lock_guard<std::mutex> lock(mu_);
            working_ = false;
            phase_.clear();
            // Cancelled (a newer request is waiting): nothing to show.
            if (!result) continue;
            // A newer request already waiting makes this result stale only for the
            // heavy parts; showing it meanwhile keeps the UI live, so keep it.
            done_ = std::move(result);
            if (wake_) wake_();
        }
        // The next step's buffers (a perturbed copy, its luminance, the attention, the
        // model's activations) are as large as this one's. Making sure, after every
        // result, that the heap (gui_main keeps big blocks on it) has a free block that
        // large, faulted in, keeps the next step off fresh pages: the first step after
        // opening a 12 MP photo took 0.57-0.65 s (the others 0.33-0.47 s), the first
        // occlusion drag after a filter change, whose allocations had split the free
        // space, 0.57-0.61 s (0.38 s now). When such a block is already free this costs a
        // touch per page, about 1 ms.
        if (req.image_a) grow_heap(next_step);
    }
}

size_t heap_for_next_step(const ComparisonRequest& req, const ComparisonResult* r) {
    size_t bytes = req.image_a ? req.image_a->rgb.size() * sizeof(float) * 2 : 0;   // two images
    // A checkpoint's step also holds a new attention set (ViT-B: 22 MB) and the model's
    // activations and gradients (tens of MB for ViT-B or ResNet-50 at 224 px), whatever the
    // photo's size: the first ViT-B slider step after loading took 330-410 ms where the
    // next ones took 220-250 ms, faulting in about 40 MB.
    if (r && !r->weights_path.empty()) {   // a checkpoint's result
        if (r->current) bytes += 2 * r->current->data.size() * sizeof(float);
        bytes += size_t(64) << 20;
    }
    return bytes;
}

void ComputeWorker::grow_heap(size_t bytes) {
    std::unique_ptr<char[]> block(new char[bytes]);
    volatile char* touch = block.get();  // volatile: the stores must not be elided
    for (size_t i = 0; i < bytes; i += 4096) touch[i] = 0;
}

}  // namespace ks::gui
