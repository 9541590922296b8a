#include "picture_zoom.h"

#include <algorithm>
#include <cmath>

namespace ks::gui {

namespace {

// The centre kept where the shown part stays inside the image.
void clamp_center(PictureZoom& z) {
    const float half = 0.5f / z.zoom;
    z.center.x = std::clamp(z.center.x, half, 1.0f - half);
    z.center.y = std::clamp(z.center.y, half, 1.0f - half);
}

}  // namespace

PictureMap picture_map(const PictureZoom& z, ImVec2 p0, ImVec2 size) {
    PictureMap m;
    m.p0 = p0;
    m.size = ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f));
    const float half = 0.5f / std::max(z.zoom, 1.0f);
    m.u0 = z.center.x - half;
    m.u1 = z.center.x + half;
    m.v0 = z.center.y - half;
    m.v1 = z.center.y + half;
    return m;
}

void zoom_at(PictureZoom& z, const PictureMap& m, ImVec2 at, float wheel_steps) {
    const ImVec2 fixed = m.to_uv(at);
    const float zoom = std::clamp(z.zoom * std::pow(1.25f, wheel_steps), 1.0f, PictureZoom::kMaxZoom);
    // The pointer's image point keeps its place in the picture: fraction f of the view.
    const float fx = (at.x - m.p0.x) / m.size.x, fy = (at.y - m.p0.y) / m.size.y;
    z.zoom = zoom;
    z.center = ImVec2(fixed.x + (0.5f - fx) / zoom, fixed.y + (0.5f - fy) / zoom);
    clamp_center(z);
}

void pan_by(PictureZoom& z, const PictureMap& m, ImVec2 delta) {
    z.center.x -= delta.x / m.size.x * (m.u1 - m.u0);
    z.center.y -= delta.y / m.size.y * (m.v1 - m.v0);
    clamp_center(z);
}

}  // namespace ks::gui
