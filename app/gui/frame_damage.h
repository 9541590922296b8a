#pragma once
// Drawing only what changed. Under a software renderer (Mesa's llvmpipe) a frame's cost
// is its fragment shading: ImGui's triangles and the heatmap quads cover about 1.7 times
// the window, every frame, although a hover changes the pictures and a few numbers.
// Under Mesa's software rasterizers with GLX the back buffer keeps the last frame after a
// swap, and the frame is drawn there in place (a pixel of it checked each frame); elsewhere
// it is kept in a framebuffer object and copied to the back buffer (a full-window pass:
// 6-8 ms of CPU at 1600 x 1000 under llvmpipe). Each frame's draw data is compared with the
// last one's, triangle by triangle and quad by quad (their vertices, texture and its
// contents' version, clip rectangle, window order), and only the 16 px tiles where
// something appeared or went are cleared and drawn again (every draw clipped to them, so
// what overlaps there is redrawn in order). The back buffer holds the whole frame, as
// before, for screenshots and the swap.
//
// KS_FULL_REDRAW=1 draws every frame whole into the back buffer, as before (a fallback,
// and the other side of the frame-time comparisons). KS_DAMAGE_VERIFY=1 also draws every
// frame whole into a second framebuffer object and compares the two, pixel for pixel:
// each frame that differs is reported on stderr (the GUI tests run with it).
// KS_DAMAGE_FBO=1 keeps the frame in a framebuffer object even where it could be in place.
#include <cstdint>
#include <vector>

struct ImDrawData;

namespace ks::gui {

class FrameDamage {
public:
    FrameDamage();
    ~FrameDamage();   // KS_DAMAGE_VERIFY: says how many frames were compared and differed
    // Draws `dd` into the back buffer (fb_w x fb_h) over the clear colour `clear`.
    void render(ImDrawData* dd, int fb_w, int fb_h, const float clear[4]);
    // Frees the framebuffer object (the GL context still current).
    void shutdown();
    // The share of the framebuffer the last render() drew (1 = all of it).
    double last_share() const { return last_share_; }
    bool enabled() const { return enabled_; }
    // KS_DAMAGE_VERIFY: frames compared, and how many differed.
    int verified() const { return verified_; }
    int mismatched() const { return mismatched_; }

    // One drawn thing: what it looks like (hash) and the pixels it may touch.
    struct Item {
        uint64_t hash;
        int x0, y0, x1, y1;   // framebuffer pixels, top-down, half-open
    };
    struct Box {
        int x0, y0, x1, y1;
    };

private:
    void choose_mode();
    void ensure_target(int fb_w, int fb_h);
    bool back_buffer_kept(int fb_w, int fb_h);
    void remember_probe(int fb_w, int fb_h);
    void collect(const ImDrawData* dd, int fb_w, int fb_h, std::vector<Item>* out, bool* whole) const;
    std::vector<Box> damaged_boxes(int fb_w, int fb_h);
    void verify(ImDrawData* dd, int fb_w, int fb_h, const float clear[4]);
    void draw_boxes(ImDrawData* dd, int fb_w, int fb_h, const std::vector<Box>& boxes, const float clear[4]);

    bool enabled_ = true;
    bool verify_ = false;
    int verified_ = 0, mismatched_ = 0;
    unsigned fbo_ = 0, color_ = 0, check_fbo_ = 0, check_color_ = 0;
    int w_ = 0, h_ = 0;
    bool mode_chosen_ = false;
    bool in_place_ = false;              // drawn into the back buffer, which keeps the last frame
    bool valid_ = false;                 // the target holds the last frame
    bool probe_ = false;                 // in place: a pixel of the last frame to check
    int probe_x_ = 0, probe_y_ = 0;
    unsigned char probe_px_[4] = {0, 0, 0, 0};
    uint64_t probe_seed_ = 0x2545f4914f6cdd1dULL;
    std::vector<Item> prev_, cur_;       // sorted by hash
    std::vector<uint8_t> tiles_;
    double last_share_ = 1.0;
};

}  // namespace ks::gui
