// Checks the scripted GUI runs of tests/gui_script_test.sh: the app was driven through
// its real input paths by --script, and each `state` command wrote what the app
// showed as JSON. Usage: script_check SCENARIO DIR [ARGS...]
//   hover DIR                  a1..a5: hover moves the query, a click pins it, arrows step it
//   nocut DIR TAG W H          TAG_first/_editor/_vit/_resnet/_menu: in each state no text is cut
//   zoom DIR                   z0..z4: wheel zoom about the pointer, hover through it, right-drag pan, Z resets
//   heads DIR S0 S1 S2         a 12 x 12 ViT: the heads grid readable in the centre after V, back after V
//   launch DIR IMG SHOTS       l0..l6: first launch follows the pointer, a new image unpins, an absolute
//                              path typed in the dialog replaces the folder, Ctrl+S with it open
//   dialog DIR NEW BAD CFG CKPT  b0..b3: Ctrl+O + typed path opens NEW; BAD keeps it, one sentence;
//                              Ctrl+M + typed path loads CKPT
//   drop DIR IMG CKPT          c1..c7: dropped image and checkpoint, ] and , keys, thumbnail clicks
//   occlude DIR                d0..d2: Shift+drag occlusion changes attention, not conv; R resets
//   filters DIR                f0..f3: under an occlusion sobel_x's kernel change is exactly 0, the
//                              bilateral kernel's is not and follows the query; the user kernel's is 0
//   save DIR SHOTS             e1: two Ctrl+S give two complete PNGs in SHOTS
//   noconfig DIR HOME          n1: without a temp XDG_CONFIG_HOME nothing is read or written
//   makebig SRC OUT.jpg        writes a 4000 x 3000 JPEG (SRC mirror-tiled), independent of core/
//   big DIR NAME               g1..g3: a dropped 12 MP photo loads off the UI thread at full size
//                              (frame times printed, not asserted)
#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
    std::cout << (ok ? "  ok    " : "  FAIL  ") << what << "\n";
    if (!ok) ++failures;
}

json state(const std::string& dir, const std::string& name) {
    std::ifstream in(dir + "/" + name + ".json");
    json j;
    try {
        in >> j;
    } catch (const std::exception& e) {
        check(false, "read " + dir + "/" + name + ".json: " + e.what());
        return json::object();
    }
    return j;
}

std::string canon(const std::string& p) {
    std::error_code ec;
    const auto c = fs::weakly_canonical(p, ec);
    return ec ? p : c.string();
}

int qi(const json& s, const char* k) { return s.contains("query") ? s["query"].value(k, -99) : -99; }
bool pinned(const json& s) { return s.contains("query") && s["query"].value("pinned", false); }
long long fp(const json& s) { return s.value("forward_passes", -1LL); }
std::string str(const json& s, const char* k) { return s.contains(k) && s[k].is_string() ? s[k].get<std::string>() : ""; }
std::string status(const json& s) { return s.contains("status") ? s["status"].value("text", "") : ""; }
int view(const json& s, const char* k) { return s.contains("view") ? s["view"].value(k, -99) : -99; }
std::string pos(const json& s) { return "(" + std::to_string(qi(s, "row")) + ", " + std::to_string(qi(s, "col")) + ")"; }

// The patch under fraction (fx, fy) of the image, as the app maps the pointer.
void expect_under(const json& s, double fx, double fy, const std::string& name) {
    const int gh = s["grid"].value("rows", 0), gw = s["grid"].value("cols", 0);
    const int r = static_cast<int>(fy * gh), c = static_cast<int>(fx * gw);
    check(qi(s, "row") == r && qi(s, "col") == c,
          name + ": query " + pos(s) + " is the patch under the pointer (" + std::to_string(r) + ", " + std::to_string(c) + ")");
}

struct Png {
    int w = 0, h = 0;
    std::vector<unsigned char> rgb;
};

bool load_png(const std::string& path, Png* p) {
    int c = 0;
    unsigned char* d = stbi_load(path.c_str(), &p->w, &p->h, &c, 3);
    if (!d) return false;
    p->rgb.assign(d, d + static_cast<size_t>(p->w) * p->h * 3);
    stbi_image_free(d);
    return true;
}

// A complete PNG: the signature, decodable, and the IEND chunk as its last 12 bytes.
bool complete_png(const std::string& path, int* w, int* h) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() < 20 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return false;
    if (bytes.compare(bytes.size() - 8, 4, "IEND") != 0) return false;
    Png p;
    if (!load_png(path, &p)) return false;
    *w = p.w;
    *h = p.h;
    return true;
}

// Fraction of pixels differing inside a sidecar panel between two screenshots.
double panel_diff(const std::string& a, const std::string& b, const std::string& panel) {
    Png pa, pb;
    if (!load_png(a, &pa) || !load_png(b, &pb) || pa.w != pb.w || pa.h != pb.h) return -1;
    std::ifstream in(a + ".json");
    json m;
    in >> m;
    const auto& r = m["panels"][panel];
    const int x0 = r.value("x", 0), y0 = r.value("y", 0), w = r.value("w", 0), h = r.value("h", 0);
    size_t n = 0, d = 0;
    for (int y = y0; y < y0 + h && y < pa.h; ++y)
        for (int x = x0; x < x0 + w && x < pa.w; ++x) {
            const size_t i = (static_cast<size_t>(y) * pa.w + x) * 3;
            ++n;
            d += pa.rgb[i] != pb.rgb[i] || pa.rgb[i + 1] != pb.rgb[i + 1] || pa.rgb[i + 2] != pb.rgb[i + 2];
        }
    return n ? static_cast<double>(d) / n : -1;
}

void background_below_ui(const json& s);

void hover(const std::string& dir) {
    const json a1 = state(dir, "a1"), a2 = state(dir, "a2"), a3 = state(dir, "a3"), a4 = state(dir, "a4"), a5 = state(dir, "a5");
    expect_under(a1, 0.26, 0.26, "a1 hover");
    expect_under(a2, 0.74, 0.61, "a2 hover elsewhere");
    check(!pinned(a1) && !pinned(a2), "hovering leaves the query unpinned");
    const int gw = a1["grid"].value("cols", 0);
    check(qi(a2, "token") == qi(a2, "row") * gw + qi(a2, "col"), "a2: the query token is row * cols + col");
    check(pinned(a3) && qi(a3, "row") == qi(a2, "row") && qi(a3, "col") == qi(a2, "col"), "a3: a click pins the query where it is");
    check(pinned(a4) && qi(a4, "row") == qi(a3, "row") && qi(a4, "col") == qi(a3, "col"),
          "a4: moving after the pin does not move the query " + pos(a4));
    check(qi(a5, "row") == qi(a4, "row") + 1 && qi(a5, "col") == qi(a4, "col") + 1 && pinned(a5),
          "a5: RIGHT then DOWN step the query by one patch each " + pos(a4) + " -> " + pos(a5));
    check(fp(a1) >= 1 && fp(a5) == fp(a1), "no forward pass for hover, click or arrow keys (" + std::to_string(fp(a5)) + ")");
    const double d = panel_diff(dir + "/a1.png", dir + "/a2.png", "attention_a");
    check(d > 0.05, "the heatmap on screen follows the hovered query (" + std::to_string(d) + " of the pixels changed)");
    background_below_ui(a5);
}

// The worker and the OpenMP team it started run below the UI thread (app/gui/background_priority.h),
// so frames get their CPU first while a step takes both cores.
void background_below_ui(const json& s) {
    const int pid = s.value("pid", -1);
    int ui_nice = 1000, worker_threads = 0;
    bool all_below = true;
    for (const json& t : s.value("threads", json::array()))
        if (t.value("tid", 0) == pid) ui_nice = t.value("nice", 1000);
    for (const json& t : s.value("threads", json::array()))
        if (t.value("name", "") == "ks-worker") {
            ++worker_threads;
            all_below = all_below && t.value("nice", 0) == ui_nice + 5;
        }
    check(ui_nice != 1000, "the state lists the UI thread's nice value");
    const int team = std::thread::hardware_concurrency() >= 2 ? 2 : 1;
    check(worker_threads >= team && all_below, "the worker and its OpenMP team (" + std::to_string(worker_threads) +
                                                " threads named ks-worker) run 5 nice levels below the UI (" +
                                                std::to_string(ui_nice) + ")");
}

void launch(const std::string& dir, const std::string& img, const std::string& shots) {
    json l[7];
    for (int i = 0; i <= 6; ++i) l[i] = state(dir, "l" + std::to_string(i));
    check(!pinned(l[0]), "l0: the first frame's demo query is not pinned");
    expect_under(l[1], 0.21, 0.79, "l1: on first launch the query follows the pointer");
    check(pinned(l[2]) && qi(l[2], "row") == qi(l[1], "row") && qi(l[2], "col") == qi(l[1], "col"),
          "l2: a click pinned it where it was " + pos(l[2]));
    // The field held "<folder>/"; the typed absolute path replaced it rather than being appended.
    check(l[3].value("dialog_open", false) && canon(str(l[3], "dialog_path")) == canon(img),
          "l3: the typed absolute path replaced the folder in the field (\"" + str(l[3], "dialog_path") + "\")");
    size_t pngs = 0;
    for (const auto& e : fs::directory_iterator(shots, fs::directory_options::skip_permission_denied))
        pngs += e.path().extension() == ".png";
    check(pngs >= 1 && l[4].value("dialog_open", false), "l4: Ctrl+S saved a screenshot with the dialog open (" +
                                                            std::to_string(pngs) + " in the folder)");
    check(l[5]["status"].value("error", false) && status(l[5]).find("already open") != std::string::npos,
          "l5: Ctrl+O over an open dialog says so: \"" + status(l[5]) + "\"");
    check(canon(str(l[6], "image_a")) == canon(img) && !pinned(l[6]), "l6: the new image opened, its query unpinned");
    expect_under(l[6], 0.7, 0.3, "l6: on the new image the query follows the pointer again");
}

double zoom_factor(const json& s) { return s.contains("zoom") ? s["zoom"].value("factor", -1.0) : -1.0; }
double zoom_center(const json& s, int i) { return s.contains("zoom") ? s["zoom"]["center"][i].get<double>() : -1.0; }

// Wheel zoom keeps the pointer's patch; hover maps through the zoom; right-drag pans
// (the image follows the pointer, so the centre moves against it); Z resets.
void zoom(const std::string& dir) {
    json z[5];
    for (int i = 0; i <= 4; ++i) z[i] = state(dir, "z" + std::to_string(i));
    check(zoom_factor(z[0]) == 1.0 && std::fabs(zoom_factor(z[1]) - std::pow(1.25, 4)) < 1e-3,
          "z1: four wheel steps zoom by 1.25^4 (" + std::to_string(zoom_factor(z[1])) + ")");
    check(qi(z[1], "row") == qi(z[0], "row") && qi(z[1], "col") == qi(z[0], "col"),
          "z1: the patch under the pointer stays under it " + pos(z[0]) + " -> " + pos(z[1]));
    // Under the zoom the pointer at (0.81, 0.23) of the picture is this image point.
    const double f = zoom_factor(z[2]), cx = zoom_center(z[2], 0), cy = zoom_center(z[2], 1);
    const double u = cx - 0.5 / f + 0.81 / f, v = cy - 0.5 / f + 0.23 / f;
    const int gh = z[2]["grid"].value("rows", 0), gw = z[2]["grid"].value("cols", 0);
    check(qi(z[2], "row") == static_cast<int>(v * gh) && qi(z[2], "col") == static_cast<int>(u * gw),
          "z2: hover maps through the zoom to " + pos(z[2]));
    check(zoom_factor(z[3]) == zoom_factor(z[2]) && zoom_center(z[3], 0) < cx - 1e-3 && zoom_center(z[3], 1) < cy - 1e-3,
          "z3: a right-drag towards the lower right pans the view to the upper left");
    check(zoom_factor(z[4]) == 1.0 && zoom_center(z[4], 0) == 0.5, "z4: Z shows the whole picture again");
}

json sidecar(const std::string& dir, const std::string& name) { return state(dir, name + ".png"); }

// The heads grid of a 12 x 12 ViT: in the right column only when readable, in the centre
// after V with every thumbnail >= 16 px and every layer and head labelled, apart.
void heads(const std::string& dir, const std::string& n0, const std::string& n1, const std::string& n2) {
    const json s0 = sidecar(dir, n0), s1 = sidecar(dir, n1), st1 = state(dir, n1), st2 = state(dir, n2);
    if (s0.contains("heads_grid")) {
        const json& g = s0["heads_grid"];
        check(g.value("cell_w", 0.0) >= 16.0 && g.value("row_label_every", 0) == 1,
              n0 + ": the right column's grid is drawn only when readable (cells " + g.dump() + ")");
    } else {
        check(true, n0 + ": the right column offers the centre instead of an unreadable grid");
    }
    check(s1.contains("heads_grid") && s1["heads_grid"].value("in_centre", false), n1 + ": V shows every head in the centre");
    const json g = s1.value("heads_grid", json::object());
    check(g.value("rows", 0) == 12 && g.value("cols", 0) == 12, n1 + ": 12 layers x 12 heads");
    check(g.value("cell_w", 0.0) >= 16.0 && g.value("cell_h", 0.0) >= 16.0,
          n1 + ": thumbnails of at least 16 px (" + std::to_string(g.value("cell_w", 0.0)) + ")");
    check(g.value("row_label_every", 0) == 1 && g.value("col_label_every", 0) == 1, n1 + ": every layer and head is named");
    check(s1.value("cut", json::array()).empty(), n1 + ": no text is cut (" + s1.value("cut", json::array()).dump() + ")");
    check(st1.value("center_view", "") == "heads" && st2.value("center_view", "") == "comparison", "V toggles the centre back");
}

void dialog(const std::string& dir, const std::string& img, const std::string& bad, const std::string& cfg,
            const std::string& ckpt) {
    const json b0 = state(dir, "b0"), b1 = state(dir, "b1"), b2 = state(dir, "b2"), b3 = state(dir, "b3");
    check(b0.value("dialog_open", false), "b0: Ctrl+O opens the file dialog");
    check(canon(str(b1, "image_a")) == canon(img), "b1: typed path + Enter opened " + img + " (image A " + str(b1, "image_a") + ")");
    check(!b1.value("dialog_open", true), "b1: the dialog closed");
    check(canon(str(b2, "image_a")) == canon(img), "b2: a corrupt file leaves image A in place");
    const std::string st = status(b2);
    const std::string name = fs::path(bad).filename().string();
    check(b2["status"].value("error", false) && st.find(name) != std::string::npos,
          "b2: the status line names " + name + ": \"" + st + "\"");
    // One sentence: a single line ending in a full stop, no sentence break inside.
    const bool one = !st.empty() && st.find('\n') == std::string::npos && st.back() == '.' &&
                     st.substr(0, st.size() - 1).find(". ") == std::string::npos;
    check(one, "b2: the status line is one sentence");
    bool listed = false;
    for (const auto& r : b1.value("recent", json::array())) listed |= canon(r.get<std::string>()) == canon(img);
    check(listed, "b1: the opened image heads the recent files");
    // After b3 the checkpoint heads File > Open recent, the image after it.
    std::ifstream in(cfg + "/kernelscope/recent.txt");
    std::string first, second;
    std::getline(in, first);
    std::getline(in, second);
    check(canon(first) == canon(ckpt) && canon(second) == canon(img),
          "recent.txt in the temp XDG_CONFIG_HOME lists the loaded checkpoint, then the opened image");
    check(canon(str(b2, "config_dir")) == canon(cfg + "/kernelscope"), "the temp config folder is used");
    check(b3["model"].value("kind", "") == "vit" && canon(b3["model"].value("weights", "")) == canon(ckpt) &&
              canon(str(b3, "image_a")) == canon(img),
          "b3: Ctrl+M + typed path loaded the checkpoint, image A stays");
}

void drop(const std::string& dir, const std::string& img, const std::string& ckpt) {
    json c[8];
    for (int i = 1; i <= 7; ++i) c[i] = state(dir, "c" + std::to_string(i));
    check(canon(str(c[1], "image_a")) == canon(img), "c1: a dropped image becomes image A");
    const json& m = c[2]["model"];
    check(m.value("kind", "") == "vit" && m.value("layers", 0) == 2 && canon(m.value("weights", "")) == canon(ckpt),
          "c2: a dropped checkpoint is the model: vit, 2 layers");
    check(view(c[2], "layer") == 0 && view(c[3], "layer") == 1, "c3: ] steps to layer 1");
    check(view(c[4], "layer") == 1 && qi(c[4], "row") != -99, "c4: a hover on the ViT keeps layer 1");
    expect_under(c[4], 0.3, 0.7, "c4 hover on the ViT");
    check(view(c[5], "head") == 1 && str(c[5]["view"], "reduce") == "single", "c5: . steps to head 1");
    check(view(c[6], "layer") == 0 && view(c[6], "head") == 0, "c6: a click on the top-left thumbnail selects layer 0, head 0");
    check(view(c[7], "layer") == 1 && view(c[7], "head") == 1, "c7: a click on the bottom-right thumbnail selects layer 1, head 1");
    bool same = true;
    for (int i = 3; i <= 7; ++i) same &= fp(c[i]) == fp(c[2]);
    check(same, "query moves and layer / head changes run no forward pass (" + std::to_string(fp(c[2])) + " throughout)");
}

// Three images dropped at once open the Gallery: every image computed, sorted by TV to
// the mean kernel, the fixed conv identical under each; a hover on a tile moves the
// query on every image and re-reads the rows (a ViT: no new gallery run needed).
void gallery(const std::string& dir) {
    const json e1 = state(dir, "gal1")["gallery"], e2 = state(dir, "gal2")["gallery"];
    check(e1.value("open", false) && e1.value("images", 0) == 3 && e1.value("computed", 0) == 3 && e1.value("error", "x").empty(),
          "gal1: three dropped images open the gallery, all three computed");
    check(e1.value("family", "") == "vit", "gal1: the gallery runs the app's model (vit)");
    bool sorted = e1.contains("tv_by_tv") && e1["tv_by_tv"].size() == 3;
    for (size_t i = 1; sorted && i < 3; ++i) sorted = e1["tv_by_tv"][i - 1].get<double>() >= e1["tv_by_tv"][i].get<double>();
    check(sorted, "gal1: images sorted by TV to the mean kernel, largest first");
    check(e1.value("fixed_conv_identical", false), "gal1: the fixed conv built on each image is identical");
    const bool moved = e2.contains("query") && e1.contains("query") && e2["query"] != e1["query"];
    check(moved && e2.value("computed", 0) == 3, "gal2: a hover on a gallery tile moves the query of every image");
    check(e2.contains("tv_by_tv") && e2["tv_by_tv"] != e1["tv_by_tv"], "gal2: the distances are read at the new query");
}

void occlude(const std::string& dir) {
    const json d0 = state(dir, "d0"), d1 = state(dir, "d1");
    const json& k0 = d0["kernel_change"];
    const json& k1 = d1["kernel_change"];
    check(pinned(d0) && k0["attention"].is_number() && k0["attention"].get<double>() == 0.0,
          "d0: pinned, clean input: attention kernel change 0");
    const json& o = d1["occlusion"];
    check(o.value("w", 0) > 0 && o.value("h", 0) > 0, "d1: Shift+drag drew an occlusion rectangle");
    check(pinned(d1) && qi(d1, "row") == qi(d0, "row") && qi(d1, "col") == qi(d0, "col"), "d1: the drag left the pinned query");
    check(k1["attention"].is_number() && k1["attention"].get<double>() > 0.0,
          "d1: attention kernel change > 0 (" + k1["attention"].dump() + ")");
    check(k1["fixed_conv"].is_number() && k1["fixed_conv"].get<double>() == 0.0,
          "d1: the fixed conv's kernel change exactly 0 (" + k1["fixed_conv"].dump() + ")");
    check(fp(d1) > fp(d0), "d1: the occluded input ran the model");
    const json d2 = state(dir, "d2");
    check(d2["occlusion"].value("w", -1) == 0 && d2["kernel_change"]["attention"] == 0.0 && d2["kernel_change"]["fixed_conv"] == 0.0,
          "d2: R removes the occlusion and the kernel change returns to 0");
}

void filters(const std::string& dir) {
    json f[4];
    for (int i = 0; i <= 3; ++i) f[i] = state(dir, "f" + std::to_string(i));
    auto conv = [](const json& s, const char* k) { return s.contains("conv") ? s["conv"].value(k, json()) : json(); };
    auto change = [](const json& s) { return s["conv"].value("change", -1.0); };   // the chosen filter's
    check(f[0]["occlusion"].value("w", 0) > 0 && pinned(f[0]), "f0: pinned query under a Shift+drag occlusion");
    check(conv(f[0], "filter") == "sobel_x" && conv(f[0], "data_dependent") == false, "f0: sobel_x is data-agnostic");
    check(change(f[0]) == 0.0 && conv(f[0], "change_text") == "0 (exactly)",
          "f0: sobel_x's kernel change is exactly 0 (" + std::to_string(change(f[0])) + ")");
    const json f05 = state(dir, "f05");
    check(conv(f05, "filter") == "dynamic" && conv(f05, "data_dependent") == true && change(f05) > 0.0,
          "f05: five Shift+G step back to the dynamic conv, data-dependent: its kernel at the query changes (" +
              std::to_string(change(f05)) + ")");
    check(conv(f05, "kernel_min").get<double>() < 0.0, "f05: the dynamic kernel is signed");
    check(conv(f[1], "filter") == "bilateral" && conv(f[1], "data_dependent") == true,
          "f1: six Shift+G step back to bilateral, data-dependent (" + conv(f[1], "filter").dump() + ")");
    check(change(f[1]) > 0.0 && conv(f[1], "change_text") != "0 (exactly)",
          "f1: the bilateral kernel at the query changes under the occlusion (" + std::to_string(change(f[1])) + ")");
    check(std::fabs(conv(f[1], "kernel_sum").get<double>() - 1.0) < 1e-4 && conv(f[1], "kernel_min").get<double>() >= 0.0,
          "f1: the bilateral kernel is positive and sums to 1");
    check(fp(f[1]) == fp(f[0]), "f1: changing the filter runs no forward pass");
    const int gw = f[1]["grid"].value("cols", 1);
    check(qi(f[2], "col") == qi(f[1], "col") + 1 && conv(f[2], "x").get<int>() > conv(f[1], "x").get<int>() &&
              conv(f[2], "y") == conv(f[1], "y") && fp(f[2]) == fp(f[1]),
          "f2: RIGHT moves the bilateral kernel's pixel with the query, without a forward pass (x " +
              conv(f[1], "x").dump() + " -> " + conv(f[2], "x").dump() + ", grid " + std::to_string(gw) + " cols)");
    check(conv(f[3], "filter") == "user" && conv(f[3], "data_dependent") == false && change(f[3]) == 0.0 &&
              conv(f[3], "change_text") == "0 (exactly)",
          "f3: the user kernel is data-agnostic: kernel change exactly 0");
    check(conv(f[3], "kernel_size") == 3 && conv(f[3], "kernel_sum") == 1.0,
          "f3: the user kernel starts as a copy of the last bank filter (identity)");
}

void save(const std::string& dir, const std::string& shots) {
    const json e1 = state(dir, "e1");
    check(canon(str(e1, "screenshot_dir")) == canon(shots), "e1: the screenshot folder came from the temp imgui.ini");
    std::vector<std::string> pngs;
    for (const auto& f : fs::directory_iterator(shots))
        if (f.path().extension() == ".png") pngs.push_back(f.path().string());
    check(pngs.size() == 2, "two Ctrl+S gave two PNG files (" + std::to_string(pngs.size()) + ")");
    for (const auto& p : pngs) {
        int w = 0, h = 0;
        const bool ok = complete_png(p, &w, &h);
        check(ok && w == e1["window"].value("width", 0) && h == e1["window"].value("height", 0),
              p + " is a complete PNG of the window (" + std::to_string(w) + " x " + std::to_string(h) + ")");
        check(fs::path(p).filename().string().rfind("kernelscope_", 0) == 0, p + " has a timestamped name");
    }
    check(status(e1).find("Saved screenshot") == 0, "e1: the status line reports the save");
}

void noconfig(const std::string& dir, const std::string& home) {
    const json n1 = state(dir, "n1");
    check(str(n1, "config_dir").empty(), "n1: no config folder without a temp XDG_CONFIG_HOME");
    check(!fs::exists(home + "/.config"), "nothing was written under HOME/.config");
    check(str(n1, "screenshot_dir").rfind(home, 0) != 0, "screenshots would not go under HOME");
    check(n1.value("recent", json::array()).size() <= 1, "n1: no recent list was read");
}

// A phone-sized photo for the responsiveness check, made with stb alone so a bug in
// core's loader or resizer cannot hide in the test input.
int makebig(const std::string& src, const std::string& out) {
    int w = 0, h = 0, n = 0;
    unsigned char* s = stbi_load(src.c_str(), &w, &h, &n, 3);
    if (!s) {
        std::cerr << "script_check: cannot read " << src << "\n";
        return 2;
    }
    const int W = 4000, H = 3000;
    std::vector<unsigned char> o(static_cast<size_t>(W) * H * 3);
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            // Mirrored tiles: no seams, so the picture still looks like a photo.
            int sx = x % w, sy = y % h;
            if ((x / w) % 2) sx = w - 1 - sx;
            if ((y / h) % 2) sy = h - 1 - sy;
            for (int c = 0; c < 3; ++c) o[(static_cast<size_t>(y) * W + x) * 3 + c] = s[(static_cast<size_t>(sy) * w + sx) * 3 + c];
        }
    stbi_image_free(s);
    return stbi_write_jpg(out.c_str(), W, H, 3, o.data(), 90) ? 0 : 2;
}

double frame_ms(const json& s) { return s.value("max_frame_ms", 1e9); }

void big(const std::string& dir, const std::string& name) {
    const json g1 = state(dir, "g1"), g2 = state(dir, "g2"), g3 = state(dir, "g3");
    check(g1.value("loading", false) && status(g1) == "Loading " + name + " ...",
          "g1: a frame after the drop the app draws on, loading: \"" + status(g1) + "\"");
    check(g1.contains("image_a_size") && g1["image_a_size"].value("width", 0) != 4000, "g1: the old image is shown meanwhile");
    const json sz = g2.value("image_a_size", json::object());
    check(sz.value("width", 0) == 4000 && sz.value("height", 0) == 3000 && !g2.value("loading", true),
          "g2: image A is the full 4000 x 3000 photo (" + sz.dump() + ")");
    check(status(g2).find("(4000 x 3000)") != std::string::npos && !g2["status"].value("error", true),
          "g2: the status line says it opened: \"" + status(g2) + "\"");
    check(g3["occlusion"].value("w", 0) > 0 && fp(g3) > fp(g2), "g3: an occlusion on the photo ran the model again");
    // Frame times are reported, not asserted: a timed check would measure the shared CI
    // machine as much as the app (DEVELOPERS: performance claims come from benchmarks).
    std::cout << "  info  longest frame while loading " << frame_ms(g1) << " ms, computing " << frame_ms(g2)
              << " ms, occlusion + result " << frame_ms(g3) << " ms\n";
}

}  // namespace

// B's three choices, one key each step: the second image (given at launch), off, A perturbed.
void bmode(const std::string& dir) {
    const json h1 = state(dir, "h1"), h2 = state(dir, "h2"), h3 = state(dir, "h3");
    auto att = [](const json& j) {
        const auto& k = j["kernel_change"]["attention"];
        return k.is_number() ? k.get<double>() : -1.0;
    };
    auto has = [](const json& j, const char* p) { return j["panels"].contains(p) && j["panels"][p].value("w", 0) > 0; };
    check(h1.value("b_mode", "") == "second" && att(h1) > 0.0 && has(h1, "attention_b"),
          "h1: --image-b makes B the second image; its attention differs from A's (" + std::to_string(att(h1)) + ")");
    check(h2.value("b_mode", "") == "off" && !has(h2, "attention_b"), "h2: B (key) switches B off: only A is drawn");
    check(h3.value("b_mode", "") == "perturbed" && att(h3) > 0.0 && has(h3, "attention_b"),
          "h3: B again: B = A perturbed (noise), attention moves (" + std::to_string(att(h3)) + ")");
    check(h3["kernel_change"]["fixed_conv"].get<double>() == 0.0 && h1["kernel_change"]["fixed_conv"].get<double>() == 0.0,
          "h1, h3: the fixed conv's kernel change is exactly 0");
}

void browse(const std::string& dir, const std::string& folder, const std::string& parent) {
    const json k1 = state(dir, "k1"), k2 = state(dir, "k2"), k3 = state(dir, "k3"), k4 = state(dir, "k4"), k5 = state(dir, "k5");
    auto names = [](const json& j) {
        std::string s;
        for (const auto& n : j["dialog"]["entries"]) s += n.get<std::string>() + " ";
        return s;
    };
    check(k1.value("dialog_open", false) && canon(k1["dialog"].value("dir", "")) == canon(folder),
          "k1: Enter on a typed folder shows that folder (" + k1["dialog"].value("dir", "") + ")");
    check(names(k1) == "sub1/ sub2/ a_one.png a_two.png b_three.png ",
          "k1: folders first, then image files only (" + names(k1) + ")");
    check(names(k2) == "a_one.png a_two.png ", "k2: typing a_ filters the list (" + names(k2) + ")");
    check(k3.value("dialog_open", false) && canon(k3["dialog"].value("dir", "")) == canon(parent),
          "k3: Backspace on an empty name goes to the parent (" + k3["dialog"].value("dir", "") + ")");
    check(k4.value("dialog_open", false) && k4["dialog"].value("error", "").find("no such file or folder") != std::string::npos,
          "k4: a path that does not exist says so (" + k4["dialog"].value("error", "") + ")");
    check(!k5.value("dialog_open", true) && canon(str(k5, "image_a")) == canon(folder + "/b_three.png"),
          "k5: Enter on a typed file opens it (" + str(k5, "image_a") + ")");
}

// One press of the distance plot's PNG + CSV (state `s`, after `before`): the plot on
// screen was in `words`, and the folder the status line names holds that unit's PNG (a
// picture with its title, its axis title and a legend swatch per head drawn over the
// plot) and a CSV whose first value column is that unit, with the values the app holds.
void distance_export(const json& before, const json& s, const std::string& tag, const std::string& words) {
    const std::string axis = s.contains("analyses") ? s["analyses"].value("distance_axis", "") : "";
    check(axis == "mean attention distance (" + words + ")", "the distance plot on screen is in " + words + " (" + axis + ")");
    const std::string st = status(s), lead = "Wrote the distance plot and its numbers to ";
    check(st.rfind(lead, 0) == 0, "PNG + CSV says where it wrote (" + st + ")");
    if (st.rfind(lead, 0) != 0) return;
    const std::string out = st.substr(lead.size());
    int w = 0, h = 0;
    const std::string png = out + "/mean_attention_distance_" + tag + ".png";
    check(complete_png(png, &w, &h) && w >= 640 && h >= 400, "the export holds " + png);
    Png p;
    if (load_png(png, &p)) {
        // The title band (top 30 rows): text-coloured pixels (the theme's 230, 232, 237).
        int title = 0;
        for (int y = 0; y < std::min(30, p.h); ++y)
            for (int x = 0; x < p.w; ++x) {
                const unsigned char* q = &p.rgb[(static_cast<size_t>(y) * p.w + x) * 3];
                title += q[0] > 200 && q[1] > 200 && q[2] > 200;
            }
        check(title > 100, "the exported plot has its title drawn (" + std::to_string(title) + " text pixels)");
        // Every head's legend swatch (head 0 light blue 107, 175, 250; head 1 yellow 254, 221, 77 ...):
        // head 0's dot must not be the old dark purple.
        int blue = 0;
        for (int y = 30; y < std::min(70, p.h); ++y)
            for (int x = 0; x < p.w; ++x) {
                const unsigned char* q = &p.rgb[(static_cast<size_t>(y) * p.w + x) * 3];
                blue += std::abs(q[0] - 107) < 6 && std::abs(q[1] - 175) < 6 && std::abs(q[2] - 250) < 6;
            }
        check(blue > 4, "head 0's legend swatch is drawn over the plot in its light blue");
    }
    std::ifstream in(out + "/mean_attention_distance.csv");
    std::string header, row;
    std::getline(in, header);
    const std::string other = tag == "original_px" ? "model_input_px" : "original_px";
    check(header == "layer,head,mean_distance_" + tag + ",mean_distance_" + other,
          "the CSV's first value column is the plotted unit (" + header + ")");
    const json& a = before.contains("analysis_a") ? before["analysis_a"] : json::object();
    const auto shown = a.value(tag == "original_px" ? "original_px" : "model_px", std::vector<double>{});
    size_t rows = 0, equal = 0;
    while (std::getline(in, row)) {
        int l = -1, hd = -1;
        double v = NAN;
        if (std::sscanf(row.c_str(), "%d,%d,%lf", &l, &hd, &v) != 3) continue;
        const size_t i = static_cast<size_t>(l * a.value("heads", 0) + hd);
        ++rows;
        equal += i < shown.size() && std::fabs(v - shown[i]) <= 1e-5 * std::max(1.0, std::fabs(shown[i]));
    }
    check(rows > 0 && rows == shown.size() && equal == rows,
          "the CSV holds the app's " + tag + " values (" + std::to_string(equal) + " of " + std::to_string(rows) + ")");
}

void analyses(const std::string& dir) {
    const json y = state(dir, "y1");
    check(y["analyses"].value("open", false), "y1: A opens the Analyses window");
    for (const char* p : {"analysis_distance", "analysis_fourier_curves", "analysis_fourier_depth", "analysis_spectrum_attention",
                          "analysis_spectrum_conv"})
        check(y["panels"].contains(p) && y["panels"][p].value("w", 0.0) > 20.0, std::string("y1: the ") + p + " plot is drawn");
    // The PNG + CSV button writes the unit the plot shows, before and after its checkbox.
    distance_export(y, state(dir, "y3"), "original_px", "original-image px");
    distance_export(y, state(dir, "y4"), "model_input_px", "model-input px");
    // The fixture's random weights give noise-like rows: the low-pass contrast is checked
    // on the built-in model's first frame.
    const json y2 = state(dir, "y2");
    const double a = y2["analyses"].value("hf_share_attention", -1.0), c = y2["analyses"].value("hf_share_conv", -1.0);
    check(a >= 0.0 && c >= 0.0 && a < 0.5 * c, "y2: the attention kernel's high-frequency share (" + std::to_string(a) +
                                             ") is below sobel_x's (" + std::to_string(c) + ")");
}

// The Analyses window's "Data specificity of the loaded folder": with a ResNet (no attention
// analyses) its own load button, then the plot from a ResNet folder; with a ViT the band's
// button loads both the band and the plot.
void folder_specificity(const std::string& dir, const std::string& r18_folder, const std::string& vit_folder) {
    const json r0 = state(dir, "ys_r180"), r1 = state(dir, "ys_r181"), v1 = state(dir, "ys_vit1");
    check(r0["analyses"].value("open", false) && r0["panels"].contains("analysis_load_folder") &&
              !r0["panels"].contains("analysis_specificity"),
          "ys_r180: a ResNet's Analyses window offers to load a folder, with no plot yet");
    check(status(r1) == "Loaded the data specificity from " + r18_folder && !r1["status"].value("error", true),
          "ys_r181: the ResNet folder's data specificity loaded: \"" + status(r1) + "\"");
    check(r1["panels"].contains("analysis_specificity") && r1["panels"]["analysis_specificity"].value("w", 0.0) > 200.0 &&
              r1["panels"]["analysis_specificity"].value("h", 0.0) > 100.0,
          "ys_r181: the data specificity plot is drawn in the ResNet's window");
    check(status(v1) == "Loaded the analysis of 2 images and the data specificity from " + vit_folder,
          "ys_vit1: the ViT folder's band and data specificity loaded: \"" + status(v1) + "\"");
    check(v1["panels"].contains("analysis_specificity") && v1["panels"]["analysis_specificity"].value("w", 0.0) > 200.0 &&
              v1["panels"].contains("analysis_distance"),
          "ys_vit1: the distance plot and the data specificity plot are drawn");
}

void resize(const std::string& dir) {
    const int sizes[2][2] = {{1024, 700}, {1900, 1150}};
    for (int i = 0; i < 2; ++i) {
        const json r = state(dir, i == 0 ? "r1" : "r2");
        const int W = sizes[i][0], H = sizes[i][1];
        const std::string tag = std::string(i == 0 ? "r1" : "r2") + ": ";
        check(r["window"].value("width", 0) == W && r["window"].value("height", 0) == H,
              tag + "the window is " + std::to_string(W) + " x " + std::to_string(H));
        int bad = 0;
        for (const auto& [name, p] : r["panels"].items()) {
            const double x = p.value("x", 0.0), y = p.value("y", 0.0), w = p.value("w", 0.0), h = p.value("h", 0.0);
            if (w > 0 && h > 0 && (x < -0.5 || y < -0.5 || x + w > W + 0.5 || y + h > H + 0.5)) {
                check(false, tag + "panel " + name + " lies inside the window");
                ++bad;
            }
        }
        check(bad == 0, tag + "every panel lies inside the resized window");
        check(r["cut"].is_array() && r["cut"].empty(), tag + "no window cuts a label at its right edge (" + r["cut"].dump() + ")");
        const auto& a = r["panels"]["attention_a"];
        const auto& b = r["panels"]["attention_b"];
        check(a.value("x", 0.0) + a.value("w", 0.0) <= b.value("x", 0.0), tag + "A and B side by side, not overlapping");
    }
}

// c1..c4: a ResNet checkpoint (issue 12). c1: opened with --query 2,3 on layer3: the
// effective kernels of A and B (A + noise) came from one forward pass each and one
// backward pass each; B's differs from A's (kernel change > 0) while conv1 (the fixed
// conv, chosen on load) changes by exactly 0. c2: the query one cell right: two new
// backward passes, no new forward pass. c3: back left: the cached kernels, no pass at
// all, the same change as c1. c4: stage layer4 chosen from the sidebar: a smaller grid.
void cnn(const std::string& dir) {
    const json c1 = state(dir, "c1"), c2 = state(dir, "c2"), c3 = state(dir, "c3");
    const auto& m = c1["model"];
    check(m.value("kind", "") == "resnet" && m.value("stage", "") == "layer3", "c1: a ResNet, stage layer3 (" + m.dump() + ")");
    const auto ek = [](const json& j) { return j.value("effective_kernel", json::object()); };
    check(ek(c1).value("row", -1) == 2 && ek(c1).value("col", -1) == 3, "c1: the effective kernel is at the launch query (2, 3)");
    check(c1.value("forward_passes", 0) == 2 && ek(c1).value("backward_passes", 0) == 2,
          "c1: one forward and one backward pass per input (" + std::to_string(c1.value("forward_passes", 0)) + ", " +
              std::to_string(ek(c1).value("backward_passes", 0)) + ")");
    const double ch1 = ek(c1).value("change", -1.0);
    check(ch1 > 0.0 && c1["kernel_change"].value("effective_kernel", -1.0) == ch1 && c1["kernel_change"]["attention"].is_null(),
          "c1: the effective kernel moves with the input (change " + std::to_string(ch1) + ") and the picture's number is it");
    check(c1["conv"].value("filter", "").rfind("conv1[", 0) == 0 && c1["kernel_change"].value("fixed_conv", -1.0) == 0.0,
          "c1: conv1's kernel is the fixed conv and changes by exactly 0 (" + c1["conv"].value("filter", "") + ")");
    check(ek(c2).value("row", -1) == 2 && ek(c2).value("col", -1) == 4, "c2: the query moved one cell right on the stage grid");
    check(c2.value("forward_passes", 0) == 2 && ek(c2).value("backward_passes", 0) == 4,
          "c2: a query move costs two backward passes and no forward pass");
    check(ek(c3).value("col", -1) == 3 && ek(c3).value("backward_passes", 0) == 4 && ek(c3).value("change", -2.0) == ch1,
          "c3: back at (2, 3): the cached kernels, no new pass, the same change");
    const json c4 = state(dir, "c4");
    check(c4["model"].value("stage", "") == "layer4" && c4["grid"].value("rows", 0) * 2 == c1["grid"].value("rows", 0),
          "c4: layer4 chosen: its grid has half layer3's rows (" + c4["grid"].dump() + " vs " + c1["grid"].dump() + ")");
}

// d1, d2: a ResNet in the second slot beside a ViT; the ViT's query moves one patch right.
void beside(const std::string& dir) {
    const json d1 = state(dir, "d1"), d2 = state(dir, "d2");
    const auto ek = [](const json& j) { return j.value("effective_kernel", json::object()); };
    check(d1["model"].value("kind", "") == "vit" && d1.value("beside", json::object()).value("kind", "") == "resnet",
          "d1: a ViT with a ResNet beside it");
    check(ek(d1).value("query_asked", json()) == json::array({1, 2}) && ek(d2).value("query_asked", json()) == json::array({1, 3}),
          "d2: the ResNet's kernel follows the ViT's query (" + ek(d2).value("query_asked", json()).dump() + ")");
    check(ek(d2).value("col", -1) > ek(d1).value("col", -1), "d2: on the ResNet's grid the cell moved right too");
    check(d2.value("forward_passes", 0) == d1.value("forward_passes", -1) &&
              ek(d2).value("backward_passes", 0) == ek(d1).value("backward_passes", 0) + 2,
          "d2: the move cost two backward passes and no forward pass");
}

// z1..z5: hostile files dropped one after another (a checkpoint with a NaN weight, a PNG
// whose header claims 100000 x 100000, the image fuzzer's JPEG, a PNG claiming more
// pixels than it holds), then a good photo.
// No text cut (issue 18, item 6) in each state at one window size and UI scale: TAG_first
// (with a tooltip at the screen's edge), TAG_editor (the user filter's kernel editor),
// TAG_vit (a 12 x 12 ViT-B-shaped checkpoint), TAG_resnet and TAG_menu (File open over the
// ResNet). Each shot is first checked to be in the state it names, then its `cut` empty.
void nocut(const std::string& dir, const std::string& tag, int w, int h) {
    const std::string base = dir + "/" + tag;
    auto shot = [&](const char* name) { return state(dir, tag + "_" + name + ".png"); };
    const json first = shot("first"), editor = shot("editor"), vit = shot("vit"), resnet = shot("resnet"), menu = shot("menu");
    auto kind = [](const json& s) { return s.contains("model") ? s["model"].value("kind", "") : std::string(); };
    check(kind(first) == "similarity" && str(first, "filter") == "sobel_x", tag + "_first: the first frame (built-in model, sobel_x)");
    check(str(editor, "filter") == "user", tag + "_editor: the user filter, its kernel editor open (filter " + str(editor, "filter") + ")");
    check(kind(vit) == "vit" && vit["model"].value("layers", 0) == 12 && vit["model"].value("heads", 0) == 12 &&
              str(vit, "filter") == "sobel_x",
          tag + "_vit: the 12 x 12 ViT is loaded, back on sobel_x");
    check(kind(resnet) == "resnet", tag + "_resnet: the ResNet is loaded");
    // The File menu opens over the top-left corner: that corner differs from the shot before.
    Png a, b;
    double changed = 0;
    if (load_png(base + "_resnet.png", &a) && load_png(base + "_menu.png", &b) && a.w == b.w && a.h == b.h) {
        size_t n = 0, d = 0;
        for (int y = a.h / 20; y < a.h / 4; ++y)
            for (int x = 0; x < a.w / 5; ++x, ++n) {
                const size_t i = (static_cast<size_t>(y) * a.w + x) * 3;
                d += a.rgb[i] != b.rgb[i] || a.rgb[i + 1] != b.rgb[i + 1] || a.rgb[i + 2] != b.rgb[i + 2];
            }
        changed = n ? static_cast<double>(d) / n : 0.0;
    }
    check(changed > 0.05, tag + "_menu: the File menu is open (" + std::to_string(100 * changed) + "% of its corner changed)");
    const std::pair<const char*, const json*> shots[] = {
        {"first", &first}, {"editor", &editor}, {"vit", &vit}, {"resnet", &resnet}, {"menu", &menu}};
    for (const auto& [name, s] : shots) {
        const json& win = s->value("window", json::object());
        check(win.value("width", 0) == w && win.value("height", 0) == h,
              tag + "_" + name + ": the window is " + std::to_string(w) + " x " + std::to_string(h));
        const json cut = s->value("cut", json());
        check(cut.is_array() && cut.empty(), tag + "_" + name + ": no text is cut (cut: " + cut.dump() + ")");
    }
}

void hostile(const std::string& dir, const std::string& img1, const std::string& img2) {
    const char* names[] = {"model.safetensors", "huge_header.png", "fuzz_jpeg_huffman_cut_short.jpg",
                           "png_claims_16mp_holds_one_row.png"};
    for (int i = 1; i <= 4; ++i) {
        const json z = state(dir, "z" + std::to_string(i));
        const std::string tag = "z" + std::to_string(i) + ": ";
        const std::string st = status(z);
        check(z["status"].value("error", false) && st.find(names[i - 1]) != std::string::npos && st.back() == '.' &&
                  st.find('\n') == std::string::npos,
              tag + "one sentence in the status line naming " + names[i - 1] + ": \"" + st + "\"");
        check(canon(str(z, "image_a")) == canon(img1) && z["model"].value("kind", "") == "similarity",
              tag + "image A and the built-in model stay");
    }
    check(status(state(dir, "z1")).find("NaN") != std::string::npos, "z1: the checkpoint's message says NaN");
    const json z5 = state(dir, "z5");
    check(canon(str(z5, "image_a")) == canon(img2) && !z5["status"].value("error", true),
          "z5: the good photo dropped afterwards opens (" + status(z5) + ")");
}

// per_image.csv of `kernelscope analyze` (image,layer,head,mean_distance_px,
// mean_distance_original_px) against the app's state for the same image.
int analyze_equals_app(const std::string& state_path, const std::string& csv_path) {
    std::ifstream sin(state_path);
    json st;
    sin >> st;
    std::ifstream in(csv_path);
    std::string line;
    std::getline(in, line);  // header
    const auto& an = st.value("analysis_a", json::object());
    const int heads = an.value("heads", 0);
    int rows = 0;
    double worst = 0;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ',')) f.push_back(cell);
        if (f.size() < 5) continue;
        const int l = std::stoi(f[1]), h = std::stoi(f[2]);
        const double px = std::stod(f[3]), orig = std::stod(f[4]);
        const size_t k = static_cast<size_t>(l) * heads + h;
        const double app_px = an["model_px"].at(k).get<double>(), app_orig = an["original_px"].at(k).get<double>();
        worst = std::max({worst, std::fabs(px - app_px) / std::max(1.0, std::fabs(px)),
                          std::fabs(orig - app_orig) / std::max(1.0, std::fabs(orig))});
        ++rows;
    }
    const int want = an.value("layers", 0) * heads;
    check(rows == want && want > 0, "per_image.csv has one row per layer and head (" + std::to_string(rows) + " of " +
                                        std::to_string(want) + ")");
    check(worst < 1e-5, "analyze's mean distances equal the app's (largest relative difference " + std::to_string(worst) + ")");
    std::cout << (failures ? "script_check analyze_equals_app: FAILED" : "script_check analyze_equals_app: passed") << "\n";
    return failures ? 1 : 0;
}

// render_parity_test.sh: the app's sidecar and render's comparison.json for the same flags.
int same_comparison(const std::string& sidecar, const std::string& comparison, const std::string& name) {
    std::ifstream a(sidecar), b(comparison);
    json app, cli;
    a >> app;
    b >> cli;
    const json q = app.value("query", json::object());
    const bool same_changes = app["kernel_change"] == cli["kernel_change"];
    const bool same_query = q.value("row", -1) == cli["query"].value("row", -2) && q.value("col", -1) == cli["query"].value("col", -2);
    const bool same_b = app.value("b_mode", "") == cli.value("b_mode", "?");
    std::cout << (same_changes && same_query && same_b ? "  ok    " : "  FAIL  ") << name
              << ": app " << app["kernel_change"].dump() << " at " << q.dump() << " (" << app.value("b_mode", "")
              << "), render " << cli["kernel_change"].dump() << " at " << cli["query"].dump() << " (" << cli.value("b_mode", "")
              << ")\n";
    return same_changes && same_query && same_b ? 0 : 1;
}

// s_NAME: the app started over a damaged or hostile settings file (tests/gui_settings_test.sh):
// it drew a usable layout (every panel inside the window, A's picture a real size, nothing
// cut) and said, in the status line, that the settings file was set aside.
void settings(const std::string& dir, const std::string& name) {
    const json s = state(dir, "s_" + name);
    const int W = s["window"].value("width", 0), H = s["window"].value("height", 0);
    int outside = 0;
    for (const auto& [panel, p] : s["panels"].items()) {
        const double x = p.value("x", 0.0), y = p.value("y", 0.0), w = p.value("w", 0.0), h = p.value("h", 0.0);
        if (!std::isfinite(x + y + w + h) || (w > 0 && h > 0 && (x < -0.5 || y < -0.5 || x + w > W + 0.5 || y + h > H + 0.5))) ++outside;
    }
    check(outside == 0, name + ": every panel lies inside the " + std::to_string(W) + " x " + std::to_string(H) + " window");
    const json& a = s["panels"]["attention_a"];
    check(a.value("w", 0.0) > 100 && a.value("h", 0.0) > 60, name + ": input A's picture is drawn at a usable size");
    check(s["cut"].is_array() && s["cut"].empty(), name + ": nothing is cut (" + s["cut"].dump() + ")");
    check(s["status"].value("error", false) && status(s).find(" was not usable as saved (") != std::string::npos,
          name + ": the status line says the settings file was set aside: \"" + status(s) + "\"");
}

int main(int argc, char** argv) {
    const std::vector<std::string> a(argv + 1, argv + argc);
    const auto need = [&](size_t n) {
        if (a.size() != n) {
            std::cerr << "script_check: wrong arguments for " << (a.empty() ? "" : a[0]) << "\n";
            std::exit(2);
        }
    };
    if (a.size() == 3 && a[0] == "makebig") return makebig(a[1], a[2]);
    if (a.size() == 3 && a[0] == "analyze_equals_app") return analyze_equals_app(a[1], a[2]);
    if (a.size() == 4 && a[0] == "same_comparison") return same_comparison(a[1], a[2], a[3]);
    if (a.size() == 2 && a[0] == "export_dir") {  // prints where Ctrl+E wrote (for the shell's comparison)
        std::ifstream in(a[1]);
        json j;
        in >> j;
        std::cout << j.value("last_export", "") << "\n";
        return j.value("last_export", "").empty() ? 1 : 0;
    }
    if (a.size() < 2) need(2);
    const std::string& s = a[0];
    std::cout << "script_check " << s << ":\n";
    if (s == "hover") { need(2); hover(a[1]); }
    else if (s == "launch") { need(4); launch(a[1], a[2], a[3]); }
    else if (s == "heads") { need(5); heads(a[1], a[2], a[3], a[4]); }
    else if (s == "zoom") { need(2); zoom(a[1]); }
    else if (s == "dialog") { need(6); dialog(a[1], a[2], a[3], a[4], a[5]); }
    else if (s == "drop") { need(4); drop(a[1], a[2], a[3]); }
    else if (s == "occlude") { need(2); occlude(a[1]); }
    else if (s == "gallery") { need(2); gallery(a[1]); }
    else if (s == "filters") { need(2); filters(a[1]); }
    else if (s == "save") { need(3); save(a[1], a[2]); }
    else if (s == "noconfig") { need(3); noconfig(a[1], a[2]); }
    else if (s == "big") { need(3); big(a[1], a[2]); }
    else if (s == "bmode") { need(2); bmode(a[1]); }
    else if (s == "browse") { need(4); browse(a[1], a[2], a[3]); }
    else if (s == "analyses") { need(2); analyses(a[1]); }
    else if (s == "folder_specificity") { need(4); folder_specificity(a[1], a[2], a[3]); }
    else if (s == "resize") { need(2); resize(a[1]); }
    else if (s == "cnn") { need(2); cnn(a[1]); }
    else if (s == "beside") { need(2); beside(a[1]); }
    else if (s == "hostile") { need(4); hostile(a[1], a[2], a[3]); }
    else if (s == "settings") { need(3); settings(a[1], a[2]); }
    else if (s == "nocut") { need(5); nocut(a[1], a[2], std::stoi(a[3]), std::stoi(a[4])); }
    else { std::cerr << "script_check: unknown scenario " << s << "\n"; return 2; }
    return failures ? 1 : 0;
}
