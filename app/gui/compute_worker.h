#pragma once
// The comparison engine (core/compare) on a thread of its own, so the window never
// waits for a model. The UI posts a request whenever the image, the model settings,
// the filter or a perturbation change; the worker computes the latest request only
// (older ones are dropped, and a running forward pass is cancelled) and the UI picks
// the result up on a later frame. Moving the query, or switching layer, head or query
// kind, never posts a request for an attention model: it only reads rows of the result.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "compare/comparison_engine.h"

namespace ks::gui {

// What the worker is doing, for the progress indicator.
struct WorkerProgress {
    bool busy = false;
    std::string phase;                        // "loading the checkpoint", "forward pass", ...
    float fraction = -1.0f;                   // 0..1, or < 0 when unknown (show a spinner)
};

class ComputeWorker {
public:
    ComputeWorker();
    ~ComputeWorker();
    ComputeWorker(const ComputeWorker&) = delete;
    ComputeWorker& operator=(const ComputeWorker&) = delete;

    void post(ComparisonRequest req);
    // A finished result newer than the last one taken, if any.
    std::shared_ptr<const ComparisonResult> take();
    bool busy() const;
    WorkerProgress progress() const;
    // Called on the worker thread when a result is ready (the window loop waits for
    // events while the worker runs; this wakes it). The worker is joined before the
    // window goes, so the call never outlives it.
    void set_wake(std::function<void()> wake);

private:
    void loop();
    void set_phase(const char* phase, float fraction);
    void grow_heap(size_t bytes);                // faults in a block and frees it (kept on the heap)

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::optional<ComparisonRequest> pending_;
    std::shared_ptr<const ComparisonResult> done_;
    std::function<void()> wake_;
    bool working_ = false;
    bool quit_ = false;
    std::string phase_;                          // guarded by mu_
    std::atomic<bool> cancel_{false};
    std::atomic<float> fraction_{-1.0f};
    ComparisonEngine engine_;                    // worker thread only
    std::thread thread_;                         // last: started once everything above exists
};

// The free heap the worker keeps faulted in after a result (r may be null: cancelled).
size_t heap_for_next_step(const ComparisonRequest& req, const ComparisonResult* r);

}  // namespace ks::gui
