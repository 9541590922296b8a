#include "draw/plot_text.h"

#include <stb_easy_font.h>
#include <stb_truetype.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>

namespace ks {

struct PlotFont::TrueType {
    std::string bytes;        // stbtt_fontinfo points into these: never moved after init
    stbtt_fontinfo info{};
};

namespace {

// Where Debian (fonts-dejavu-core), Arch and Fedora put DejaVu Sans: the app's own list.
constexpr const char* kFontPaths[] = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
};

// stb_easy_font draws a line 12 units tall with capitals 7 units high: this many units
// per pixel of font size makes its capitals about as tall as DejaVu's.
constexpr float kEasyUnitsPerPx = 10.0f;

std::vector<int> codepoints(const std::string& s) {
    std::vector<int> out;
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        int cp = len == 1 ? c : c & (0x3F >> (len - 1));
        for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(len == 1 && c >= 0x80 ? '?' : cp);
        i += static_cast<size_t>(len);
    }
    return out;
}

// The built-in strokes know printable ASCII only.
std::string ascii_only(const std::string& s) {
    std::string out;
    for (int cp : codepoints(s)) out += cp >= 32 && cp < 127 ? static_cast<char>(cp) : '?';
    return out;
}

// A coverage mask (0..1) the size of one text line, blended onto the image at its origin.
struct Coverage {
    int x0 = 0, y0 = 0, w = 0, h = 0;
    std::vector<float> a;
    void add(int x, int y, float v) {
        if (x < 0 || y < 0 || x >= w || y >= h) return;
        float& p = a[static_cast<size_t>(y) * w + x];
        p = std::min(1.0f, p + v);
    }
    // An axis-aligned rectangle in mask coordinates, with its exact area per pixel (edges
    // anti-aliased when the strokes are scaled by a fraction).
    void rect(float rx0, float ry0, float rx1, float ry1) {
        for (int y = static_cast<int>(std::floor(ry0)); y < static_cast<int>(std::ceil(ry1)); ++y)
            for (int x = static_cast<int>(std::floor(rx0)); x < static_cast<int>(std::ceil(rx1)); ++x) {
                const float cx = std::min(rx1, x + 1.0f) - std::max(rx0, static_cast<float>(x));
                const float cy = std::min(ry1, y + 1.0f) - std::max(ry0, static_cast<float>(y));
                if (cx > 0 && cy > 0) add(x, y, cx * cy);
            }
    }
    void blend(Image& img, const std::array<float, 3>& rgb) const {
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const float t = a[static_cast<size_t>(y) * w + x];
                const int ix = x0 + x, iy = y0 + y;
                if (t <= 0 || ix < 0 || iy < 0 || ix >= img.width || iy >= img.height) continue;
                for (int c = 0; c < 3; ++c) img.at(ix, iy, c) += (rgb[c] - img.at(ix, iy, c)) * t;
            }
    }
};

Coverage line_mask(float x, float y, float width, float px) {
    Coverage m;
    m.x0 = static_cast<int>(std::floor(x)) - 1;
    m.y0 = static_cast<int>(std::floor(y)) - 1;
    m.w = static_cast<int>(std::ceil(width)) + 4;
    m.h = static_cast<int>(std::ceil(px * 1.4f)) + 4;
    m.a.assign(static_cast<size_t>(m.w) * m.h, 0.0f);
    return m;
}

float truetype_width(const PlotFont::TrueType& t, const std::vector<int>& cps, float px) {
    const float s = stbtt_ScaleForPixelHeight(&t.info, px);
    float w = 0;
    for (size_t i = 0; i < cps.size(); ++i) {
        int adv = 0, lsb = 0;
        stbtt_GetCodepointHMetrics(&t.info, cps[i], &adv, &lsb);
        w += adv * s;
        if (i + 1 < cps.size()) w += s * stbtt_GetCodepointKernAdvance(&t.info, cps[i], cps[i + 1]);
    }
    return w;
}

void truetype_draw(const PlotFont::TrueType& t, Coverage& m, float x, float y, const std::vector<int>& cps, float px) {
    const float s = stbtt_ScaleForPixelHeight(&t.info, px);
    int ascent = 0, descent = 0, gap = 0;
    stbtt_GetFontVMetrics(&t.info, &ascent, &descent, &gap);
    const int base = static_cast<int>(std::lround(y + ascent * s)) - m.y0;
    float pen = x - m.x0;
    std::vector<unsigned char> glyph;
    for (size_t i = 0; i < cps.size(); ++i) {
        int adv = 0, lsb = 0, gx0 = 0, gy0 = 0, gx1 = 0, gy1 = 0;
        stbtt_GetCodepointHMetrics(&t.info, cps[i], &adv, &lsb);
        const float left = std::floor(pen), shift = pen - left;  // sub-pixel placement keeps spacing even
        stbtt_GetCodepointBitmapBoxSubpixel(&t.info, cps[i], s, s, shift, 0.0f, &gx0, &gy0, &gx1, &gy1);
        const int gw = gx1 - gx0, gh = gy1 - gy0;
        if (gw > 0 && gh > 0) {
            glyph.assign(static_cast<size_t>(gw) * gh, 0);
            stbtt_MakeCodepointBitmapSubpixel(&t.info, glyph.data(), gw, gh, gw, s, s, shift, 0.0f, cps[i]);
            for (int gy = 0; gy < gh; ++gy)
                for (int gx = 0; gx < gw; ++gx)
                    m.add(static_cast<int>(left) + gx0 + gx, base + gy0 + gy, glyph[static_cast<size_t>(gy) * gw + gx] / 255.0f);
        }
        pen += adv * s;
        if (i + 1 < cps.size()) pen += s * stbtt_GetCodepointKernAdvance(&t.info, cps[i], cps[i + 1]);
    }
}

void easy_draw(Coverage& m, float x, float y, const std::string& text, float px) {
    std::string s = ascii_only(text);
    std::vector<char> quads(s.size() * 300 + 64);  // ~270 bytes per character (stb_easy_font.h)
    const int n = stb_easy_font_print(0, 0, s.data(), nullptr, quads.data(), static_cast<int>(quads.size()));
    const float k = px / kEasyUnitsPerPx, ox = x - m.x0, oy = y - m.y0 + 0.15f * px;
    for (int q = 0; q < n; ++q) {
        // Four vertices of 16 bytes (x, y, z as floats, then RGBA): corners 0 and 2 are opposite.
        float a[3], b[3];
        std::copy_n(quads.data() + q * 64, sizeof a, reinterpret_cast<char*>(a));
        std::copy_n(quads.data() + q * 64 + 32, sizeof b, reinterpret_cast<char*>(b));
        m.rect(ox + std::min(a[0], b[0]) * k, oy + std::min(a[1], b[1]) * k, ox + std::max(a[0], b[0]) * k,
               oy + std::max(a[1], b[1]) * k);
    }
}

}  // namespace

PlotFont PlotFont::built_in() { return PlotFont(); }

PlotFont PlotFont::from_file(const std::string& path) {
    PlotFont f;
    std::ifstream in(path, std::ios::binary);
    if (!in) return f;
    auto t = std::make_shared<TrueType>();
    t->bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    const auto* data = reinterpret_cast<const unsigned char*>(t->bytes.data());
    const int offset = t->bytes.empty() ? -1 : stbtt_GetFontOffsetForIndex(data, 0);
    if (offset < 0 || !stbtt_InitFont(&t->info, data, offset)) return f;
    f.tt_ = std::move(t);
    return f;
}

const PlotFont& PlotFont::standard() {
    static const PlotFont font = [] {
        for (const char* p : kFontPaths) {
            PlotFont f = from_file(p);
            if (f.truetype()) return f;
        }
        return built_in();
    }();
    return font;
}

float PlotFont::width(const std::string& text, float px) const {
    if (tt_) return truetype_width(*tt_, codepoints(text), px);
    std::string s = ascii_only(text);
    return stb_easy_font_width(s.data()) * px / kEasyUnitsPerPx;
}

void PlotFont::draw(Image& img, float x, float y, const std::string& text, float px, const std::array<float, 3>& rgb) const {
    if (text.empty() || px <= 0) return;
    Coverage m = line_mask(x, y, width(text, px), px);
    if (tt_) truetype_draw(*tt_, m, x, y, codepoints(text), px);
    else easy_draw(m, x, y, text, px);
    m.blend(img, rgb);
}

}  // namespace ks
