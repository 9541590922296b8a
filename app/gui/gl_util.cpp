#define GL_GLEXT_PROTOTYPES 1
#include "gl_util.h"
#include "data_dir.h"

#include <GL/gl.h>
#include <GL/glext.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ks::gui {

namespace fs = std::filesystem;

namespace {

// texture_version(): per GL texture name, the value of a counter at its last upload.
std::vector<uint64_t> g_texture_versions;
uint64_t g_texture_counter = 0;

void bump_texture_version(GLuint id) {
    if (id >= g_texture_versions.size()) g_texture_versions.resize(id + 64, 0);
    g_texture_versions[id] = ++g_texture_counter;
}

}  // namespace

uint64_t texture_version(GLuint_t id) { return id < g_texture_versions.size() ? g_texture_versions[id] : 0; }

Texture::~Texture() {
    if (id_) {
        bump_texture_version(id_);
        glDeleteTextures(1, &id_);
    }
}

void Texture::ensure() {
    if (!id_) glGenTextures(1, &id_);
}

void Texture::upload_rgb8(const unsigned char* rgb, int w, int h, bool mipmaps) {
    ensure();
    w_ = w;
    h_ = h;
    glBindTexture(GL_TEXTURE_2D, id_);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB8, w, h, 0, GL_RGB, GL_UNSIGNED_BYTE, rgb);
    bump_texture_version(id_);
    if (mipmaps) glGenerateMipmap(GL_TEXTURE_2D);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, mipmaps ? GL_LINEAR_MIPMAP_LINEAR : GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, mipmaps ? GL_LINEAR : GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

void Texture::upload_r32f(const float* v, int w, int h, bool linear) {
    ensure();
    w_ = w;
    h_ = h;
    glBindTexture(GL_TEXTURE_2D, id_);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, w, h, 0, GL_RED, GL_FLOAT, v);
    bump_texture_version(id_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, linear ? GL_LINEAR : GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, linear ? GL_LINEAR : GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

namespace {

bool read_text(const std::string& path, std::string* out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    *out = ss.str();
    return true;
}

GLuint compile(GLenum type, const std::string& src, const std::string& name, std::string* error) {
    GLuint s = glCreateShader(type);
    const char* p = src.c_str();
    glShaderSource(s, 1, &p, nullptr);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[2048];
        glGetShaderInfoLog(s, sizeof log, nullptr, log);
        *error = "The shader " + name + " does not compile: " + log;
        glDeleteShader(s);
        return 0;
    }
    return s;
}

GLuint link(const std::string& dir, const char* vs_name, const char* fs_name, std::string* error) {
    std::string vs_src, fs_src;
    if (!read_text(dir + "/" + vs_name, &vs_src) || !read_text(dir + "/" + fs_name, &fs_src)) {
        *error = "Cannot read the shaders " + std::string(vs_name) + " and " + fs_name + " in " + dir + ".";
        return 0;
    }
    GLuint vs = compile(GL_VERTEX_SHADER, vs_src, vs_name, error);
    if (!vs) return 0;
    GLuint fsh = compile(GL_FRAGMENT_SHADER, fs_src, fs_name, error);
    if (!fsh) { glDeleteShader(vs); return 0; }
    GLuint prog = glCreateProgram();
    glAttachShader(prog, vs);
    glAttachShader(prog, fsh);
    glLinkProgram(prog);
    glDeleteShader(vs);
    glDeleteShader(fsh);
    GLint ok = 0;
    glGetProgramiv(prog, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[2048];
        glGetProgramInfoLog(prog, sizeof log, nullptr, log);
        *error = "The shader program " + std::string(fs_name) + " does not link: " + log;
        glDeleteProgram(prog);
        return 0;
    }
    glUseProgram(prog);
    glUniform1i(glGetUniformLocation(prog, "uImage"), 0);
    glUniform1i(glGetUniformLocation(prog, "uHeat"), 1);
    glUniform1i(glGetUniformLocation(prog, "uLut"), 2);
    glUseProgram(0);
    return prog;
}

}  // namespace

bool Renderer::init(std::string* error) {
    // $KS_SHADERS_DIR, else the data folder (app/data_dir.h: installed, $KS_DATA_DIR or the build tree).
    const std::string dir = ks::find_shaders_dir(error);
    if (dir.empty()) return false;
    heat_prog_ = link(dir, "heatmap.vert", "heatmap.frag", error);
    if (!heat_prog_) return false;
    glyph_prog_ = link(dir, "heatmap.vert", "kernel.frag", error);
    if (!glyph_prog_) return false;
    glGenVertexArrays(1, &vao_);
    // Colormap lookup textures from core's tables, so the screen matches exported files.
    for (int c = 0; c < 6; ++c) {
        const ColormapTable& t = colormap_table(static_cast<Colormap>(c));
        unsigned char rgb[256 * 3];
        for (int i = 0; i < 256; ++i)
            for (int k = 0; k < 3; ++k) rgb[i * 3 + k] = t[i][k];
        glGenTextures(1, &luts_[c]);
        glBindTexture(GL_TEXTURE_2D, luts_[c]);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB8, 256, 1, 0, GL_RGB, GL_UNSIGNED_BYTE, rgb);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    }
    return true;
}

void Renderer::shutdown() {
    if (heat_prog_) glDeleteProgram(heat_prog_);
    if (glyph_prog_) glDeleteProgram(glyph_prog_);
    if (vao_) glDeleteVertexArrays(1, &vao_);
    for (auto& t : luts_)
        if (t) glDeleteTextures(1, &t);
    heat_prog_ = glyph_prog_ = vao_ = 0;
    luts_.fill(0);
}

void Renderer::draw(const QuadDraw& q) {
    frame_.push_back({this, q});
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddCallback(&Renderer::callback, &frame_.back());
    dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

const QuadDraw* Renderer::quad_of(const ImDrawCmd& cmd) {
    if (cmd.UserCallback != &Renderer::callback) return nullptr;
    return &static_cast<const Pending*>(cmd.UserCallbackData)->q;
}

void Renderer::callback(const ImDrawList*, const ImDrawCmd* cmd) {
    const auto* p = static_cast<const Pending*>(cmd->UserCallbackData);
    p->self->execute(p->q, cmd);
}

void Renderer::execute(const QuadDraw& q, const ImDrawCmd* cmd) const {
    const ImDrawData* dd = ImGui::GetDrawData();
    if (!dd) return;
    const ImVec2 pos = dd->DisplayPos, size = dd->DisplaySize, scale = dd->FramebufferScale;
    const float fb_h = size.y * scale.y;
    // Clip like ImGui does for its own triangles.
    const ImVec4 c = cmd->ClipRect;
    const float cx0 = (c.x - pos.x) * scale.x, cy0 = (c.y - pos.y) * scale.y;
    const float cx1 = (c.z - pos.x) * scale.x, cy1 = (c.w - pos.y) * scale.y;
    if (cx1 <= cx0 || cy1 <= cy0) return;
    glEnable(GL_SCISSOR_TEST);
    glScissor(static_cast<int>(cx0), static_cast<int>(fb_h - cy1), static_cast<int>(cx1 - cx0), static_cast<int>(cy1 - cy0));

    auto ndc_x = [&](float x) { return (x - pos.x) / size.x * 2.0f - 1.0f; };
    auto ndc_y = [&](float y) { return 1.0f - (y - pos.y) / size.y * 2.0f; };
    const GLuint prog = q.glyph ? glyph_prog_ : heat_prog_;
    glUseProgram(prog);
    glUniform4f(glGetUniformLocation(prog, "uRect"), ndc_x(q.p0.x), ndc_y(q.p0.y), ndc_x(q.p1.x), ndc_y(q.p1.y));
    glUniform4f(glGetUniformLocation(prog, "uUV"), q.uv.x, q.uv.y, q.uv.z, q.uv.w);
    glUniform1i(glGetUniformLocation(prog, "uMode"), static_cast<int>(q.mode));
    glUniform1i(glGetUniformLocation(prog, "uSmooth"), q.smooth ? 1 : 0);
    glUniform1f(glGetUniformLocation(prog, "uOpacity"), q.opacity);
    glUniform1f(glGetUniformLocation(prog, "uVmin"), q.vmin);
    glUniform1f(glGetUniformLocation(prog, "uVmax"), q.vmax);
    glUniform2f(glGetUniformLocation(prog, "uHeatSize"), static_cast<float>(q.heat_w), static_cast<float>(q.heat_h));
    if (q.glyph) {
        const float cell_px_x = (q.p1.x - q.p0.x) * scale.x / q.heat_w;
        const float cell_px_y = (q.p1.y - q.p0.y) * scale.y / q.heat_h;
        glUniform2f(glGetUniformLocation(prog, "uBorder"), q.cell_border_px * scale.x / cell_px_x,
                    q.cell_border_px * scale.y / cell_px_y);
        glUniform4f(glGetUniformLocation(prog, "uBorderColor"), q.border_color.x, q.border_color.y, q.border_color.z,
                    q.border_color.w);
    }
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, q.image);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, q.heat);
    if (q.heat) {
        // Patch-exact reads texels directly in the shader; smooth needs linear filtering.
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, q.smooth ? GL_LINEAR : GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, q.smooth ? GL_LINEAR : GL_NEAREST);
    }
    glActiveTexture(GL_TEXTURE2);
    glBindTexture(GL_TEXTURE_2D, q.lut);
    glBindVertexArray(vao_);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glActiveTexture(GL_TEXTURE0);
}

std::vector<unsigned char> read_back_buffer(int w, int h) {
    std::vector<unsigned char> raw(static_cast<size_t>(w) * h * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, raw.data());
    std::vector<unsigned char> out(raw.size());
    const size_t stride = static_cast<size_t>(w) * 3;
    for (int y = 0; y < h; ++y)
        std::copy(raw.begin() + (h - 1 - y) * stride, raw.begin() + (h - y) * stride, out.begin() + y * stride);
    return out;
}

}  // namespace ks::gui
