// Checks the screenshots of the GUI test (tests/gui_test.sh):
//   gui_check W H q1.png q2.png i2.png
//   gui_check vit W H layer0.png layer1.png
// q1/q2: one image, two queries. q1/i2: two images, one query. Each PNG comes with
// a sidecar PNG.json from the app holding the panel rectangles in pixels.
//  - every PNG is W x H, matches the window size in its sidecar, and is not blank;
//  - the attention panel differs between the two queries;
//  - the conv kernel panel is pixel-identical between the two images (and not blank).
// vit: one checkpoint, one image, one query, two layers:
//  - both PNGs have the window size and are not blank;
//  - the sidecar says a ViT was shown at the asked layer, after exactly one forward
//    pass per input (A, and B = A + noise; switching layer or moving the query never
//    reruns the model);
//  - the heads-grid panel is not blank and the attention panel differs between layers.
// first W H shot.png: the first frame with no flags (the comparison, README "The
// desktop app"): inputs A and B drawn side by side inside the window, not overlapping and
// different in pixels; attention kernel change >= 0.2 and the fixed conv's exactly 0;
// every named panel inside the window.
// fits W H shot.png: any other state (a checkpoint, another filter, a UI scale): size,
// panels inside and disjoint.
// cnn W H shot.png ROW COL: a ResNet checkpoint: its effective kernels for A and B
// drawn and different, conv1 fixed.
// beside W H shot.png ROW COL: a ViT with a ResNet in the second slot: both panels,
// the ResNet's kernel for the ViT's query, moving from A to B.
// Every mode also asserts the sidecar's "cut" is empty: no window lays out a label past
// its visible right edge.
#include <stb_image.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
    std::cout << (ok ? "  ok    " : "  FAIL  ") << what << "\n";
    if (!ok) ++failures;
}

struct Shot {
    std::string path;
    int w = 0, h = 0;
    std::vector<unsigned char> rgb;
    nlohmann::json meta;
};

struct Box {
    int x = 0, y = 0, w = 0, h = 0;
};

// Prints "gui_check MODE: passed" (or "FAILED (n)") and returns the exit code.
int verdict(const std::string& mode) {
    const std::string who = mode.empty() ? "gui_check" : "gui_check " + mode;
    std::cout << who << (failures ? ": FAILED (" + std::to_string(failures) + ")" : std::string(": passed")) << "\n";
    return failures ? 1 : 0;
}

bool load(const std::string& path, Shot* s) {
    s->path = path;
    int c = 0;
    unsigned char* p = stbi_load(path.c_str(), &s->w, &s->h, &c, 3);
    if (!p) {
        std::cout << "  FAIL  cannot read " << path << "\n";
        return false;
    }
    s->rgb.assign(p, p + static_cast<size_t>(s->w) * s->h * 3);
    stbi_image_free(p);
    std::ifstream in(path + ".json");
    if (!in) {
        std::cout << "  FAIL  no sidecar " << path << ".json\n";
        return false;
    }
    try {
        in >> s->meta;
    } catch (const std::exception& e) {
        std::cout << "  FAIL  bad sidecar " << path << ".json: " << e.what() << "\n";
        return false;
    }
    // No window lays out a label or widget past its visible right edge (the app measures
    // this from Dear ImGui's extent of every item; see app/gui/layout_audit.h).
    const auto& cut = s->meta.value("cut", nlohmann::json());
    check(cut.is_array() && cut.empty(), path + ": no window cuts a label at its right edge (cut: " + cut.dump() + ")");
    return true;
}

bool panel(const Shot& s, const std::string& name, Box* b) {
    if (!s.meta.contains("panels") || !s.meta["panels"].contains(name)) {
        check(false, s.path + ": sidecar names panel '" + name + "'");
        return false;
    }
    const auto& j = s.meta["panels"][name];
    b->x = j.at("x").get<int>();
    b->y = j.at("y").get<int>();
    b->w = j.at("w").get<int>();
    b->h = j.at("h").get<int>();
    const bool inside = b->w > 8 && b->h > 8 && b->x >= 0 && b->y >= 0 && b->x + b->w <= s.w && b->y + b->h <= s.h;
    check(inside, s.path + ": panel '" + name + "' lies inside the picture and is not tiny");
    return inside;
}

double variance(const Shot& s, const Box& b) {
    double sum = 0, sum2 = 0;
    size_t n = 0;
    for (int y = b.y; y < b.y + b.h; ++y)
        for (int x = b.x; x < b.x + b.w; ++x)
            for (int c = 0; c < 3; ++c) {
                const double v = s.rgb[(static_cast<size_t>(y) * s.w + x) * 3 + c];
                sum += v;
                sum2 += v * v;
                ++n;
            }
    if (!n) return 0;
    const double m = sum / n;
    return sum2 / n - m * m;
}

// Fraction of pixels that differ between the same box in two shots.
double diff_fraction(const Shot& a, const Shot& b, const Box& box) {
    size_t differ = 0, n = 0;
    for (int y = box.y; y < box.y + box.h; ++y)
        for (int x = box.x; x < box.x + box.w; ++x) {
            const size_t ia = (static_cast<size_t>(y) * a.w + x) * 3, ib = (static_cast<size_t>(y) * b.w + x) * 3;
            ++n;
            if (a.rgb[ia] != b.rgb[ib] || a.rgb[ia + 1] != b.rgb[ib + 1] || a.rgb[ia + 2] != b.rgb[ib + 2]) ++differ;
        }
    return n ? static_cast<double>(differ) / n : 0.0;
}

bool same_box(const Box& a, const Box& b) { return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h; }

void check_size_and_content(const Shot& s, int W, int H) {
    check(s.w == W && s.h == H, s.path + ": PNG is " + std::to_string(s.w) + " x " + std::to_string(s.h) +
                                    ", the window size " + std::to_string(W) + " x " + std::to_string(H));
    const double v = variance(s, Box{0, 0, s.w, s.h});
    check(v > 100.0, s.path + ": not blank (pixel variance " + std::to_string(v) + ")");
}

int check_vit(int W, int H, const std::string& p0, const std::string& p1) {
    Shot s[2];
    if (!load(p0, &s[0]) || !load(p1, &s[1])) return 1;
    for (int i = 0; i < 2; ++i) {
        check_size_and_content(s[i], W, H);
        const auto& m = s[i].meta;
        check(m.contains("model") && m["model"].value("kind", "") == "vit", s[i].path + ": the sidecar reports a ViT model");
        check(m.contains("view") && m["view"].value("layer", -1) == i,
              s[i].path + ": the sidecar reports layer " + std::to_string(i));
        // One forward pass per input: clean A, and B unless B is off.
        const long long fp = m.value("forward_passes", -1LL), want = m.value("b_mode", "") == "off" ? 1 : 2;
        check(fp == want, s[i].path + ": exactly " + std::to_string(want) + " forward passes, one per input (got " +
                              std::to_string(fp) + ")");
        Box g;
        if (panel(s[i], "heads_grid", &g)) {
            const double v = variance(s[i], g);
            check(v > 100.0, s[i].path + ": heads grid panel is not blank (variance " + std::to_string(v) + ")");
        }
        Box c;
        if (panel(s[i], "heads_grid_cells", &c)) check(variance(s[i], c) > 100.0, s[i].path + ": heads grid thumbnails are not blank");
    }
    Box a0, a1;
    if (panel(s[0], "attention_a", &a0) && panel(s[1], "attention_a", &a1)) {
        check(same_box(a0, a1), "attention panel is at the same place for both layers");
        const double f = diff_fraction(s[0], s[1], a0);
        check(f > 0.01, "attention panel differs between layers 0 and 1: " + std::to_string(100 * f) + "% of pixels");
    }
    return verdict("vit");
}

// A prefix token asked for by name (--query reg1) is the one on screen.
int check_prefix(const std::string& path, int expected) {
    Shot s;
    if (!load(path, &s)) return 1;
    const auto& v = s.meta.value("view", nlohmann::json::object());
    check(v.value("kind", "") == "prefix" && v.value("prefix", -1) == expected,
          path + ": the view is prefix token " + std::to_string(expected) + " (sidecar: " + v.dump() + ")");
    return verdict("prefix");
}

// Any photo: A's and B's heatmaps light the kernel's structure, not one patch. At least
// 5% of the drawn patches reach 10% of the colour scale's range (the sidecar's lit_share),
// and the pictures themselves are not flat.
int check_lit(const std::vector<std::string>& paths) {
    for (const std::string& path : paths) {
        Shot s;
        if (!load(path, &s)) continue;
        const auto maps = s.meta.value("maps", nlohmann::json::object());
        for (const char* m : {"attention_a", "attention_b"}) {
            const double lit = maps.contains(m) ? maps[m].value("lit_share", -1.0) : -1.0;
            check(lit >= 0.05, path + ": " + m + " lights " + std::to_string(lit) + " of its patches (at least 0.05)");
            Box b;
            if (panel(s, m, &b)) check(variance(s, b) > 100.0, path + ": " + m + " is not flat");
        }
        check(s.meta.value("cut", nlohmann::json::array()).empty(), path + ": no text cut");
    }
    return verdict("lit");
}

// Fraction of pixels that differ between two boxes of one shot (same size).
double box_diff_fraction(const Shot& s, const Box& a, const Box& b) {
    size_t differ = 0, n = 0;
    for (int y = 0; y < std::min(a.h, b.h); ++y)
        for (int x = 0; x < std::min(a.w, b.w); ++x) {
            const size_t ia = (static_cast<size_t>(a.y + y) * s.w + a.x + x) * 3, ib = (static_cast<size_t>(b.y + y) * s.w + b.x + x) * 3;
            ++n;
            if (s.rgb[ia] != s.rgb[ib] || s.rgb[ia + 1] != s.rgb[ib + 1] || s.rgb[ia + 2] != s.rgb[ib + 2]) ++differ;
        }
    return n ? static_cast<double>(differ) / n : 0.0;
}

bool overlap(const Box& a, const Box& b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

// Every named panel (with an area) inside the window; the top-level panels disjoint.
void check_panels(const Shot& s, const std::string& path) {
    // Every named panel (with an area) inside the window.
    int n = 0;
    for (const auto& [name, j] : s.meta["panels"].items()) {
        const int x = j.at("x").get<int>(), y = j.at("y").get<int>(), w = j.at("w").get<int>(), h = j.at("h").get<int>();
        if (w <= 0 || h <= 0) continue;
        ++n;
        if (x < 0 || y < 0 || x + w > s.w || y + h > s.h)
            check(false, path + ": panel '" + name + "' (" + j.dump() + ") lies inside the window");
    }
    check(n >= 10, path + ": " + std::to_string(n) + " named panels, all inside the window");
    // The top-level panels do not overlap one another.
    const char* top[] = {"controls", "comparison_panel", "conv_panel", "readouts_panel"};
    for (int i = 0; i < 4; ++i)
        for (int k = i + 1; k < 4; ++k) {
            Box p, q;
            if (panel(s, top[i], &p) && panel(s, top[k], &q))
                check(!overlap(p, q), path + ": panels " + top[i] + " and " + top[k] + " do not overlap");
        }
}

// load, then the window's size and content and the panels' layout (every mode that
// takes one screenshot at a given size).
bool load_laid_out(int W, int H, const std::string& path, Shot* s) {
    if (!load(path, s)) return false;
    check_size_and_content(*s, W, H);
    check_panels(*s, path);
    return true;
}

int check_first(int W, int H, const std::string& path) {
    Shot s;
    if (!load(path, &s)) return 1;
    check_size_and_content(s, W, H);
    Box a, b;
    if (panel(s, "attention_a", &a) && panel(s, "attention_b", &b)) {
        check(!overlap(a, b), path + ": the pictures of inputs A and B do not overlap");
        check(a.w == b.w && a.h == b.h, path + ": A and B are drawn at the same size");
        const double f = box_diff_fraction(s, a, b);
        check(f > 0.05, path + ": A's and B's attention pictures differ in " + std::to_string(100 * f) + "% of pixels");
        // Space that grows with the window: over 120 px tall at 1024 x 700 (the window's
        // scale: a HiDPI shot is larger), taller than the 3 x 3 kernel grid at any size,
        // and on a 2560 px screen at least 1.6 times its height (the pictures take the room).
        const double sc = s.meta.value("framebuffer_scale", nlohmann::json::array({1.0, 1.0}))[1].get<double>();
        check(a.h >= 120 * sc, path + ": A's picture is at least 120 px tall (" + std::to_string(a.h) + ")");
        Box k;
        if (panel(s, "kernel_a", &k))
            check(a.h > k.h && (W < 2560 || a.h >= 1.6 * k.h), path + ": the pictures (" + std::to_string(a.h) +
                                                                 " px) take the room, not the kernel grid (" + std::to_string(k.h) + " px)");
    }
    const auto& kc = s.meta.value("kernel_change", nlohmann::json::object());
    const double att = kc.contains("attention") && kc["attention"].is_number() ? kc["attention"].get<double>() : -1.0;
    check(att >= 0.2, path + ": attention kernel change at the first query is >= 0.2 (" + std::to_string(att) + ")");
    check(kc.contains("fixed_conv") && kc["fixed_conv"].is_number() && kc["fixed_conv"].get<double>() == 0.0,
          path + ": the fixed conv's kernel change is exactly 0 (" + kc.value("fixed_conv", nlohmann::json()).dump() + ")");
    check(kc.contains("data_dependent_conv") && kc["data_dependent_conv"].get<double>() > 0.0,
          path + ": the data-dependent conv's kernel change is not 0");
    check_panels(s, path);
    return verdict("first");
}

// boff W H shot.png: with B off, A takes the freed width (more than half the comparison).
int check_boff(int W, int H, const std::string& path) {
    Shot s;
    if (!load_laid_out(W, H, path, &s)) return 1;
    Box a, c;
    if (panel(s, "attention_a", &a) && panel(s, "comparison_panel", &c))
        check(a.w > c.w / 2 || a.h > c.h / 3, path + ": with B off, A's picture takes the freed room (" + std::to_string(a.w) +
                                                   " x " + std::to_string(a.h) + " in a " + std::to_string(c.w) + " px panel)");
    else
        check(false, path + ": the sidecar has attention_a and comparison_panel");
    check(!s.meta["panels"].contains("attention_b"), path + ": B is off, so it is not drawn");
    return verdict("boff");
}

// fits W H shot.png: any state at any size (a checkpoint, another filter, a UI scale):
// the window's size, panels inside and disjoint, and no label cut (checked by load).
int check_fits(int W, int H, const std::string& path) {
    Shot s;
    if (!load_laid_out(W, H, path, &s)) return 1;
    return verdict("fits");
}

// cnn W H shot.png ROW COL: a ResNet checkpoint at launch query (ROW, COL): the sidecar
// says so; the effective kernels of A and B are drawn, inside the window, differ in
// pixels and by a kernel change > 0; conv1 (the fixed conv) changes by exactly 0.
int check_cnn(int W, int H, const std::string& path, int row, int col) {
    Shot s;
    if (!load_laid_out(W, H, path, &s)) return 1;
    const auto& m = s.meta.value("model", nlohmann::json::object());
    const auto& ek = s.meta.value("effective_kernel", nlohmann::json::object());
    check(m.value("kind", "") == "resnet", path + ": the model is a ResNet (" + m.dump() + ")");
    check(ek.value("row", -1) == row && ek.value("col", -1) == col, path + ": the effective kernel is at the launch query");
    Box a, b;
    if (panel(s, "effective_kernel_a", &a) && panel(s, "effective_kernel_b", &b)) {
        check(!overlap(a, b) && a.w == b.w && a.h == b.h, path + ": A's and B's effective kernels side by side, same size");
        const double f = box_diff_fraction(s, a, b);
        check(f > 0.05, path + ": A's and B's effective-kernel pictures differ in " + std::to_string(100 * f) + "% of pixels");
    }
    const auto& kc = s.meta.value("kernel_change", nlohmann::json::object());
    check(kc.value("effective_kernel", -1.0) > 0.0 && kc.value("effective_kernel", -1.0) == ek.value("change", -2.0),
          path + ": the effective kernel's change is the picture's number and above 0");
    check(kc.value("fixed_conv_filter", "").rfind("conv1[", 0) == 0 && kc.value("fixed_conv", -1.0) == 0.0,
          path + ": conv1 is the fixed conv and changes by exactly 0");
    return verdict("cnn");
}

// beside W H shot.png ROW COL: a ViT with a ResNet in the second slot, ViT query (ROW, COL):
// the heads grid and the ResNet's effective-kernel panel both drawn, disjoint; the
// effective kernel was computed for that query, moves from A to B, and its number is
// in the change strip's sidecar block.
int check_beside(int W, int H, const std::string& path, int row, int col) {
    Shot s;
    if (!load_laid_out(W, H, path, &s)) return 1;
    const auto& m = s.meta.value("model", nlohmann::json::object());
    const auto& bm = s.meta.value("beside", nlohmann::json::object());
    const auto& ek = s.meta.value("effective_kernel", nlohmann::json::object());
    check(m.value("kind", "") == "vit" && bm.value("kind", "") == "resnet", path + ": a ViT with a ResNet beside it");
    check(ek.value("query_asked", nlohmann::json()) == nlohmann::json::array({row, col}),
          path + ": the ResNet's kernel is for the ViT's query (" + ek.value("query_asked", nlohmann::json()).dump() + ")");
    check(ek.value("change", -1.0) > 0.0, path + ": the ResNet's effective kernel moves from A to B");
    Box g, e, a, b;
    if (panel(s, "heads_grid", &g) && panel(s, "effective_kernel_panel", &e))
        check(!overlap(g, e), path + ": the heads grid and the effective kernel panel do not overlap");
    if (panel(s, "effective_kernel_a", &a) && panel(s, "effective_kernel_b", &b))
        check(box_diff_fraction(s, a, b) > 0.05, path + ": A's and B's effective-kernel pictures differ");
    return verdict("beside");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 7 && std::string(argv[1]) == "beside")
        return check_beside(std::atoi(argv[2]), std::atoi(argv[3]), argv[4], std::atoi(argv[5]), std::atoi(argv[6]));
    if (argc == 7 && std::string(argv[1]) == "cnn")
        return check_cnn(std::atoi(argv[2]), std::atoi(argv[3]), argv[4], std::atoi(argv[5]), std::atoi(argv[6]));
    if (argc == 5 && std::string(argv[1]) == "fits") return check_fits(std::atoi(argv[2]), std::atoi(argv[3]), argv[4]);
    if (argc == 5 && std::string(argv[1]) == "first") return check_first(std::atoi(argv[2]), std::atoi(argv[3]), argv[4]);
    if (argc == 5 && std::string(argv[1]) == "boff") return check_boff(std::atoi(argv[2]), std::atoi(argv[3]), argv[4]);
    if (argc == 6 && std::string(argv[1]) == "vit") return check_vit(std::atoi(argv[2]), std::atoi(argv[3]), argv[4], argv[5]);
    if (argc == 4 && std::string(argv[1]) == "prefix") return check_prefix(argv[2], std::atoi(argv[3]));
    if (argc >= 3 && std::string(argv[1]) == "lit") return check_lit(std::vector<std::string>(argv + 2, argv + argc));
    if (argc != 6) {
        std::cerr << "usage: gui_check W H q1.png q2.png i2.png | gui_check vit W H layer0.png layer1.png\n";
        return 2;
    }
    const int W = std::atoi(argv[1]), H = std::atoi(argv[2]);
    Shot q1, q2, i2;
    if (!load(argv[3], &q1) || !load(argv[4], &q2) || !load(argv[5], &i2)) return 1;

    for (const Shot* s : {&q1, &q2, &i2}) {
        check(s->w == W && s->h == H, s->path + ": PNG is " + std::to_string(s->w) + " x " + std::to_string(s->h) +
                                          ", the window size " + std::to_string(W) + " x " + std::to_string(H));
        const auto& win = s->meta.at("window");
        const auto& sc = s->meta.at("framebuffer_scale");
        check(std::lround(win.at("width").get<int>() * sc[0].get<double>()) == s->w &&
                  std::lround(win.at("height").get<int>() * sc[1].get<double>()) == s->h,
              s->path + ": PNG size equals the window size in the sidecar");
        const double v = variance(*s, Box{0, 0, s->w, s->h});
        check(v > 100.0, s->path + ": not blank (pixel variance " + std::to_string(v) + ")");
    }

    // The attention panel follows the query.
    Box a1, a2;
    if (panel(q1, "attention_a", &a1) && panel(q2, "attention_a", &a2)) {
        check(same_box(a1, a2), "attention panel is at the same place for both queries");
        check(variance(q1, a1) > 100.0, "attention panel is not blank");
        const double f = diff_fraction(q1, q2, a1);
        check(f > 0.01, "attention panel differs between queries (5,5) and (20,24): " + std::to_string(100 * f) +
                            "% of pixels");
    }
    Box k1, k2;
    if (panel(q1, "local_a", &k1) && panel(q2, "local_a", &k2) && same_box(k1, k2)) {
        check(diff_fraction(q1, q2, k1) > 0.01, "the attention around the query differs between the two queries");
    }

    // The conv kernel does not depend on the image.
    Box c1, c3;
    if (panel(q1, "conv_kernel", &c1) && panel(i2, "conv_kernel", &c3)) {
        check(same_box(c1, c3), "conv kernel panel is at the same place for both images");
        check(variance(q1, c1) > 100.0, "conv kernel panel is not blank");
        if (same_box(c1, c3)) {
            const double f = diff_fraction(q1, i2, c1);
            check(f == 0.0, "conv kernel panel is pixel-identical for the two images (" + std::to_string(100 * f) +
                                "% differ)");
        }
    }
    // ...while the image (and its attention) does.
    Box b1, b3;
    if (panel(q1, "conv_response", &b1) && panel(i2, "conv_response", &b3)) {
        Box u{std::max(b1.x, b3.x), std::max(b1.y, b3.y), 0, 0};
        u.w = std::min(b1.x + b1.w, b3.x + b3.w) - u.x;
        u.h = std::min(b1.y + b1.h, b3.y + b3.h) - u.y;
        if (u.w > 0 && u.h > 0) check(diff_fraction(q1, i2, u) > 0.01, "conv response differs between the two images");
    }

    return verdict("");
}
