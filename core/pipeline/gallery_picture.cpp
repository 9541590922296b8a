#include "pipeline/gallery_picture.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "draw/colormap.h"
#include "draw/plot.h"
#include "draw/plot_text.h"
#include "image/downscale.h"
#include "pipeline/render.h"

namespace ks {

namespace {

constexpr int kGalleryTile = 200, kGalleryGap = 16, kGalleryText = 16, kKernelSide = 56;

Image picture_as_image(const DisplayPicture& p) {
    Image im;
    im.width = p.width;
    im.height = p.height;
    im.rgb.resize(p.rgb.size());
    for (size_t i = 0; i < p.rgb.size(); ++i) im.rgb[i] = p.rgb[i] / 255.0f;
    return im;
}


void paste_tile(Image& dst, const Image& src, int x0, int y0) {
    for (int y = 0; y < src.height; ++y)
        for (int x = 0; x < src.width; ++x)
            if (x0 + x >= 0 && x0 + x < dst.width && y0 + y >= 0 && y0 + y < dst.height)
                for (int c = 0; c < 3; ++c) dst.at(x0 + x, y0 + y, c) = src.at(x, y, c);
}

// The kernel over `img` (its map stretched over cover_x x cover_y of it), t = v / scale.
void overlay_query_kernel(Image& img, const QueryKernel& k, float scale, float cover_x, float cover_y, float opacity) {
    const float kw = img.width * cover_x, kh = img.height * cover_y;
    for (int y = 0; y < static_cast<int>(kh); ++y)
        for (int x = 0; x < static_cast<int>(kw); ++x) {
            const int r = std::min(k.h - 1, static_cast<int>(y * k.h / kh)), c = std::min(k.w - 1, static_cast<int>(x * k.w / kw));
            const auto col = colormap_rgb(Colormap::Viridis, k.values[static_cast<size_t>(r) * k.w + c] / scale);
            for (int ch = 0; ch < 3; ++ch) img.at(x, y, ch) = (1 - opacity) * img.at(x, y, ch) + opacity * col[ch];
        }
}

void outline_cell(Image& img, int x0, int y0, int x1, int y1) {
    const std::array<float, 3> cyan{0.2f, 1.0f, 1.0f};
    for (int x = x0; x <= x1; ++x)
        for (int y : {y0, y1})
            if (x >= 0 && x < img.width && y >= 0 && y < img.height)
                for (int c = 0; c < 3; ++c) img.at(x, y, c) = cyan[c];
    for (int y = y0; y <= y1; ++y)
        for (int x : {x0, x1})
            if (x >= 0 && x < img.width && y >= 0 && y < img.height)
                for (int c = 0; c < 3; ++c) img.at(x, y, c) = cyan[c];
}

void outline_gallery_query(Image& img, const GalleryResult& g) {
    const float cw = img.width * g.grid_cover_x / std::max(1, g.grid_w), ch = img.height * g.grid_cover_y / std::max(1, g.grid_h);
    outline_cell(img, static_cast<int>(g.view.col * cw), static_cast<int>(g.view.row * ch), static_cast<int>((g.view.col + 1) * cw),
            static_cast<int>((g.view.row + 1) * ch));
}

}  // namespace

float gallery_scale(const GalleryResult& g) {
    float m = 0;
    for (const auto& k : g.kernels)
        for (float v : k.values) m = std::max(m, v);
    for (float v : g.mean.values) m = std::max(m, v);
    return m > 0 ? m : 1.0f;
}

namespace {

// The grid cover of a kernel: its own map covers what the query grid covers; a
// ResNet's per-pixel kernel covers the whole input.
std::pair<float, float> kernel_cover(const GalleryResult& g, const QueryKernel& k) {
    return k.w == g.grid_w && k.h == g.grid_h ? std::make_pair(g.grid_cover_x, g.grid_cover_y) : std::make_pair(1.0f, 1.0f);
}

}  // namespace

Image gallery_tile_base(const DisplayPicture* p, int side) {
    if (!p || p->width <= 0 || p->height <= 0) return Image{side, side, std::vector<float>(static_cast<size_t>(side) * side * 3, 0.0f)};
    const Image full = picture_as_image(*p);
    const float s = static_cast<float>(side) / std::max(full.width, full.height);
    const int w = std::max(1, static_cast<int>(std::lround(full.width * s))), h = std::max(1, static_cast<int>(std::lround(full.height * s)));
    return resize(downscale_to_fit(full, std::max(side * 2, 1)), w, h);
}

void draw_gallery_kernel(Image& tile, const GalleryResult& g, size_t i, float scale) {
    const bool is_mean = i >= g.kernels.size();
    const QueryKernel& k = is_mean ? g.mean : g.kernels[i];
    if (k.values.empty()) return;
    if (is_mean) std::fill(tile.rgb.begin(), tile.rgb.end(), 0.0f);
    const auto cover = kernel_cover(g, k);
    overlay_query_kernel(tile, k, scale, cover.first, cover.second, is_mean ? 1.0f : 0.65f);
    outline_gallery_query(tile, g);
}

Image gallery_picture(const GalleryResult& g, const std::string& title) {
    const PlotTheme& th = plot_theme();
    const PlotFont& font = PlotFont::standard();
    const int n = static_cast<int>(g.kernels.size()) + 1;   // the images, then the mean kernel
    const int cols = std::min(n, 5), rows = (n + cols - 1) / cols;
    const int cell_h = kGalleryTile + 2 * kGalleryText + 8 + kKernelSide + kGalleryText + kGalleryGap;
    Image out;
    out.width = cols * (kGalleryTile + kGalleryGap) + kGalleryGap;
    out.height = 3 * kGalleryText + rows * cell_h + kGalleryGap;
    out.rgb.resize(static_cast<size_t>(out.width) * out.height * 3);
    for (size_t i = 0; i < out.rgb.size(); ++i) out.rgb[i] = th.background[i % 3];
    font.draw(out, kGalleryGap, kGalleryText * 0.5f, title, kGalleryText * 1.1f, th.text);
    const float scale = gallery_scale(g);
    for (int i = 0; i < n; ++i) {
        const int x0 = kGalleryGap + (i % cols) * (kGalleryTile + kGalleryGap), y0 = 3 * kGalleryText + (i / cols) * cell_h;
        const bool is_mean = i == n - 1;
        const size_t k = is_mean ? 0 : g.order[static_cast<size_t>(i)];
        Image tile = gallery_tile_base(g.pictures.empty() ? nullptr : g.pictures[is_mean ? 0 : k].get(), kGalleryTile);
        draw_gallery_kernel(tile, g, is_mean ? g.kernels.size() : k, scale);
        paste_tile(out, tile, x0, y0);
        char caption[96];
        if (is_mean) std::snprintf(caption, sizeof caption, "mean kernel (%zu images)", g.kernels.size());
        else std::snprintf(caption, sizeof caption, "TV to the mean %.4f", g.tv[k]);
        font.draw(out, x0, y0 + tile.height + 4, is_mean ? std::string("mean") : g.names[k], kGalleryText, th.text);
        font.draw(out, x0, y0 + tile.height + 4 + kGalleryText, caption, kGalleryText, th.muted);
        if (is_mean || g.fixed_kernels.size() <= k) continue;
        // The fixed conv as built on this image: the same weights under every one.
        const ConvKernel& fk = g.fixed_kernels[k];
        const Image kp = kernel_picture(fk, std::max(2, kKernelSide / std::max(1, fk.size)));
        const int ky = y0 + tile.height + 8 + 2 * kGalleryText;
        paste_tile(out, kp, x0, ky);
        font.draw(out, x0 + kp.width + 6, ky, "fixed conv: " + g.fixed_filter, kGalleryText, th.muted);
    }
    return out;
}

}  // namespace ks
