#include "render/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace ks {

namespace {

// 3x5 glyphs, one row per nibble (bit 2 = left column).
constexpr char kGlyphChars[] = "0123456789.-";
constexpr unsigned char kGlyphs[][5] = {
    {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1}, {7, 4, 7, 1, 7},
    {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7}, {0, 0, 0, 0, 2}, {0, 0, 7, 0, 0},
};
constexpr int kScale = 2;  // glyph pixels are 2 x 2: 6 x 10 per character

struct Canvas {
    Image img;
    void set(int x, int y, const std::array<float, 3>& c) {
        if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
        for (int ch = 0; ch < 3; ++ch) img.at(x, y, ch) = c[ch];
    }
    void rect(int x0, int y0, int x1, int y1, const std::array<float, 3>& c) {
        for (int y = std::min(y0, y1); y <= std::max(y0, y1); ++y)
            for (int x = std::min(x0, x1); x <= std::max(x0, x1); ++x) set(x, y, c);
    }
    void line(double x0, double y0, double x1, double y1, const std::array<float, 3>& c) {
        const int n = static_cast<int>(std::ceil(std::max(std::fabs(x1 - x0), std::fabs(y1 - y0)))) + 1;
        for (int i = 0; i <= n; ++i) {
            const double t = static_cast<double>(i) / n;
            const int x = static_cast<int>(std::lround(x0 + t * (x1 - x0))), y = static_cast<int>(std::lround(y0 + t * (y1 - y0)));
            set(x, y, c);
            set(x, y + 1, c);  // 2 px thick: visible when the picture is scaled down
        }
    }
    void dot(double cx, double cy, int r, const std::array<float, 3>& c) {
        const int x0 = static_cast<int>(std::lround(cx)), y0 = static_cast<int>(std::lround(cy));
        for (int y = -r; y <= r; ++y)
            for (int x = -r; x <= r; ++x)
                if (x * x + y * y <= r * r) set(x0 + x, y0 + y, c);
    }
    int text_width(const std::string& s) const { return static_cast<int>(s.size()) * 4 * kScale; }
    void text(int x, int y, const std::string& s, const std::array<float, 3>& c) {
        for (char ch : s) {
            const char* at = std::find(kGlyphChars, kGlyphChars + sizeof kGlyphChars - 1, ch);
            if (at != kGlyphChars + sizeof kGlyphChars - 1) {
                const unsigned char* g = kGlyphs[at - kGlyphChars];
                for (int r = 0; r < 5; ++r)
                    for (int b = 0; b < 3; ++b)
                        if (g[r] & (4 >> b)) rect(x + b * kScale, y + r * kScale, x + b * kScale + kScale - 1, y + r * kScale + kScale - 1, c);
            }
            x += 4 * kScale;
        }
    }
};

// Ticks at multiples of 1, 2 or 5 x 10^n, about `want` of them across [lo, hi].
std::vector<double> ticks(double lo, double hi, int want, bool integers) {
    double step = (hi - lo) / std::max(1, want);
    const double mag = std::pow(10.0, std::floor(std::log10(step)));
    const double f = step / mag;
    step = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
    if (integers) step = std::max(1.0, std::round(step));
    std::vector<double> t;
    for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) t.push_back(std::fabs(v) < 1e-12 * step ? 0.0 : v);
    return t;
}

std::string tick_label(double v, double step) {
    const int digits = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", std::min(digits, 6), v);
    return buf;
}

}  // namespace

Image plot_image(const PlotSpec& spec, const std::vector<PlotSeries>& series) {
    Canvas cv;
    cv.img.width = std::max(64, spec.width);
    cv.img.height = std::max(64, spec.height);
    cv.img.rgb.assign(static_cast<size_t>(cv.img.width) * cv.img.height * 3, 1.0f);
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (const auto& s : series)
        for (size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
            if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
            xlo = std::min(xlo, s.x[i]); xhi = std::max(xhi, s.x[i]);
            ylo = std::min(ylo, s.y[i]); yhi = std::max(yhi, s.y[i]);
        }
    if (!(xlo <= xhi)) { xlo = 0; xhi = 1; ylo = 0; yhi = 1; }
    if (xhi - xlo < 1e-12) { xlo -= 0.5; xhi += 0.5; }
    if (yhi - ylo < 1e-12) { ylo -= 0.5; yhi += 0.5; }
    const double xpad = 0.05 * (xhi - xlo), ypad = 0.05 * (yhi - ylo);
    xlo -= xpad; xhi += xpad; ylo -= ypad; yhi += ypad;

    const int left = 70, right = cv.img.width - 15, top = 15, bottom = cv.img.height - 35;
    auto px = [&](double x) { return left + (x - xlo) / (xhi - xlo) * (right - left); };
    auto py = [&](double y) { return bottom - (y - ylo) / (yhi - ylo) * (bottom - top); };
    const std::array<float, 3> black{0, 0, 0}, grid{0.88f, 0.88f, 0.88f}, shade{0.93f, 0.93f, 0.93f};

    for (const auto& [a, b] : spec.shade_x)
        cv.rect(static_cast<int>(std::lround(px(std::max(a, xlo)))), top, static_cast<int>(std::lround(px(std::min(b, xhi)))), bottom, shade);
    const std::vector<double> xt = ticks(xlo, xhi, 8, spec.integer_x_ticks), yt = ticks(ylo, yhi, 6, false);
    const double ystep = yt.size() > 1 ? yt[1] - yt[0] : 1.0, xstep = xt.size() > 1 ? xt[1] - xt[0] : 1.0;
    for (double v : yt) {
        const int y = static_cast<int>(std::lround(py(v)));
        cv.line(left, y, right, y, grid);
        cv.line(left - 5, y, left, y, black);
        const std::string s = tick_label(v, ystep);
        cv.text(left - 8 - cv.text_width(s), y - 5, s, black);
    }
    for (double v : xt) {
        const int x = static_cast<int>(std::lround(px(v)));
        cv.line(x, bottom, x, bottom + 5, black);
        const std::string s = tick_label(v, xstep);
        cv.text(x - cv.text_width(s) / 2, bottom + 10, s, black);
    }
    if (spec.zero_line && ylo < 0 && yhi > 0) cv.line(left, py(0), right, py(0), {0.6f, 0.6f, 0.6f});
    cv.line(left, top, left, bottom, black);
    cv.line(left, bottom, right, bottom, black);
    for (const auto& s : series) {
        const size_t n = std::min(s.x.size(), s.y.size());
        if (s.line)
            for (size_t i = 1; i < n; ++i) cv.line(px(s.x[i - 1]), py(s.y[i - 1]), px(s.x[i]), py(s.y[i]), s.color);
        if (s.dots)
            for (size_t i = 0; i < n; ++i) cv.dot(px(s.x[i]), py(s.y[i]), s.dot_radius, s.color);
    }
    return cv.img;
}

}  // namespace ks
