#pragma once
// OpenGL helpers: textures, the GLSL programs from shaders/, and drawing a shaded quad
// inside an ImGui window (through an ImDrawList callback, so it is clipped and ordered
// like any other ImGui item and rendered at the window's full pixel resolution).
#include <imgui.h>

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "draw/colormap.h"

namespace ks::gui {

using GLuint_t = unsigned int;

class Texture {
public:
    Texture() = default;
    ~Texture();
    Texture(const Texture&) = delete;
    Texture& operator=(const Texture&) = delete;

    void upload_rgb8(const unsigned char* rgb, int w, int h, bool mipmaps);
    void upload_r32f(const float* v, int w, int h, bool linear);
    GLuint_t id() const { return id_; }
    int width() const { return w_; }
    int height() const { return h_; }
    bool valid() const { return id_ != 0; }
    ImTextureID imgui_id() const { return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(id_)); }

private:
    void ensure();
    GLuint_t id_ = 0;
    int w_ = 0, h_ = 0;
};

enum class QuadMode : int { Overlay = 0, HeatOnly = 1, Ramp = 2 };

struct QuadDraw {
    ImVec2 p0, p1;                 // screen rectangle (ImGui coordinates)
    GLuint_t image = 0;            // Overlay: the picture underneath
    GLuint_t heat = 0;             // R32F values
    int heat_w = 1, heat_h = 1;
    GLuint_t lut = 0;              // 256 x 1 colormap
    float vmin = 0.0f, vmax = 1.0f;
    float opacity = 1.0f;
    bool smooth = false;
    QuadMode mode = QuadMode::HeatOnly;
    ImVec4 uv{0.0f, 0.0f, 1.0f, 1.0f};   // the part of the textures shown (u0, v0, u1, v1): a zoomed picture
    bool glyph = false;            // draw with the kernel glyph program (cells with borders)
    float cell_border_px = 1.0f;   // glyph: border width in pixels
    ImVec4 border_color{0.08f, 0.08f, 0.09f, 1.0f};
};

class Renderer {
public:
    // Compiles shaders/ ($KS_SHADERS_DIR, else the data folder: app/data_dir.h).
    // Returns false with a one-sentence *error.
    bool init(std::string* error);
    void shutdown();

    GLuint_t lut(Colormap c) const { return luts_[static_cast<int>(c)]; }
    // Queue a shaded quad into the current window's draw list.
    void draw(const QuadDraw& q);
    // Call once per frame before building the UI (the previous frame has been rendered).
    void new_frame() { frame_.clear(); }
    // The quad a draw command queued by draw() renders, else nullptr.
    static const QuadDraw* quad_of(const ImDrawCmd& cmd);

private:
    static void callback(const ImDrawList* list, const ImDrawCmd* cmd);
    void execute(const QuadDraw& q, const ImDrawCmd* cmd) const;

    GLuint_t heat_prog_ = 0, glyph_prog_ = 0, vao_ = 0;
    std::array<GLuint_t, 6> luts_{};
    struct Pending { Renderer* self; QuadDraw q; };
    std::deque<Pending> frame_;
};

// A number that changes whenever the texture `id` gets new contents (each upload through
// Texture, and its deletion): what the frame's damage tracking (frame_damage.h) compares,
// since a re-uploaded texture is drawn with the same vertices. 0 for a texture never
// uploaded through Texture (ImGui's font atlas, the colour LUTs: fixed contents).
uint64_t texture_version(GLuint_t id);

// Reads the back buffer (w x h) as top-down RGB8.
std::vector<unsigned char> read_back_buffer(int w, int h);

}  // namespace ks::gui
