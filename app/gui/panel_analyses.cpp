// The Analyses window (A key, View menu): the paper's figures for the current input,
// drawn with ImGui: mean attention distance per layer and head (Dosovitskiy et al.,
// Fig. 7), the Fourier dL(k) of every sub-block's token map and its high-frequency end
// against depth with MSA and MLP told apart (Park & Kim, Fig. 2 / 8), and the 2-D
// amplitude spectra of the attention kernel and the conv kernel at the query with
// their high-frequency shares. Every number and every figure comes from core
// (analysis/analysis_plots.h): the plots on screen draw core's Figures, and the PNG + CSV
// buttons write the same Figures as pictures, so a file shows what the screen showed.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "analysis/analysis_plots.h"
#include "analysis/kernel_spectrum.h"
#include "analysis/specificity_plot.h"
#include "app_state.h"
#include "family_ui.h"
#include "cli_analyze_io.h"
#include "config.h"
#include "io/checkpoint_name.h"
#include "io/csv.h"
#include "io/file_output.h"
#include "panel_util.h"
#include "panel_widgets.h"
#include "draw/colormap.h"
#include "draw/number_format.h"
#include "draw/plot.h"

namespace ks::gui {

namespace fs = std::filesystem;

namespace {

struct Axes {
    ImVec2 p0, p1;          // the plotting rectangle on screen
    double x0, x1, y0, y1;  // data range
    ImVec2 at(double x, double y) const {
        const double fx = (x - x0) / (x1 - x0 == 0 ? 1 : x1 - x0), fy = (y - y0) / (y1 - y0 == 0 ? 1 : y1 - y0);
        return ImVec2(static_cast<float>(p0.x + fx * (p1.x - p0.x)), static_cast<float>(p1.y - fy * (p1.y - p0.y)));
    }
};

ImU32 colour(const Rgb& c, float alpha = 1.0f) {
    auto b = [](float v) { return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
    return IM_COL32(b(c[0]), b(c[1]), b(c[2]), b(alpha));
}

// A legend entry's width with ImGui's font, laid out as plot.cpp lays out the file's.
float legend_entry_width(const LegendEntry& e, float px) {
    return (e.mark == LegendMark::None ? 0.0f : (kLegendSwatch + kLegendSwatchGap) * px) + ImGui::CalcTextSize(e.label.c_str()).x;
}

void legend_swatch(ImDrawList* dl, const LegendEntry& e, float x, float y_mid, float px) {
    const float w = kLegendSwatch * px;
    if (e.mark == LegendMark::Dot) dl->AddCircleFilled(ImVec2(x + w * 0.5f, y_mid), 0.3f * px, colour(e.color, e.alpha));
    else if (e.mark == LegendMark::Line) dl->AddLine(ImVec2(x, y_mid), ImVec2(x + w, y_mid), colour(e.color, e.alpha), std::max(2.0f, 0.14f * px));
    else if (e.mark == LegendMark::Band)
        dl->AddRectFilled(ImVec2(x, y_mid - 0.3f * px), ImVec2(x + w, y_mid + 0.3f * px), colour(e.color, std::max(e.alpha, 0.35f)));
}

// The y axis's title followed by the legend, flowing over as many rows as `width` needs.
struct FigureHeader {
    std::string ylabel;
    std::vector<FlowSlot> slots;
    float height = 0;
};
FigureHeader figure_header(const Figure& f, float width) {
    const float px = ImGui::GetFontSize();
    FigureHeader h;
    std::vector<float> widths;
    for (const auto& e : f.spec.legend) widths.push_back(legend_entry_width(e, px));
    h.ylabel = elided(f.spec.y_label, width);
    const float label_w = h.ylabel.empty() ? 0.0f : ImGui::CalcTextSize(h.ylabel.c_str()).x + kLegendGap * 1.5f * px;
    h.slots = flow_items(widths, label_w, 0.0f, width, kLegendGap * px);
    h.height = (h.slots.empty() ? 1 : h.slots.back().row + 1) * ImGui::GetTextLineHeightWithSpacing() + 0.25f * px;
    return h;
}

// Core's Figure with ImGui, as plot_image draws it into the file: the header (y axis's
// title and legend, `header_h` tall) over the plot, never under the data; then a body
// `body_h` tall: ticks from core's plot_ticks, the x axis's title under the tick
// numbers, bands and data clipped to the frame. The file's title is left out: the
// window's section header says it. Returns the mapping of the data onto the screen.
Axes draw_figure(ImDrawList* dl, ImVec2 p0, float width, float header_h, float body_h, const Figure& f) {
    const PlotSpec& s = f.spec;
    const PlotTheme& th = plot_theme();
    const float px = ImGui::GetFontSize(), line = ImGui::GetTextLineHeightWithSpacing();
    const ImU32 muted = colour(th.muted), text = colour(th.text);
    const FigureHeader head = figure_header(f, width);
    dl->AddText(p0, muted, head.ylabel.c_str());
    for (size_t i = 0; i < head.slots.size(); ++i) {
        const LegendEntry& e = s.legend[i];
        const float x = p0.x + head.slots[i].x, y = p0.y + head.slots[i].row * line;
        legend_swatch(dl, e, x, y + ImGui::GetTextLineHeight() * 0.5f, px);
        dl->AddText(ImVec2(x + (e.mark == LegendMark::None ? 0.0f : (kLegendSwatch + kLegendSwatchGap) * px), y), text, e.label.c_str());
    }
    const ImVec2 size(width, header_h + body_h);
    const std::array<double, 4> r = plot_range(f);
    const float top = p0.y + header_h, bottom = p0.y + size.y - 2.0f * line;
    const std::vector<double> yt = plot_ticks(r[2], r[3], std::max(2, static_cast<int>((bottom - top) / (2.0f * line))), false);
    const std::vector<double> xt = plot_ticks(r[0], r[1], std::max(2, static_cast<int>(size.x / (px * 5))), s.integer_x_ticks);
    const double ystep = yt.size() > 1 ? yt[1] - yt[0] : 1.0, xstep = xt.size() > 1 ? xt[1] - xt[0] : 1.0;
    float tick_w = 0;
    for (double v : yt) tick_w = std::max(tick_w, ImGui::CalcTextSize(plot_tick_label(v, ystep).c_str()).x);
    Axes a{ImVec2(p0.x + tick_w + 0.5f * px, top), ImVec2(p0.x + size.x - 0.5f * px, std::max(top + 8.0f, bottom)), r[0], r[1], r[2], r[3]};
    for (double v : yt) {
        const ImVec2 q = a.at(r[0], v);
        dl->AddLine(ImVec2(a.p0.x, q.y), ImVec2(a.p1.x, q.y), colour(th.grid));
        const std::string t = plot_tick_label(v, ystep);
        dl->AddText(ImVec2(a.p0.x - ImGui::CalcTextSize(t.c_str()).x - 0.3f * px, q.y - ImGui::GetTextLineHeight() * 0.5f), muted, t.c_str());
    }
    for (double v : xt) {
        const ImVec2 q = a.at(v, r[2]);
        dl->AddLine(ImVec2(q.x, a.p1.y), ImVec2(q.x, a.p1.y + 0.3f * px), muted);
        const std::string t = plot_tick_label(v, xstep);
        dl->AddText(ImVec2(q.x - ImGui::CalcTextSize(t.c_str()).x * 0.5f, a.p1.y + 0.3f * px), muted, t.c_str());
    }
    const std::string xlabel = elided(s.x_label, size.x);
    dl->AddText(ImVec2((a.p0.x + a.p1.x - ImGui::CalcTextSize(xlabel.c_str()).x) * 0.5f, a.p1.y + line + 0.2f * px), muted, xlabel.c_str());
    dl->PushClipRect(a.p0, a.p1, true);
    for (const auto& b : s.bands)
        dl->AddRectFilled(a.at(b.x0, std::isfinite(b.y1) ? b.y1 : r[3]), a.at(b.x1, std::isfinite(b.y0) ? b.y0 : r[2]), colour(b.color, b.alpha));
    if (s.zero_line && r[2] < 0 && r[3] > 0) dl->AddLine(a.at(r[0], 0), a.at(r[1], 0), colour(th.frame));
    const float scale = px / 16.0f;
    for (const auto& ser : f.series) {
        const size_t n = std::min(ser.x.size(), ser.y.size());
        auto ok = [&](size_t i) { return std::isfinite(ser.x[i]) && std::isfinite(ser.y[i]); };  // a missing value draws nothing
        if (ser.line)
            for (size_t i = 1; i < n; ++i)
                if (ok(i - 1) && ok(i))
                    dl->AddLine(a.at(ser.x[i - 1], ser.y[i - 1]), a.at(ser.x[i], ser.y[i]), colour(ser.color, ser.alpha), 1.5f * scale);
        if (ser.dots)
            for (size_t i = 0; i < n; ++i)
                if (ok(i)) dl->AddCircleFilled(a.at(ser.x[i], ser.y[i]), ser.dot_radius * scale, colour(ser.color, ser.alpha));
    }
    dl->PopClipRect();
    dl->AddRect(a.p0, a.p1, colour(th.frame));
    return a;
}

// A new folder in the screenshot folder (never an earlier export's: two clicks in one
// second get _2), written whole or not at all.
std::string write_export(AppState& app, const std::vector<NamedFile>& files) {
    const std::string dir = unique_path(app.screenshot_dir, timestamp_name("kernelscope_analyses"), "");
    write_files(dir, files);
    return dir;
}

// The current input's analysis as totals of one image: core's Fourier CSV takes those.
AnalysisTotals totals_of(const ImageAnalysis& a) {
    ImageAnalysis one = a;
    one.name = "current";
    AnalysisTotals t;
    t.init(a.distances.layers, a.distances.heads, one.fourier.empty() ? 0 : one.fourier.front().profile.size, {});
    t.add(one);
    return t;
}

// A PNG + CSV button; its rectangle is recorded (analysis_ID_export) so the scripted test
// can press it. `what` names the files in the status line.
void export_button(AppState& app, const char* id, const char* what, const std::function<std::vector<NamedFile>()>& files) {
    ImGui::PushID(id);
    if (ImGui::SmallButton("PNG + CSV")) {
        try {
            const std::string dir = write_export(app, files());
            app.set_status(std::string("Wrote the ") + what + " to " + dir);
        } catch (const std::exception& e) {
            app.set_status(e.what(), true);
        }
    }
    record_rect(app, std::string("analysis_") + id + "_export", ImGui::GetItemRectMin(), ImGui::GetItemRectSize());
    ImGui::PopID();
}

std::string png_file(const Image& img) { return png_bytes(to_rgb8(img), img.width, img.height); }

// Which input the analyses are of, for the files' titles: "input A (cat.jpg), deit-tiny".
std::string input_caption(const AppState& app, bool b) {
    const std::string model = app.model.weights_path.empty() ? "built-in similarity" : checkpoint_display_name(app.model.weights_path);
    const std::string name = !b ? fs::path(app.path_a).filename().string()
                             : app.second_image_shown() ? fs::path(app.path_b).filename().string() : std::string("A perturbed");
    return std::string("input ") + (b ? "B (" : "A (") + (name.empty() ? "bundled photo" : name) + "), " + model;
}

// An `analyze` folder: its distances (the band) and, when it has one, its
// data_specificity.csv (the per-head plot); either alone is enough.
void load_analysis_folder(AppState& app, const std::string& dir) {
    std::string said;
    try {
        const std::string csv = (fs::path(dir) / "data_specificity.csv").string();
        std::error_code ec;
        if (fs::exists(csv, ec)) {
            app.folder_specificity = std::make_shared<const std::vector<SpecificityRow>>(
                parse_specificity_csv(read_file(csv), "data_specificity.csv"));
            said = "the data specificity";
        }
    } catch (const std::exception& e) {
        return app.set_status(e.what(), true);
    }
    try {
        // Checked and bounded as a merge reads it: the folder may be anyone's.
        app.folder_totals = std::make_shared<const AnalysisTotals>(read_analysis_folder(dir));
        said = "the analysis of " + std::to_string(app.folder_totals->images) + " images" + (said.empty() ? "" : " and " + said);
    } catch (const std::exception& e) {
        if (said.empty()) return app.set_status(e.what(), true);
    }
    app.set_status("Loaded " + said + " from " + dir);
}

// Opens the folder picker for an `analyze` output folder (its band and its data specificity).
void load_folder_button(AppState& app) {
    const bool load = ImGui::SmallButton("Load a folder's results...");
    record_rect(app, "analysis_load_folder", ImGui::GetItemRectMin(), ImGui::GetItemRectSize());   // for the GUI test
    if (load) {
        app.browser.open("Folder written by kernelscope analyze", FileBrowser::Mode::PickFolder, app.screenshot_dir,
                         [&app](const std::string& dir) { load_analysis_folder(app, dir); });
    }
}

// The loaded folder's data_specificity.csv: a dot per head against depth (a ResNet's
// stages), the model-free kinds as lines. `with_button`: the section carries its own
// load button (a ResNet's window, which has no distance plot to hold it).
void specificity_plot(AppState& app, ImVec2 size, bool with_button) {
    if (!app.folder_specificity) {
        ImGui::TextDisabled(with_button ? "Load a folder written by `kernelscope analyze` (data_specificity.csv)."
                                        : "Load an `analyze` folder with data_specificity.csv (Mean attention distance: Load a folder's results).");
        if (with_button) load_folder_button(app);
        return;
    }
    if (with_button) load_folder_button(app);
    const Figure fig = data_specificity_figure(*app.folder_specificity);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float header_h = figure_header(fig, size.x).height;
    draw_figure(dl, p0, size.x, header_h, size.y, fig);
    ImGui::Dummy(ImVec2(size.x, size.y + header_h));
    record_rect(app, "analysis_specificity", p0, ImVec2(size.x, size.y + header_h));
    text_wrapped_at_spaces("Specificity: the mean over images and queries of TV(kernel, mean kernel); 0 = the same kernel on "
                           "every image, as a conv's.", ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
}

void distance_plot(AppState& app, const ImageAnalysis& an, const std::string& caption, ImVec2 size) {  // size.y: the plot body
    const MeanDistances& d = an.distances;
    static bool original = true;
    ImGui::Checkbox("in original-image pixels", &original);
    record_rect(app, "analysis_distance_unit", ImGui::GetItemRectMin(), ImGui::GetItemRectSize());
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Off: in model-input pixels (the model sees a resized copy; %s).",
                          family_ui(app).model_pixel_note);
    DistancePlot p = distance_plot(d, original ? DistanceUnit::OriginalPixels : DistanceUnit::ModelInputPixels);
    const AnalysisTotals* folder = app.folder_totals && app.folder_totals->layers == d.layers && app.folder_totals->heads == d.heads
                                       ? app.folder_totals.get() : nullptr;
    if (folder) p.band = distance_band(*folder, p.unit);
    p.title = "Mean attention distance per layer and head: " + caption;
    app.analyses_distance_axis = distance_axis_title(p.unit);
    ImGui::SameLine();
    export_button(app, "distance", "distance plot and its numbers", [&] { return distance_files(p); });
    if (p.shown().empty()) return;
    const Figure fig = distance_figure(p);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float header_h = figure_header(fig, size.x).height;
    const Axes a = draw_figure(dl, p0, size.x, header_h, size.y, fig);
    size.y += header_h;
    // The dot under the pointer: series h is head h, its points the kept layers in order.
    const ImVec2 m = ImGui::GetIO().MousePos;
    int hover = -1;
    float best = 64.0f;
    for (size_t h = 0; h < fig.series.size(); ++h)
        for (size_t i = 0; i < fig.series[h].x.size() && i < p.layers_kept.size(); ++i) {
            const ImVec2 q = a.at(fig.series[h].x[i], fig.series[h].y[i]);
            const float dd = (q.x - m.x) * (q.x - m.x) + (q.y - m.y) * (q.y - m.y);
            if (dd < best) {
                best = dd;
                hover = p.layers_kept[i] * d.heads + static_cast<int>(h);
            }
        }
    ImGui::SetCursorScreenPos(p0);
    ImGui::InvisibleButton("##distance_plot", size);
    record_rect(app, "analysis_distance", p0, size);
    if (ImGui::IsItemHovered() && hover >= 0)
        ImGui::SetTooltip("layer %d, head %d: %s px (original), %s px (model input)", hover / d.heads, hover % d.heads,
                          format_for_people(d.original_px[hover]).c_str(), format_for_people(d.model_px[hover]).c_str());
    text_wrapped_at_spaces(std::string("Hover a dot for both units. ") +
                               (folder ? "Band: the analysed folder's mean +- std." : "Load an `analyze` folder for its band."),
                           ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    same_line_if_fits(button_width("Load a folder's results..."));
    load_folder_button(app);
}

void fourier_plots(AppState& app, const ImageAnalysis& an, const std::string& caption, ImVec2 size) {
    if (an.fourier.empty()) {
        ImGui::TextDisabled("The Fourier analysis reads a ViT's token maps: open a checkpoint (Ctrl+M).");
        return;
    }
    const std::vector<FourierCurve> curves = fourier_curves(an.fourier);
    const Figure left = fourier_curves_figure(curves, "Fourier dL(k) of every sub-block's tokens: " + caption);
    const Figure right = fourier_depth_figure(curves, "High-frequency dL against depth: " + caption);
    export_button(app, "fourier", "Fourier plots and their numbers", [&] {
        return std::vector<NamedFile>{{"fourier.csv", fourier_csv(totals_of(an))},
                                      {"fourier_curves.png", png_file(plot_image(left))},
                                      {"fourier.png", png_file(plot_image(right))}};
    });
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float gap = ImGui::GetFontSize(), half = std::floor((size.x - gap) * 0.5f);
    const ImVec2 p0 = ImGui::GetCursorScreenPos(), q0(p0.x + half + gap, p0.y);
    // One header height for both, so the two plots' frames line up.
    const float header_h = std::max(figure_header(left, half).height, figure_header(right, half).height);
    draw_figure(dl, p0, half, header_h, size.y, left);
    const Axes b = draw_figure(dl, q0, half, header_h, size.y, right);
    size.y += header_h;
    record_rect(app, "analysis_fourier_curves", p0, ImVec2(half, size.y));
    record_rect(app, "analysis_fourier_depth", q0, ImVec2(half, size.y));
    int hover = -1;
    float best = 64.0f;
    const ImVec2 m = ImGui::GetIO().MousePos;
    for (size_t i = 0; i < curves.size(); ++i) {
        const ImVec2 q = b.at(depth_position(curves[i].block, curves[i].part), curves[i].delta.empty() ? 0.0 : curves[i].delta.back());
        const float dd = (q.x - m.x) * (q.x - m.x) + (q.y - m.y) * (q.y - m.y);
        if (dd < best) {
            best = dd;
            hover = static_cast<int>(i);
        }
    }
    ImGui::SetCursorScreenPos(p0);
    ImGui::InvisibleButton("##fourier_plots", size);
    if (ImGui::IsItemHovered() && hover >= 0) {
        const auto& s = an.fourier[hover];
        ImGui::SetTooltip("%s %d: high-frequency dL = %s", sub_block_name(s.part), s.block,
                          format_for_people(s.profile.high_frequency()).c_str());
    }
    text_wrapped_at_spaces("MSAs lower the high frequencies (low-pass), MLPs raise them.",
                           ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
}

void spectrum_image(AppState& app, const char* name, const KernelSpectrum& s, ImVec2 p0, float side, Texture& tex) {
    // log(1 + |F|) scaled to its max, so a kernel's whole spectrum reads.
    std::vector<float> v(s.amplitude.size());
    float mx = 0;
    for (size_t i = 0; i < v.size(); ++i) mx = std::max(mx, v[i] = std::log1p(s.amplitude[i]));
    tex.upload_r32f(v.data(), s.width, s.height, false);
    QuadDraw q;
    q.p0 = p0;
    q.p1 = ImVec2(p0.x + side, p0.y + side * s.height / std::max(1, s.width));
    q.heat = tex.id();
    q.heat_w = s.width;
    q.heat_h = s.height;
    q.lut = app.renderer.lut(Colormap::Magma);
    q.vmin = 0;
    q.vmax = mx > 0 ? mx : 1;
    q.mode = QuadMode::HeatOnly;
    app.renderer.draw(q);
    // The half-Nyquist circle: the share counts the energy outside it. Centred on DC's bin
    // (width / 2, height / 2), half a bin off the picture's middle on an even grid.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float bw = (q.p1.x - q.p0.x) / std::max(1, s.width), bh = (q.p1.y - q.p0.y) / std::max(1, s.height);
    const ImVec2 c(q.p0.x + (s.width / 2 + 0.5f) * bw, q.p0.y + (s.height / 2 + 0.5f) * bh);
    const float rx = 0.25f * s.width * bw, ry = 0.25f * s.height * bh;
    for (int i = 0; i < 48; ++i) {
        const float t0 = 6.2831853f * i / 48, t1 = 6.2831853f * (i + 1) / 48;
        dl->AddLine(ImVec2(c.x + rx * std::cos(t0), c.y + ry * std::sin(t0)), ImVec2(c.x + rx * std::cos(t1), c.y + ry * std::sin(t1)),
                    IM_COL32(255, 255, 255, 140));
    }
    record_rect(app, name, p0, ImVec2(side, q.p1.y - q.p0.y));
}

void spectra_plot(AppState& app, const PatchHeat& heat, const std::string& caption, ImVec2 size) {
    const TokenLayout* L = app.grid();
    if (!L || heat.query_patch < 0) {
        ImGui::TextDisabled("Pick a patch query: its attention kernel and the conv kernel there are compared.");
        return;
    }
    const KernelSpectrum sa = kernel_spectrum(heat.values, L->grid_h, L->grid_w);
    const KernelSpectrum sc = kernel_spectrum(kernel_on_grid(app.conv.kernel_b, L->grid_h, L->grid_w), L->grid_h, L->grid_w);
    char la[96], lc[96];
    std::snprintf(la, sizeof la, "attention a(q, .) on the %d x %d grid", L->grid_h, L->grid_w);
    std::snprintf(lc, sizeof lc, "conv %s, zero-padded to the grid", app.conv.kernel_b.name.c_str());
    export_button(app, "spectra", "kernel spectra and their numbers", [&] {
        std::vector<NamedFile> f;
        f.emplace_back("attention_spectrum.csv", csv_matrix(sa.amplitude, sa.height, sa.width));
        f.emplace_back("conv_spectrum.csv", csv_matrix(sc.amplitude, sc.height, sc.width));
        char buf[160];
        std::snprintf(buf, sizeof buf, "kernel,high_frequency_share\nattention,%.9g\nconv %s,%.9g\n", sa.high_frequency_share,
                      app.conv.kernel_b.name.c_str(), sc.high_frequency_share);
        f.emplace_back("high_frequency_share.csv", buf);
        f.emplace_back("kernel_spectra.png", png_file(kernel_spectra_image(sa, la, sc, lc, "Spectra of the kernels at the query: " + caption)));
        return f;
    });
    // Two columns, each a label, the spectrum and its share.
    const float colw = std::floor((size.x - 24.0f) * 0.5f);
    const float side = std::floor(std::max(40.0f, std::min(colw, size.y + 2.0f * ImGui::GetTextLineHeightWithSpacing())));
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 tc = ImGui::GetColorU32(ImGuiCol_Text);
    dl->AddText(p0, tc, elided(la, colw).c_str());
    dl->AddText(ImVec2(p0.x + colw + 24.0f, p0.y), tc, elided(lc, colw).c_str());
    const ImVec2 i0(p0.x, p0.y + line);
    spectrum_image(app, "analysis_spectrum_attention", sa, i0, side, app.spectrum_a_tex);
    spectrum_image(app, "analysis_spectrum_conv", sc, ImVec2(i0.x + colw + 24.0f, i0.y), side, app.spectrum_c_tex);
    const float y2 = i0.y + side * L->grid_h / std::max(1, L->grid_w) + 4.0f;
    const std::string ta = "high-frequency share " + format_for_people(sa.high_frequency_share);
    const std::string tcv = "high-frequency share " + format_for_people(sc.high_frequency_share);
    dl->AddText(ImVec2(i0.x, y2), IM_COL32(255, 170, 60, 255), ta.c_str());
    dl->AddText(ImVec2(i0.x + colw + 24.0f, y2), IM_COL32(90, 200, 255, 255), tcv.c_str());
    ImGui::SetCursorScreenPos(ImVec2(p0.x, y2 + line));
    ImGui::Dummy(ImVec2(size.x, 1.0f));
    app.hf_share_attention = sa.high_frequency_share;
    app.hf_share_conv = sc.high_frequency_share;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("|DFT| (log scale, DC at the centre); the circle is half the Nyquist frequency. Share = energy "
                        "outside it: attention (positive, normalised) is low-pass, a signed conv kernel high-pass.");
    ImGui::PopTextWrapPos();
}

}  // namespace

void draw_analyses_window(AppState& app) {
    if (!app.show_analyses) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f), ImGuiCond_Appearing,
                            ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(vp->Size.x * 0.7f, vp->Size.y * 0.85f), ImGuiCond_Appearing);
    if (!ImGui::Begin("Analyses (A)###analyses", &app.show_analyses, ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    record_window(app, "analyses_window");
    if (const char* none = family_ui(app).no_attention_analyses) {
        // No attention to measure on this input; a folder's data specificity (a ResNet's
        // effective kernels included) still shows.
        text_wrapped_at_spaces(none, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        const float w = ImGui::GetContentRegionAvail().x;
        const float h = std::max(160.0f, ImGui::GetContentRegionAvail().y * 0.6f);
        if (ImGui::CollapsingHeader("Data specificity of the loaded folder", ImGuiTreeNodeFlags_DefaultOpen))
            specificity_plot(app, ImVec2(w, h), true);
        ImGui::End();
        return;
    }
    if (result_ready(app) && !app.result->analysis_a && app.analyses_asked_for != app.result->id) {
        // The built-in model's analyses are computed only while this window is open.
        app.analyses_asked_for = app.result->id;
        request_compute(app);
    }
    if (!result_ready(app) || !app.result->analysis_a) {
        panel_message("Computing...");
        ImGui::End();
        return;
    }
    const ComparisonResult& res = *app.result;
    static int which = 0;
    const bool b_on = app.b_mode != BMode::Off && res.analysis_b;
    ImGui::TextUnformatted("Input:");
    ImGui::SameLine();
    ImGui::RadioButton("A", &which, 0);
    ImGui::SameLine();
    ImGui::BeginDisabled(!b_on);
    ImGui::RadioButton("B", &which, 1);
    ImGui::EndDisabled();
    const ImageAnalysis& an = which == 1 && b_on ? *res.analysis_b : *res.analysis_a;
    const std::string caption = input_caption(app, which == 1 && b_on);
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = std::max(160.0f, ImGui::GetContentRegionAvail().y / 3.0f - 3.0f * ImGui::GetTextLineHeightWithSpacing());
    if (ImGui::CollapsingHeader("Mean attention distance", ImGuiTreeNodeFlags_DefaultOpen)) {
        distance_plot(app, an, caption, ImVec2(w, h));
        ImGui::SetCursorScreenPos(ImVec2(ImGui::GetCursorScreenPos().x, ImGui::GetCursorScreenPos().y + 2.0f));
    }
    if (ImGui::CollapsingHeader("Fourier: low-pass MSA, high-pass MLP", ImGuiTreeNodeFlags_DefaultOpen)) fourier_plots(app, an, caption, ImVec2(w, h));
    if (ImGui::CollapsingHeader("Spectra of the kernels at the query", ImGuiTreeNodeFlags_DefaultOpen)) spectra_plot(app, which == 1 && b_on ? app.maps.heat_b : app.maps.heat_a, caption, ImVec2(w, h));
    if (ImGui::CollapsingHeader("Data specificity of the loaded folder", ImGuiTreeNodeFlags_DefaultOpen)) specificity_plot(app, ImVec2(w, h), false);
    ImGui::End();
}

}  // namespace ks::gui
