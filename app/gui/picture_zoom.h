#pragma once
// Mouse-wheel zoom and drag-pan on the comparison's pictures. One zoom for A, B and
// B - A, so the three always show the same part of the image. A picture at p0 of `size`
// shows the part [u0, u1] x [v0, v1] of its image (0..1 on each side).
#include <imgui.h>

namespace ks::gui {

struct PictureZoom {
    float zoom = 1.0f;                 // 1 = the whole image; at most kMaxZoom
    ImVec2 center{0.5f, 0.5f};         // the image point at the picture's centre (0..1)
    static constexpr float kMaxZoom = 16.0f;
    bool zoomed() const { return zoom > 1.0001f; }
};

// Screen <-> image (0..1) for one picture under a zoom.
struct PictureMap {
    ImVec2 p0, size;
    float u0 = 0, v0 = 0, u1 = 1, v1 = 1;
    ImVec2 to_screen(float u, float v) const {
        return ImVec2(p0.x + (u - u0) / (u1 - u0) * size.x, p0.y + (v - v0) / (v1 - v0) * size.y);
    }
    ImVec2 to_uv(ImVec2 s) const {
        return ImVec2(u0 + (s.x - p0.x) / size.x * (u1 - u0), v0 + (s.y - p0.y) / size.y * (v1 - v0));
    }
};

PictureMap picture_map(const PictureZoom& z, ImVec2 p0, ImVec2 size);
// The wheel at screen point `at` over a picture: zooms by 1.25 a step about that point
// (the image point under the pointer stays under it).
void zoom_at(PictureZoom& z, const PictureMap& m, ImVec2 at, float wheel_steps);
// A drag by `delta` screen pixels over a picture: the image moves with the pointer.
void pan_by(PictureZoom& z, const PictureMap& m, ImVec2 delta);

}  // namespace ks::gui
