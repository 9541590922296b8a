#include "frame_report.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ks::gui {

void FrameReport::apply_pointer(const AppState& app, int i) const {
    if (!started_) return;
    const auto it = app.rects.find("attention_a");
    if (it == app.rects.end()) return;
    const Rect& r = it->second;
    // Back and forth along a diagonal, one patch-sized step or less a frame.
    const int period = 120;
    const float t = std::fabs(static_cast<float>(i % (2 * period) - period)) / period;
    ImGui::GetIO().MousePos = ImVec2(r.x + r.w * (0.05f + 0.9f * t), r.y + r.h * (0.1f + 0.8f * t));
}

bool FrameReport::after_frame(const AppState& app, double frame_ms) {
    if (!started_) {
        // Measure the hover, not the start-up: wait for the model and a few settled frames.
        const bool idle = app.result && app.result->error.empty() && !app.worker.busy() && !app.loader.busy() &&
                          !app.request_dirty;
        idle_frames_ = idle ? idle_frames_ + 1 : 0;
        started_ = idle_frames_ >= 5;
        return false;
    }
    ms_.push_back(frame_ms);
    return static_cast<int>(ms_.size()) >= frames_;
}

std::string FrameReport::summary() const {
    if (ms_.empty()) return "frames 0";
    std::vector<double> s = ms_;
    std::sort(s.begin(), s.end());
    const double med = s[s.size() / 2];
    const double p95 = s[std::min(s.size() - 1, static_cast<size_t>(std::ceil(0.95 * s.size())) - 1)];
    char buf[160];
    std::snprintf(buf, sizeof buf, "frames %zu: median %.2f ms, p95 %.2f ms (%.0f fps at the median)", s.size(), med, p95,
                  med > 0 ? 1000.0 / med : 0.0);
    return buf;
}

}  // namespace ks::gui
