#define GL_GLEXT_PROTOTYPES 1
#include "frame_damage.h"

#include <GL/gl.h>
#include <GL/glext.h>
#include <GL/glx.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>

#include "gl_util.h"

namespace ks::gui {

namespace {

constexpr int kTile = 16;      // damage granularity, framebuffer pixels
constexpr int kMaxBoxes = 6;   // each box is one pass over the draw data
// Above this share of the window drawing it whole costs no more than the boxes.
constexpr double kWholeShare = 0.6;

uint64_t mix(uint64_t h, uint64_t v) {
    // splitmix64's finaliser over the running value.
    uint64_t z = h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t bits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return u;
}

uint64_t vertex_hash(const ImDrawVert& v) {
    uint64_t h = mix(0x51ed27u, bits(v.pos.x) | bits(v.pos.y) << 32);
    h = mix(h, bits(v.uv.x) | bits(v.uv.y) << 32);
    return mix(h, v.col);
}

uint64_t quad_hash(uint64_t h, const QuadDraw& q) {
    const float f[] = {q.p0.x, q.p0.y, q.p1.x, q.p1.y, q.vmin, q.vmax, q.opacity, q.uv.x, q.uv.y, q.uv.z, q.uv.w,
                       q.cell_border_px, q.border_color.x, q.border_color.y, q.border_color.z, q.border_color.w};
    for (float x : f) h = mix(h, bits(x));
    const GLuint_t tex[] = {q.image, q.heat, q.lut};
    for (GLuint_t t : tex) h = mix(mix(h, t), texture_version(t));
    h = mix(h, static_cast<uint64_t>(q.heat_w) << 32 | static_cast<uint32_t>(q.heat_h));
    return mix(h, static_cast<uint64_t>(q.mode) << 8 | (q.smooth ? 1u : 0u) << 1 | (q.glyph ? 1u : 0u));
}

// The scissor box ImGui's OpenGL backend (and Renderer::execute) derives from a clip
// rectangle, as top-down pixels: the same integer arithmetic, so a clip rectangle made
// of these integers gives exactly this box back.
FrameDamage::Box scissor_of(const ImVec4& c, int fb_h) {
    const int x = static_cast<int>(c.x), w = static_cast<int>(c.z - c.x);
    const int y_gl = static_cast<int>(fb_h - c.w), h = static_cast<int>(c.w - c.y);
    return {x, fb_h - y_gl - h, x + w, fb_h - y_gl};
}

}  // namespace

FrameDamage::FrameDamage() {
    const char* e = std::getenv("KS_FULL_REDRAW");
    enabled_ = !(e && *e && std::strcmp(e, "0") != 0);
    const char* v = std::getenv("KS_DAMAGE_VERIFY");
    verify_ = v && *v && std::strcmp(v, "0") != 0;
}

FrameDamage::~FrameDamage() {
    if (verify_) std::fprintf(stderr, "frame_damage: %d frames compared with the whole frame, %d differed\n", verified_, mismatched_);
}

void FrameDamage::shutdown() {
    if (fbo_) glDeleteFramebuffers(1, &fbo_);
    if (color_) glDeleteTextures(1, &color_);
    if (check_fbo_) glDeleteFramebuffers(1, &check_fbo_);
    if (check_color_) glDeleteTextures(1, &check_color_);
    fbo_ = color_ = check_fbo_ = check_color_ = 0;
    valid_ = false;
}

namespace {

// An RGBA8 colour texture and its framebuffer object; false when the driver refuses it.
bool make_target(int w, int h, unsigned* fbo, unsigned* color) {
    glGenTextures(1, color);
    glBindTexture(GL_TEXTURE_2D, *color);
    // BGRA: Mesa then stores it as the window's back buffer is (B8G8R8A8), blended alike.
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_BGRA, GL_UNSIGNED_BYTE, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindTexture(GL_TEXTURE_2D, 0);
    glGenFramebuffers(1, fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, *fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, *color, 0);
    const bool ok = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    return ok;
}

}  // namespace

void FrameDamage::choose_mode() {
    mode_chosen_ = true;
    // Mesa's software rasterizers under GLX (drisw) copy the back buffer to the window at
    // a swap and keep it: what was drawn last frame is still there, and the damage can be
    // drawn in place. Elsewhere (a GPU flips its buffers; Wayland's swrast rotates
    // several) the back buffer's contents after a swap are undefined: the frame is kept
    // in a framebuffer object and copied out.
    const auto* r = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    const char* force = std::getenv("KS_DAMAGE_FBO");
    in_place_ = !(force && *force && std::strcmp(force, "0") != 0) && glXGetCurrentContext() && r &&
                (std::strstr(r, "llvmpipe") || std::strstr(r, "softpipe"));
}

void FrameDamage::ensure_target(int fb_w, int fb_h) {
    if (w_ == fb_w && h_ == fb_h && (in_place_ || (fbo_ && (!verify_ || check_fbo_)))) return;
    shutdown();
    if ((!in_place_ && !make_target(fb_w, fb_h, &fbo_, &color_)) ||
        (verify_ && !in_place_ && !make_target(fb_w, fb_h, &check_fbo_, &check_color_))) {
        shutdown();
        enabled_ = false;   // drawn whole into the back buffer from now on
        return;
    }
    w_ = fb_w;
    h_ = fb_h;
}

// The frame drawn whole, against what the boxes left. In place, the whole frame is drawn
// into the back buffer itself after reading it (a window's buffer and a framebuffer
// object rasterize edges differently: Mesa draws the window's upside down), so the next
// frame's damage lands on the whole frame, which this frame's check found equal.
void FrameDamage::verify(ImDrawData* dd, int fb_w, int fb_h, const float clear[4]) {
    std::vector<unsigned char> whole(static_cast<size_t>(fb_w) * fb_h * 4), kept(whole.size());
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glBindFramebuffer(GL_FRAMEBUFFER, in_place_ ? 0 : fbo_);
    if (in_place_) glReadBuffer(GL_BACK);
    glReadPixels(0, 0, fb_w, fb_h, GL_RGBA, GL_UNSIGNED_BYTE, kept.data());
    glBindFramebuffer(GL_FRAMEBUFFER, in_place_ ? 0 : check_fbo_);
    glViewport(0, 0, fb_w, fb_h);
    glDisable(GL_SCISSOR_TEST);
    glClearColor(clear[0], clear[1], clear[2], clear[3]);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(dd);
    glDisable(GL_SCISSOR_TEST);
    glReadPixels(0, 0, fb_w, fb_h, GL_RGBA, GL_UNSIGNED_BYTE, whole.data());
    long n = 0;
    int x0 = fb_w, y0 = fb_h, x1 = -1, y1 = -1;
    for (int y = 0; y < fb_h; ++y)
        for (int x = 0; x < fb_w; ++x) {
            const size_t i = (static_cast<size_t>(y) * fb_w + x) * 4;
            if (std::memcmp(&whole[i], &kept[i], 3) == 0) continue;   // RGB: what the back buffer keeps
            ++n;
            x0 = std::min(x0, x), x1 = std::max(x1, x);
            y0 = std::min(y0, fb_h - 1 - y), y1 = std::max(y1, fb_h - 1 - y);
        }
    ++verified_;
    if (n) {
        ++mismatched_;
        std::fprintf(stderr, "frame_damage: frame %d differs from the whole frame in %ld px (x %d..%d, y %d..%d)\n",
                     ImGui::GetFrameCount(), n, x0, x1, y0, y1);
    }
}

void FrameDamage::collect(const ImDrawData* dd, int fb_w, int fb_h, std::vector<Item>* out, bool* whole) const {
    out->clear();
    std::vector<uint64_t> vh;
    for (int li = 0; li < dd->CmdListsCount; ++li) {
        const ImDrawList* l = dd->CmdLists[li];
        vh.resize(l->VtxBuffer.Size);
        for (int i = 0; i < l->VtxBuffer.Size; ++i) vh[i] = vertex_hash(l->VtxBuffer[i]);
        for (const ImDrawCmd& c : l->CmdBuffer) {
            if (c.UserCallback == ImDrawCallback_ResetRenderState) continue;
            Box s = scissor_of(c.ClipRect, fb_h);
            s = {std::max(s.x0, 0), std::max(s.y0, 0), std::min(s.x1, fb_w), std::min(s.y1, fb_h)};
            if (s.x1 <= s.x0 || s.y1 <= s.y0) continue;   // draws nothing
            // What a draw depends on besides its vertices: its window's place in the
            // order, its texture (and that texture's contents), its clip rectangle.
            uint64_t base = mix(mix(0x6b5f1u, static_cast<uint64_t>(li)),
                                static_cast<uint64_t>(s.x0) | static_cast<uint64_t>(s.y0) << 16 |
                                    static_cast<uint64_t>(s.x1) << 32 | static_cast<uint64_t>(s.y1) << 48);
            if (c.UserCallback) {
                const QuadDraw* q = Renderer::quad_of(c);
                if (!q) {   // a callback this file cannot see into: draw everything
                    *whole = true;
                    continue;
                }
                const Box b{std::max(s.x0, static_cast<int>(std::floor(std::min(q->p0.x, q->p1.x))) - 1),
                            std::max(s.y0, static_cast<int>(std::floor(std::min(q->p0.y, q->p1.y))) - 1),
                            std::min(s.x1, static_cast<int>(std::ceil(std::max(q->p0.x, q->p1.x))) + 1),
                            std::min(s.y1, static_cast<int>(std::ceil(std::max(q->p0.y, q->p1.y))) + 1)};
                if (b.x1 > b.x0 && b.y1 > b.y0) out->push_back({quad_hash(base, *q), b.x0, b.y0, b.x1, b.y1});
                continue;
            }
            const auto tex = static_cast<GLuint_t>(reinterpret_cast<intptr_t>(c.TextureId));
            base = mix(mix(base, tex), texture_version(tex));
            const ImDrawIdx* idx = l->IdxBuffer.Data + c.IdxOffset;
            for (unsigned e = 0; e + 2 < c.ElemCount; e += 3) {
                const unsigned i0 = c.VtxOffset + idx[e], i1 = c.VtxOffset + idx[e + 1], i2 = c.VtxOffset + idx[e + 2];
                const ImVec2 &a = l->VtxBuffer[i0].pos, &b = l->VtxBuffer[i1].pos, &d = l->VtxBuffer[i2].pos;
                const Box t{std::max(s.x0, static_cast<int>(std::floor(std::min({a.x, b.x, d.x}))) - 1),
                            std::max(s.y0, static_cast<int>(std::floor(std::min({a.y, b.y, d.y}))) - 1),
                            std::min(s.x1, static_cast<int>(std::ceil(std::max({a.x, b.x, d.x}))) + 1),
                            std::min(s.y1, static_cast<int>(std::ceil(std::max({a.y, b.y, d.y}))) + 1)};
                if (t.x1 <= t.x0 || t.y1 <= t.y0) continue;
                out->push_back({mix(mix(mix(base, vh[i0]), vh[i1]), vh[i2]), t.x0, t.y0, t.x1, t.y1});
            }
        }
    }
    std::sort(out->begin(), out->end(), [](const Item& a, const Item& b) { return a.hash < b.hash; });
}

// The tiles where the last frame and this one differ (prev_ against cur_), as at most
// kMaxBoxes boxes.
std::vector<FrameDamage::Box> FrameDamage::damaged_boxes(int fb_w, int fb_h) {
    const int tw = (fb_w + kTile - 1) / kTile, th = (fb_h + kTile - 1) / kTile;
    tiles_.assign(static_cast<size_t>(tw) * th, 0);
    auto mark = [&](const Item& it) {
        for (int ty = it.y0 / kTile; ty <= (it.y1 - 1) / kTile; ++ty)
            for (int tx = it.x0 / kTile; tx <= (it.x1 - 1) / kTile; ++tx) tiles_[static_cast<size_t>(ty) * tw + tx] = 1;
    };
    // Both lists are sorted by hash: what is in one and not the other (as multisets) changed.
    size_t i = 0, j = 0;
    while (i < prev_.size() || j < cur_.size()) {
        if (j == cur_.size() || (i < prev_.size() && prev_[i].hash < cur_[j].hash)) mark(prev_[i++]);
        else if (i == prev_.size() || cur_[j].hash < prev_[i].hash) mark(cur_[j++]);
        else ++i, ++j;
    }
    // Rows of tiles into spans, spans of the same columns in consecutive rows into boxes.
    std::vector<Box> boxes, open;
    for (int ty = 0; ty <= th; ++ty) {
        std::vector<Box> spans;
        for (int tx = 0; ty < th && tx < tw;) {
            if (!tiles_[static_cast<size_t>(ty) * tw + tx]) { ++tx; continue; }
            const int x0 = tx;
            while (tx < tw && tiles_[static_cast<size_t>(ty) * tw + tx]) ++tx;
            spans.push_back({x0, ty, tx, ty + 1});
        }
        std::vector<Box> next;
        for (Box& s : spans) {
            auto it = std::find_if(open.begin(), open.end(), [&](const Box& o) { return o.x0 == s.x0 && o.x1 == s.x1; });
            if (it != open.end()) {
                it->y1 = ty + 1;
                next.push_back(*it);
                open.erase(it);
            } else {
                next.push_back(s);
            }
        }
        boxes.insert(boxes.end(), open.begin(), open.end());
        open = std::move(next);
    }
    // Fewer boxes: join the two whose bounding box adds the least area, until few enough.
    auto area = [](const Box& b) { return static_cast<long>(b.x1 - b.x0) * (b.y1 - b.y0); };
    auto join = [](const Box& a, const Box& b) {
        return Box{std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
    };
    while (boxes.size() > static_cast<size_t>(kMaxBoxes)) {
        size_t bi = 0, bj = 1;
        long best = -1;
        for (size_t a = 0; a < boxes.size(); ++a)
            for (size_t b = a + 1; b < boxes.size(); ++b) {
                const long cost = area(join(boxes[a], boxes[b])) - area(boxes[a]) - area(boxes[b]);
                if (best < 0 || cost < best) best = cost, bi = a, bj = b;
            }
        boxes[bi] = join(boxes[bi], boxes[bj]);
        boxes.erase(boxes.begin() + static_cast<long>(bj));
    }
    // Joined boxes may overlap: a pixel drawn twice would be blended twice. Keep them
    // apart by joining any two that overlap.
    for (bool again = true; again;) {
        again = false;
        for (size_t a = 0; a < boxes.size() && !again; ++a)
            for (size_t b = a + 1; b < boxes.size() && !again; ++b)
                if (boxes[a].x0 < boxes[b].x1 && boxes[b].x0 < boxes[a].x1 && boxes[a].y0 < boxes[b].y1 &&
                    boxes[b].y0 < boxes[a].y1) {
                    boxes[a] = join(boxes[a], boxes[b]);
                    boxes.erase(boxes.begin() + static_cast<long>(b));
                    again = true;
                }
    }
    for (Box& b : boxes)
        b = {b.x0 * kTile, b.y0 * kTile, std::min(b.x1 * kTile, fb_w), std::min(b.y1 * kTile, fb_h)};
    return boxes;
}

void FrameDamage::draw_boxes(ImDrawData* dd, int fb_w, int fb_h, const std::vector<Box>& boxes, const float clear[4]) {
    // Each command's clip rectangle, as the integer scissor box it gives, cut to the box:
    // every draw stays inside the cleared box, and inside it draws the pixels it drew whole.
    std::vector<ImVec4> saved;
    for (int li = 0; li < dd->CmdListsCount; ++li)
        for (const ImDrawCmd& c : dd->CmdLists[li]->CmdBuffer) saved.push_back(c.ClipRect);
    glViewport(0, 0, fb_w, fb_h);
    glClearColor(clear[0], clear[1], clear[2], clear[3]);
    for (const Box& b : boxes) {
        glEnable(GL_SCISSOR_TEST);
        glScissor(b.x0, fb_h - b.y1, b.x1 - b.x0, b.y1 - b.y0);
        glClear(GL_COLOR_BUFFER_BIT);
        size_t k = 0;
        for (int li = 0; li < dd->CmdListsCount; ++li)
            for (ImDrawCmd& c : dd->CmdLists[li]->CmdBuffer) {
                const Box s = scissor_of(saved[k++], fb_h);
                const int x0 = std::max(s.x0, b.x0), y0 = std::max(s.y0, b.y0);
                const int x1 = std::min(s.x1, b.x1), y1 = std::min(s.y1, b.y1);
                c.ClipRect = x1 > x0 && y1 > y0 ? ImVec4(static_cast<float>(x0), static_cast<float>(y0), static_cast<float>(x1),
                                                         static_cast<float>(y1))
                                                : ImVec4(0, 0, 0, 0);
            }
        ImGui_ImplOpenGL3_RenderDrawData(dd);
    }
    size_t k = 0;
    for (int li = 0; li < dd->CmdListsCount; ++li)
        for (ImDrawCmd& c : dd->CmdLists[li]->CmdBuffer) c.ClipRect = saved[k++];
    glDisable(GL_SCISSOR_TEST);
}

// In place: whether the back buffer still holds the last frame, at one pixel that
// changes from frame to frame (a driver that does not keep it would show here first).
bool FrameDamage::back_buffer_kept(int fb_w, int fb_h) {
    if (!probe_) return true;
    unsigned char px[4] = {0, 0, 0, 0};
    glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(probe_x_, probe_y_, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, px);
    if (std::memcmp(px, probe_px_, 3) == 0) return true;
    std::fprintf(stderr, "frame_damage: the back buffer did not keep the last frame; drawing through a framebuffer object\n");
    in_place_ = false;
    probe_ = false;
    shutdown();
    ensure_target(fb_w, fb_h);
    return false;
}

void FrameDamage::remember_probe(int fb_w, int fb_h) {
    probe_seed_ = probe_seed_ * 6364136223846793005ULL + 1442695040888963407ULL;
    probe_x_ = static_cast<int>((probe_seed_ >> 33) % static_cast<uint64_t>(fb_w));
    probe_y_ = static_cast<int>((probe_seed_ >> 13) % static_cast<uint64_t>(fb_h));
    glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(probe_x_, probe_y_, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, probe_px_);
    probe_ = true;
}

void FrameDamage::render(ImDrawData* dd, int fb_w, int fb_h, const float clear[4]) {
    if (!mode_chosen_) choose_mode();
    // Damage is tracked in framebuffer pixels equal to ImGui's (no HiDPI scale, one viewport).
    const bool trackable = enabled_ && dd->DisplayPos.x == 0 && dd->DisplayPos.y == 0 && dd->FramebufferScale.x == 1 &&
                           dd->FramebufferScale.y == 1 && fb_w > 0 && fb_h > 0;
    if (trackable) ensure_target(fb_w, fb_h);
    if (!trackable || !enabled_) {
        glViewport(0, 0, fb_w, fb_h);
        glClearColor(clear[0], clear[1], clear[2], clear[3]);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(dd);
        valid_ = probe_ = false;
        last_share_ = 1.0;
        return;
    }
    bool whole = !valid_;
    if (in_place_ && valid_ && !back_buffer_kept(fb_w, fb_h)) whole = true;
    collect(dd, fb_w, fb_h, &cur_, &whole);
    std::vector<Box> boxes;
    if (!whole) {
        boxes = damaged_boxes(fb_w, fb_h);
        long px = 0;
        for (const Box& b : boxes) px += static_cast<long>(b.x1 - b.x0) * (b.y1 - b.y0);
        if (px > kWholeShare * fb_w * fb_h) whole = true;
    }
    if (whole) boxes = {Box{0, 0, fb_w, fb_h}};
    long px = 0;
    for (const Box& b : boxes) px += static_cast<long>(b.x1 - b.x0) * (b.y1 - b.y0);
    last_share_ = static_cast<double>(px) / (static_cast<double>(fb_w) * fb_h);

    glBindFramebuffer(GL_FRAMEBUFFER, in_place_ ? 0 : fbo_);
    if (!boxes.empty()) draw_boxes(dd, fb_w, fb_h, boxes, clear);
    if (verify_) verify(dd, fb_w, fb_h, clear);
    if (!in_place_) {
        // The whole frame to the back buffer (a copy: the screenshot reads it, the swap shows it).
        glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo_);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
        glBlitFramebuffer(0, 0, fb_w, fb_h, 0, 0, fb_w, fb_h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (in_place_) remember_probe(fb_w, fb_h);
    std::swap(prev_, cur_);
    valid_ = true;
}

}  // namespace ks::gui
