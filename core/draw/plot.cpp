#include "draw/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "draw/plot_text.h"

namespace ks {

namespace {

// Pixels with alpha blending; everything outside the image or the clip box is dropped.
struct PlotCanvas {
    Image img;
    int cx0 = 0, cy0 = 0, cx1 = 0, cy1 = 0;  // clip box (inclusive)
    void clip_all() { cx0 = 0; cy0 = 0; cx1 = img.width - 1; cy1 = img.height - 1; }
    void blend(int x, int y, const Rgb& c, float a) {
        if (x < cx0 || y < cy0 || x > cx1 || y > cy1 || a <= 0) return;
        for (int ch = 0; ch < 3; ++ch) img.at(x, y, ch) += (c[ch] - img.at(x, y, ch)) * std::min(1.0f, a);
    }
    void rect(double x0, double y0, double x1, double y1, const Rgb& c, float a = 1.0f) {
        if (!std::isfinite(x0) || !std::isfinite(y0) || !std::isfinite(x1) || !std::isfinite(y1)) return;
        const int ix0 = static_cast<int>(std::lround(std::min(x0, x1))), ix1 = static_cast<int>(std::lround(std::max(x0, x1)));
        const int iy0 = static_cast<int>(std::lround(std::min(y0, y1))), iy1 = static_cast<int>(std::lround(std::max(y0, y1)));
        for (int y = std::max(iy0, cy0); y <= std::min(iy1, cy1); ++y)
            for (int x = std::max(ix0, cx0); x <= std::min(ix1, cx1); ++x) blend(x, y, c, a);
    }
    // A disc with its edge anti-aliased (coverage from the distance to the rim).
    void dot(double cx, double cy, double r, const Rgb& c, float a = 1.0f) {
        if (!std::isfinite(cx) || !std::isfinite(cy)) return;  // a missing value draws nothing
        const int x0 = static_cast<int>(std::floor(cx - r - 1)), x1 = static_cast<int>(std::ceil(cx + r + 1));
        const int y0 = static_cast<int>(std::floor(cy - r - 1)), y1 = static_cast<int>(std::ceil(cy + r + 1));
        for (int y = y0; y <= y1; ++y)
            for (int x = x0; x <= x1; ++x) {
                const double d = std::hypot(x + 0.5 - cx, y + 0.5 - cy);
                blend(x, y, c, a * static_cast<float>(std::clamp(r + 0.5 - d, 0.0, 1.0)));
            }
    }
    // A line `w` pixels wide: coverage is the distance to the segment, so crossings and
    // ends stay smooth and nothing is drawn twice.
    void line(double x0, double y0, double x1, double y1, const Rgb& c, double w = 1.0, float a = 1.0f) {
        if (!std::isfinite(x0) || !std::isfinite(y0) || !std::isfinite(x1) || !std::isfinite(y1)) return;
        const double h = w * 0.5, dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
        const int bx0 = static_cast<int>(std::floor(std::min(x0, x1) - h - 1)), bx1 = static_cast<int>(std::ceil(std::max(x0, x1) + h + 1));
        const int by0 = static_cast<int>(std::floor(std::min(y0, y1) - h - 1)), by1 = static_cast<int>(std::ceil(std::max(y0, y1) + h + 1));
        for (int y = std::max(by0, cy0); y <= std::min(by1, cy1); ++y)
            for (int x = std::max(bx0, cx0); x <= std::min(bx1, cx1); ++x) {
                const double px = x + 0.5, py = y + 0.5;
                const double t = len2 > 0 ? std::clamp(((px - x0) * dx + (py - y0) * dy) / len2, 0.0, 1.0) : 0.0;
                const double d = std::hypot(px - (x0 + t * dx), py - (y0 + t * dy));
                blend(x, y, c, a * static_cast<float>(std::clamp(h + 0.5 - d, 0.0, 1.0)));
            }
    }
};

float legend_entry_width(const LegendEntry& e, const PlotFont& font, float px) {
    return (e.mark == LegendMark::None ? 0.0f : (kLegendSwatch + kLegendSwatchGap) * px) + font.width(e.label, px);
}

void draw_swatch(PlotCanvas& cv, const LegendEntry& e, float x, float y_mid, float px) {
    const float w = kLegendSwatch * px;
    if (e.mark == LegendMark::Dot) cv.dot(x + w * 0.5, y_mid, 0.3 * px, e.color, e.alpha);
    else if (e.mark == LegendMark::Line) cv.line(x, y_mid, x + w, y_mid, e.color, std::max(2.0, 0.14 * px), e.alpha);
    else if (e.mark == LegendMark::Band) cv.rect(x, y_mid - 0.3 * px, x + w, y_mid + 0.3 * px, e.color, std::max(e.alpha, 0.35f));
}

}  // namespace

const PlotTheme& plot_theme() {
    static const PlotTheme t;
    return t;
}

std::array<double, 4> plot_range(const Figure& f) {
    if (f.spec.fixed_range && f.spec.x1 > f.spec.x0 && f.spec.y1 > f.spec.y0) return {f.spec.x0, f.spec.x1, f.spec.y0, f.spec.y1};
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (const auto& s : f.series)
        for (size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
            if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
            xlo = std::min(xlo, s.x[i]);
            xhi = std::max(xhi, s.x[i]);
            ylo = std::min(ylo, s.y[i]);
            yhi = std::max(yhi, s.y[i]);
        }
    if (!(xlo <= xhi)) xlo = 0, xhi = 1, ylo = 0, yhi = 1;
    if (xhi - xlo < 1e-12) xlo -= 0.5, xhi += 0.5;
    if (yhi - ylo < 1e-12) ylo -= 0.5, yhi += 0.5;
    const double xpad = 0.05 * (xhi - xlo), ypad = 0.05 * (yhi - ylo);
    return {xlo - xpad, xhi + xpad, ylo - ypad, yhi + ypad};
}

std::vector<double> plot_ticks(double lo, double hi, int want, bool integers) {
    if (!(hi > lo)) return {lo};
    double step = (hi - lo) / std::max(1, want);
    const double mag = std::pow(10.0, std::floor(std::log10(step)));
    const double f = step / mag;
    step = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
    if (integers) step = std::max(1.0, std::round(step));
    std::vector<double> t;
    for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) t.push_back(std::fabs(v) < 1e-9 * step ? 0.0 : v);
    return t;
}

std::string plot_tick_label(double v, double step) {
    const int digits = step > 0 ? std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9))) : 0;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", std::min(digits, 6), v);
    return buf;
}

std::vector<FlowSlot> flow_items(const std::vector<float>& widths, float first_x, float left, float right, float gap) {
    std::vector<FlowSlot> out;
    float x = first_x;
    int row = 0;
    for (float w : widths) {
        if (x + w > right && x > left) {
            ++row;
            x = left;
        }
        out.push_back({x, row});
        x += w + gap;
    }
    return out;
}

namespace {

// Text size, line height and margin, in pixels, from the spec's text size.
struct TextMetrics {
    float px, line, pad;
};

// Top: the title, then the y axis's title followed by the legend (wrapping). Returns
// where the plot area may start.
float draw_plot_header(PlotCanvas& cv, const PlotSpec& spec, const TextMetrics& m) {
    const PlotTheme& th = plot_theme();
    const PlotFont& font = PlotFont::standard();
    const float px = m.px, line = m.line, pad = m.pad;
    float y = pad;
    if (!spec.title.empty()) {
        font.draw(cv.img, pad, y, spec.title, px * 1.15f, th.text);
        y += std::round(line * 1.25f);
    }
    std::vector<float> widths;
    for (const auto& e : spec.legend) widths.push_back(legend_entry_width(e, font, px));
    const float label_w = spec.y_label.empty() ? 0.0f : font.width(spec.y_label, px) + kLegendGap * 1.5f * px;
    const std::vector<FlowSlot> slots = flow_items(widths, pad + label_w, pad, cv.img.width - pad, kLegendGap * px);
    font.draw(cv.img, pad, y, spec.y_label, px, th.muted);
    for (size_t i = 0; i < slots.size(); ++i) {
        const LegendEntry& e = spec.legend[i];
        const float ey = y + slots[i].row * line;
        draw_swatch(cv, e, slots[i].x, ey + px * 0.55f, px);
        font.draw(cv.img, slots[i].x + (e.mark == LegendMark::None ? 0.0f : (kLegendSwatch + kLegendSwatchGap) * px), ey, e.label, px,
                  th.text);
    }
    const int rows = slots.empty() ? 1 : slots.back().row + 1;
    return y + rows * line + std::round(px * 0.4f);
}

// The plot area in pixels, the data range it shows, and the ticks on its axes.
struct PlotFrame {
    double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
    float left = 0, right = 0, top = 0, bottom = 0;
    std::vector<double> xt, yt;
    double xstep = 1, ystep = 1;
    double sx(double v) const { return left + (v - x0) / (x1 - x0) * (right - left); }
    double sy(double v) const { return bottom - (v - y0) / (y1 - y0) * (bottom - top); }
};

// Tick numbers go left of the area and under it, with the x title below them.
PlotFrame plot_frame(const Figure& f, const TextMetrics& m, float top, float W, float H) {
    const PlotFont& font = PlotFont::standard();
    PlotFrame fr;
    const std::array<double, 4> range = plot_range(f);
    fr.x0 = range[0], fr.x1 = range[1], fr.y0 = range[2], fr.y1 = range[3];
    fr.yt = plot_ticks(fr.y0, fr.y1, 6, false);
    fr.xt = plot_ticks(fr.x0, fr.x1, std::max(2, static_cast<int>(W / (m.px * 5))), f.spec.integer_x_ticks);
    fr.ystep = fr.yt.size() > 1 ? fr.yt[1] - fr.yt[0] : 1.0;
    fr.xstep = fr.xt.size() > 1 ? fr.xt[1] - fr.xt[0] : 1.0;
    float tick_w = 0;
    for (double v : fr.yt) tick_w = std::max(tick_w, font.width(plot_tick_label(v, fr.ystep), m.px));
    fr.left = m.pad + tick_w + std::round(m.px * 0.6f);
    fr.right = W - m.pad;
    fr.top = top;
    fr.bottom = H - m.pad - m.line - (f.spec.x_label.empty() ? 0.0f : m.line) - std::round(m.px * 0.3f);
    return fr;
}

void draw_plot_axes(PlotCanvas& cv, const PlotSpec& spec, const PlotFrame& fr, const TextMetrics& m) {
    const PlotTheme& th = plot_theme();
    const PlotFont& font = PlotFont::standard();
    const float px = m.px;
    for (double v : fr.yt) {
        cv.line(fr.left, fr.sy(v), fr.right, fr.sy(v), th.grid);
        const std::string s = plot_tick_label(v, fr.ystep);
        font.draw(cv.img, fr.left - std::round(px * 0.4f) - font.width(s, px), static_cast<float>(fr.sy(v)) - px * 0.6f, s, px, th.muted);
    }
    for (double v : fr.xt) {
        cv.line(fr.sx(v), fr.bottom, fr.sx(v), fr.bottom + px * 0.3, th.muted);
        const std::string s = plot_tick_label(v, fr.xstep);
        font.draw(cv.img, static_cast<float>(fr.sx(v)) - font.width(s, px) * 0.5f, fr.bottom + px * 0.35f, s, px, th.muted);
    }
    if (!spec.x_label.empty())
        font.draw(cv.img, (fr.left + fr.right - font.width(spec.x_label, px)) * 0.5f, fr.bottom + m.line + px * 0.35f, spec.x_label,
                  px, th.muted);
}

// Inside the frame: bands, the zero line, then the data, clipped to the frame; the
// frame's border last.
void draw_plot_data(PlotCanvas& cv, const Figure& f, const PlotFrame& fr, float px) {
    const PlotTheme& th = plot_theme();
    cv.cx0 = static_cast<int>(fr.left);
    cv.cy0 = static_cast<int>(fr.top);
    cv.cx1 = static_cast<int>(fr.right);
    cv.cy1 = static_cast<int>(fr.bottom);
    for (const auto& b : f.spec.bands)
        cv.rect(fr.sx(b.x0), std::isfinite(b.y1) ? fr.sy(b.y1) : fr.top, fr.sx(b.x1), std::isfinite(b.y0) ? fr.sy(b.y0) : fr.bottom,
                b.color, b.alpha);
    if (f.spec.zero_line && fr.y0 < 0 && fr.y1 > 0) cv.line(fr.left, fr.sy(0), fr.right, fr.sy(0), th.frame);
    const double scale = px / 16.0;
    for (const auto& s : f.series) {
        const size_t n = std::min(s.x.size(), s.y.size());
        if (s.line)
            for (size_t i = 1; i < n; ++i)
                cv.line(fr.sx(s.x[i - 1]), fr.sy(s.y[i - 1]), fr.sx(s.x[i]), fr.sy(s.y[i]), s.color, 1.5 * scale, s.alpha);
        if (s.dots)
            for (size_t i = 0; i < n; ++i) cv.dot(fr.sx(s.x[i]), fr.sy(s.y[i]), s.dot_radius * scale, s.color, s.alpha);
    }
    cv.clip_all();
    cv.line(fr.left, fr.top, fr.right, fr.top, th.frame);
    cv.line(fr.left, fr.bottom, fr.right, fr.bottom, th.frame);
    cv.line(fr.left, fr.top, fr.left, fr.bottom, th.frame);
    cv.line(fr.right, fr.top, fr.right, fr.bottom, th.frame);
}

}  // namespace

Image plot_image(const Figure& f) {
    const PlotSpec& spec = f.spec;
    const PlotTheme& th = plot_theme();
    const float px = std::max(6.0f, spec.text_px);
    const TextMetrics m{px, std::round(px * 1.35f), std::round(px * 0.75f)};
    PlotCanvas cv;
    cv.img.width = std::max(64, spec.width);
    cv.img.height = std::max(64, spec.height);
    cv.img.rgb.resize(static_cast<size_t>(cv.img.width) * cv.img.height * 3);
    for (size_t i = 0; i < cv.img.rgb.size(); ++i) cv.img.rgb[i] = th.background[i % 3];
    cv.clip_all();
    const float W = static_cast<float>(cv.img.width), H = static_cast<float>(cv.img.height);
    const float top = draw_plot_header(cv, spec, m);
    const PlotFrame fr = plot_frame(f, m, top, W, H);
    if (fr.bottom - fr.top < px * 2 || fr.right - fr.left < px * 2) return cv.img;  // too small for a plot: the words alone
    draw_plot_axes(cv, spec, fr, m);
    draw_plot_data(cv, f, fr, px);
    return cv.img;
}

}  // namespace ks
