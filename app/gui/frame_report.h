#pragma once
// --frames N --report-fps: a frame-rate measurement of the real app. Once the model is
// idle, the pointer sweeps across input A's picture for N frames (the query follows it,
// as when a user hovers), every frame's time (events to buffer swap) is kept, and the
// median and 95th percentile are printed before the app exits.
#include <string>
#include <vector>

#include "app_state.h"

namespace ks::gui {

class FrameReport {
public:
    explicit FrameReport(int frames) : frames_(frames) {}
    // After the backends' NewFrame: places the pointer for this frame (once measuring).
    void apply_pointer(const AppState& app, int frame_in_sweep) const;
    // After the swap: records the frame; true when N frames are measured.
    bool after_frame(const AppState& app, double frame_ms);
    bool measuring() const { return started_; }
    int measured() const { return static_cast<int>(ms_.size()); }
    std::string summary() const;   // "frames 300: median 12.3 ms, p95 18.1 ms (81 fps)"

private:
    int frames_;
    bool started_ = false;
    int idle_frames_ = 0;
    std::vector<double> ms_;
};

}  // namespace ks::gui
