#pragma once
// Words in core's pictures (plot titles, axis titles with their units, legends): an
// exported figure must say what it shows without the app around it. The face is DejaVu
// Sans (Debian's fonts-dejavu-core, the face the app's own text uses) through
// stb_truetype when its file is found; otherwise stb_easy_font's built-in strokes, so a
// figure made on a system without the font still carries its words. No GL: glyphs are
// rasterised straight into an Image.
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "image/image.h"

namespace ks {

class PlotFont {
public:
    // DejaVu Sans from the usual font folders, else the built-in strokes; looked up once.
    static const PlotFont& standard();
    // The built-in strokes alone (the fallback; the tests draw with both).
    static PlotFont built_in();
    // The TrueType file at `path`, or the built-in strokes when it cannot be read or parsed.
    static PlotFont from_file(const std::string& path);

    bool truetype() const { return tt_ != nullptr; }
    // `px` is the font size as ImGui's: the line's pixel height. Text is UTF-8; the built-in
    // strokes draw ASCII only ('?' for anything else).
    float width(const std::string& text, float px) const;
    // Draws `text` with its line box's top-left at (x, y), blending `rgb` over the image by
    // each pixel's glyph coverage; whatever falls outside the image is dropped.
    void draw(Image& img, float x, float y, const std::string& text, float px, const std::array<float, 3>& rgb) const;

    struct TrueType;  // the font file's bytes and stb_truetype's view of them

private:
    std::shared_ptr<const TrueType> tt_;
};

}  // namespace ks
