// The Analyses window (A key, View menu): the paper's figures for the current input,
// drawn with ImGui: mean attention distance per layer and head (Dosovitskiy et al.,
// Fig. 7), the Fourier dL(k) of every sub-block's token map and its high-frequency end
// against depth with MSA and MLP told apart (Park & Kim, Fig. 2 / 8), and the 2-D
// amplitude spectra of the attention kernel and the conv kernel at the query with
// their high-frequency shares. Every number comes from core (analysis/*); the PNG and
// CSV buttons write core's own files into the screenshot folder.
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
#include "app_state.h"
#include "config.h"
#include "io/csv.h"
#include "io/file_output.h"
#include "panel_util.h"
#include "panel_widgets.h"
#include "render/colormap.h"
#include "render/number_format.h"

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

// About n "nice" tick values (1, 2, 5 x 10^k steps) covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int n) {
    std::vector<double> t;
    if (!(hi > lo)) return {lo};
    const double raw = (hi - lo) / std::max(1, n), mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
    for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) t.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
    return t;
}

ImU32 colour(Colormap c, float t, int alpha = 255) {
    const auto rgb = colormap_rgb(c, std::clamp(t, 0.0f, 1.0f));
    return IM_COL32(static_cast<int>(rgb[0] * 255), static_cast<int>(rgb[1] * 255), static_cast<int>(rgb[2] * 255), alpha);
}

// Frame, ticks and axis labels; returns the inner plotting area.
Axes draw_axes(ImDrawList* dl, ImVec2 p0, ImVec2 size, double x0, double x1, double y0, double y1, const char* xlabel,
               const char* ylabel, bool integer_x) {
    const float line = ImGui::GetTextLineHeight();
    const float left = ImGui::CalcTextSize("-0.000").x + 8.0f, bottom = 2.0f * line + 6.0f;
    Axes a{ImVec2(p0.x + left, p0.y + line * 0.5f), ImVec2(p0.x + size.x - 8.0f, p0.y + size.y - bottom), x0, x1, y0, y1};
    const ImU32 grid = IM_COL32(60, 64, 74, 255), txt = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    dl->AddRect(a.p0, a.p1, IM_COL32(110, 114, 124, 255));
    for (double v : nice_ticks(y0, y1, 5)) {
        const ImVec2 q = a.at(x0, v);
        dl->AddLine(ImVec2(a.p0.x, q.y), ImVec2(a.p1.x, q.y), grid);
        const std::string s = format_for_people(v, std::max(std::fabs(y0), std::fabs(y1)));
        dl->AddText(ImVec2(a.p0.x - ImGui::CalcTextSize(s.c_str()).x - 4.0f, q.y - line * 0.5f), txt, s.c_str());
    }
    std::vector<double> xt = integer_x ? std::vector<double>{} : nice_ticks(x0, x1, 6);
    if (integer_x) {
        const int step = std::max(1, static_cast<int>(std::ceil((x1 - x0) / 12.0)));
        for (int v = static_cast<int>(std::ceil(x0)); v <= static_cast<int>(x1); v += step) xt.push_back(v);
    }
    for (double v : xt) {
        const ImVec2 q = a.at(v, y0);
        dl->AddLine(ImVec2(q.x, a.p1.y), ImVec2(q.x, a.p1.y + 4.0f), txt);
        const std::string s = integer_x ? std::to_string(static_cast<int>(v)) : format_for_people(v, std::fabs(x1));
        dl->AddText(ImVec2(q.x - ImGui::CalcTextSize(s.c_str()).x * 0.5f, a.p1.y + 5.0f), txt, s.c_str());
    }
    dl->AddText(ImVec2((a.p0.x + a.p1.x - ImGui::CalcTextSize(xlabel).x) * 0.5f, a.p1.y + line + 6.0f), txt, xlabel);
    dl->AddText(ImVec2(a.p0.x + 4.0f, a.p0.y + 2.0f), txt, ylabel);
    return a;
}

std::string write_export(AppState& app, const std::vector<std::pair<std::string, std::string>>& files) {
    const std::string dir = (fs::path(app.screenshot_dir) / timestamp_name("kernelscope_analyses")).string();
    write_files(dir, files);
    return dir;
}

// The current input's analysis as totals of one image: core's CSV and plot writers take
// those. The built-in model has no sub-blocks: empty profiles keep the shapes consistent.
AnalysisTotals totals_of(const ImageAnalysis& a) {
    ImageAnalysis one = a;
    one.name = "current";
    if (one.fourier.empty()) {
        one.fourier.push_back({-1, SubBlock::Input, {}});
        for (int l = 0; l < a.distances.layers; ++l) {
            one.fourier.push_back({l, SubBlock::Msa, {}});
            one.fourier.push_back({l, SubBlock::Mlp, {}});
        }
    }
    AnalysisTotals t;
    t.init(a.distances.layers, a.distances.heads, one.fourier.front().profile.size, {});
    t.add(one);
    return t;
}

void export_buttons(AppState& app, const char* id, const std::function<std::vector<std::pair<std::string, std::string>>()>& files) {
    ImGui::PushID(id);
    if (ImGui::SmallButton("PNG + CSV")) {
        try {
            const std::string dir = write_export(app, files());
            app.set_status(std::string("Wrote the ") + id + " plot and its numbers to " + dir);
        } catch (const std::exception& e) {
            app.set_status(e.what(), true);
        }
    }
    ImGui::PopID();
}

void distance_plot(AppState& app, const ImageAnalysis& an, ImVec2 size) {
    const MeanDistances& d = an.distances;
    static bool original = true;
    ImGui::Checkbox("in original-image pixels", &original);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Off: in model-input pixels (the model sees a resized copy; %s).",
                          app.vit_shown() ? "one model pixel spans several original ones" : "the built-in model sees the image itself");
    ImGui::SameLine();
    export_buttons(app, "distance", [&] {
        const AnalysisTotals t = totals_of(an);
        std::vector<std::pair<std::string, std::string>> f = {{"mean_attention_distance.csv", mean_distance_csv(t)}};
        for (auto& [name, img] : analysis_plots(t))
            if (name.find("distance") != std::string::npos) f.emplace_back(name, png_bytes(to_rgb8(img), img.width, img.height));
        return f;
    });
    const std::vector<float>& v = original ? d.original_px : d.model_px;
    if (v.empty()) return;
    double hi = *std::max_element(v.begin(), v.end());
    const AnalysisTotals* folder = app.folder_totals && app.folder_totals->layers == d.layers && app.folder_totals->heads == d.heads
                                       ? app.folder_totals.get() : nullptr;
    if (folder)
        for (const auto& s : original ? folder->distance_orig : folder->distance_px) hi = std::max(hi, s.mean() + s.stddev());
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const Axes a = draw_axes(dl, p0, size, -0.5, d.layers - 0.5, 0.0, hi * 1.1 + 1e-9, "layer",
                             original ? "mean attention distance (original px)" : "mean attention distance (model-input px)", true);
    if (folder) {
        // The folder's band: per layer, the head-averaged mean +- std over the images.
        const auto& s = original ? folder->distance_orig : folder->distance_px;
        for (int l = 0; l < d.layers; ++l) {
            double m = 0, sd = 0;
            for (int h = 0; h < d.heads; ++h) {
                m += s[static_cast<size_t>(l) * d.heads + h].mean();
                sd += s[static_cast<size_t>(l) * d.heads + h].stddev();
            }
            m /= d.heads;
            sd /= d.heads;
            dl->AddRectFilled(a.at(l - 0.35, m + sd), a.at(l + 0.35, std::max(0.0, m - sd)), IM_COL32(120, 170, 255, 60));
        }
    }
    const ImVec2 m = ImGui::GetIO().MousePos;
    int hover = -1;
    float best = 64.0f;
    for (int l = 0; l < d.layers; ++l)
        for (int h = 0; h < d.heads; ++h) {
            const float val = v[static_cast<size_t>(l) * d.heads + h];
            const double x = l + (d.heads > 1 ? (h - (d.heads - 1) * 0.5) * 0.5 / d.heads : 0.0);
            const ImVec2 q = a.at(x, val);
            dl->AddCircleFilled(q, 3.5f, colour(Colormap::Turbo, d.heads > 1 ? static_cast<float>(h) / (d.heads - 1) : 0.5f));
            const float dd = (q.x - m.x) * (q.x - m.x) + (q.y - m.y) * (q.y - m.y);
            if (dd < best) {
                best = dd;
                hover = l * d.heads + h;
            }
        }
    ImGui::SetCursorScreenPos(p0);
    ImGui::InvisibleButton("##distance_plot", size);
    record_rect(app, "analysis_distance", p0, size);
    if (ImGui::IsItemHovered() && hover >= 0)
        ImGui::SetTooltip("layer %d, head %d: %s px (original), %s px (model input)", hover / d.heads, hover % d.heads,
                          format_for_people(d.original_px[hover]).c_str(), format_for_people(d.model_px[hover]).c_str());
    text_wrapped_at_spaces(std::string("One dot per head, coloured by head; ") +
                               (folder ? "band: the analysed folder's mean +- std." : "load an `analyze` folder for its band."),
                           ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    same_line_if_fits(button_width("Load a folder's results..."));
    if (ImGui::SmallButton("Load a folder's results...")) {
        app.browser.open("Folder written by kernelscope analyze", FileBrowser::Mode::PickFolder, app.screenshot_dir,
                         [&app](const std::string& dir) {
                             try {
                                 app.folder_totals = std::make_shared<const AnalysisTotals>(totals_from_csv(
                                     read_file(dir + "/mean_attention_distance.csv"), read_file(dir + "/fourier.csv"),
                                     read_file(dir + "/per_image.csv")));
                                 app.set_status("Loaded the analysis of " + std::to_string(app.folder_totals->images) +
                                                " images from " + dir);
                             } catch (const std::exception& e) {
                                 app.set_status(e.what(), true);
                             }
                         });
    }
}

void fourier_plots(AppState& app, const ImageAnalysis& an, ImVec2 size) {
    if (an.fourier.empty()) {
        ImGui::TextDisabled("The Fourier analysis reads a ViT's token maps: open a checkpoint (Ctrl+M).");
        return;
    }
    export_buttons(app, "fourier", [&] {
        const AnalysisTotals t = totals_of(an);
        std::vector<std::pair<std::string, std::string>> f = {{"fourier.csv", fourier_csv(t)}};
        for (auto& [name, img] : analysis_plots(t))
            if (name.find("fourier") != std::string::npos) f.emplace_back(name, png_bytes(to_rgb8(img), img.width, img.height));
        return f;
    });
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const int kmax = an.fourier.front().profile.size - 1;
    double lo = 0, hi = 0;
    for (const auto& s : an.fourier)
        for (float v : s.profile.delta) {
            lo = std::min(lo, static_cast<double>(v));
            hi = std::max(hi, static_cast<double>(v));
        }
    const float half = std::floor((size.x - 12.0f) * 0.5f);
    // Left: dL(k) curves, dark (input) to bright (last block).
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    Axes a = draw_axes(dl, p0, ImVec2(half, size.y), 0.0, std::max(1, kmax), lo, hi + 1e-9,
                       "frequency k (0 = DC ... highest)", "relative log amplitude dL(k)", true);
    const int n = static_cast<int>(an.fourier.size());
    for (int i = 0; i < n; ++i) {
        const auto& d = an.fourier[i].profile.delta;
        const ImU32 c = colour(Colormap::Viridis, n > 1 ? static_cast<float>(i) / (n - 1) : 1.0f);
        for (size_t k = 1; k < d.size(); ++k) dl->AddLine(a.at(k - 1, d[k - 1]), a.at(k, d[k]), c, 1.5f);
    }
    record_rect(app, "analysis_fourier_curves", p0, ImVec2(half, size.y));
    // Right: dL at the highest k against depth, MSA (red, shaded) and MLP (blue) apart.
    const ImVec2 q0(p0.x + half + 12.0f, p0.y);
    double hlo = 0, hhi = 0;
    for (const auto& s : an.fourier) {
        hlo = std::min(hlo, static_cast<double>(s.profile.high_frequency()));
        hhi = std::max(hhi, static_cast<double>(s.profile.high_frequency()));
    }
    Axes b = draw_axes(dl, q0, ImVec2(half, size.y), -0.5, n - 0.5, hlo - 1e-9, hhi + 1e-9,
                       "depth (input, then MSA / MLP of each block)", "high-frequency dL", false);
    int hover = -1;
    float best = 64.0f;
    const ImVec2 m = ImGui::GetIO().MousePos;
    for (int i = 0; i < n; ++i) {
        const auto& s = an.fourier[i];
        if (s.part == SubBlock::Msa) dl->AddRectFilled(b.at(i - 0.5, hhi), b.at(i + 0.5, hlo), IM_COL32(255, 90, 90, 28));
        if (i > 0) dl->AddLine(b.at(i - 1, an.fourier[i - 1].profile.high_frequency()), b.at(i, s.profile.high_frequency()),
                               IM_COL32(160, 160, 170, 160), 1.0f);
        const ImU32 c = s.part == SubBlock::Msa ? IM_COL32(255, 90, 90, 255) : s.part == SubBlock::Mlp ? IM_COL32(90, 160, 255, 255)
                                                                                                        : IM_COL32(230, 230, 230, 255);
        const ImVec2 q = b.at(i, s.profile.high_frequency());
        dl->AddCircleFilled(q, 3.5f, c);
        const float dd = (q.x - m.x) * (q.x - m.x) + (q.y - m.y) * (q.y - m.y);
        if (dd < best) {
            best = dd;
            hover = i;
        }
    }
    record_rect(app, "analysis_fourier_depth", q0, ImVec2(half, size.y));
    ImGui::SetCursorScreenPos(p0);
    ImGui::InvisibleButton("##fourier_plots", size);
    if (ImGui::IsItemHovered() && hover >= 0) {
        const auto& s = an.fourier[hover];
        ImGui::SetTooltip("%s %d: high-frequency dL = %s", sub_block_name(s.part), s.block,
                          format_for_people(s.profile.high_frequency()).c_str());
    }
    ImGui::TextDisabled("Red (shaded): after the attention (MSA) residual; blue: after the MLP. MSAs lower the high "
                        "frequencies (low-pass), MLPs raise them.");
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
    // The half-Nyquist circle: the share counts the energy outside it.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 c((q.p0.x + q.p1.x) * 0.5f, (q.p0.y + q.p1.y) * 0.5f);
    const float rx = (q.p1.x - q.p0.x) * 0.25f, ry = (q.p1.y - q.p0.y) * 0.25f;
    for (int i = 0; i < 48; ++i) {
        const float t0 = 6.2831853f * i / 48, t1 = 6.2831853f * (i + 1) / 48;
        dl->AddLine(ImVec2(c.x + rx * std::cos(t0), c.y + ry * std::sin(t0)), ImVec2(c.x + rx * std::cos(t1), c.y + ry * std::sin(t1)),
                    IM_COL32(255, 255, 255, 140));
    }
    record_rect(app, name, p0, ImVec2(side, q.p1.y - q.p0.y));
}

void spectra_plot(AppState& app, ImVec2 size) {
    const TokenLayout* L = app.grid();
    if (!L || app.heat_b.query_patch < 0) {
        ImGui::TextDisabled("Pick a patch query: its attention kernel and the conv kernel there are compared.");
        return;
    }
    const KernelSpectrum sa = kernel_spectrum(app.heat_b.values, L->grid_h, L->grid_w);
    const KernelSpectrum sc = kernel_spectrum(kernel_on_grid(app.kernel_shown, L->grid_h, L->grid_w), L->grid_h, L->grid_w);
    export_buttons(app, "spectra", [&] {
        std::vector<std::pair<std::string, std::string>> f;
        f.emplace_back("attention_spectrum.csv", csv_matrix(sa.amplitude, sa.height, sa.width));
        f.emplace_back("conv_spectrum.csv", csv_matrix(sc.amplitude, sc.height, sc.width));
        char buf[160];
        std::snprintf(buf, sizeof buf, "kernel,high_frequency_share\nattention,%.9g\nconv %s,%.9g\n", sa.high_frequency_share,
                      app.kernel_shown.name.c_str(), sc.high_frequency_share);
        f.emplace_back("high_frequency_share.csv", buf);
        for (const auto* s : {&sa, &sc}) {
            Image img;
            img.width = s->width;
            img.height = s->height;
            img.rgb.resize(static_cast<size_t>(s->width) * s->height * 3);
            float mx = 0;
            for (float v : s->amplitude) mx = std::max(mx, std::log1p(v));
            for (size_t i = 0; i < s->amplitude.size(); ++i) {
                const auto c = colormap_rgb(Colormap::Magma, mx > 0 ? std::log1p(s->amplitude[i]) / mx : 0.0f);
                for (int ch = 0; ch < 3; ++ch) img.rgb[3 * i + ch] = c[ch];
            }
            f.emplace_back(s == &sa ? "attention_spectrum.png" : "conv_spectrum.png", png_bytes(to_rgb8(img), img.width, img.height));
        }
        return f;
    });
    // Two columns, each a label, the spectrum and its share.
    const float colw = std::floor((size.x - 24.0f) * 0.5f);
    const float side = std::floor(std::max(40.0f, std::min(colw, size.y + 2.0f * ImGui::GetTextLineHeightWithSpacing())));
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    char la[96], lc[96];
    std::snprintf(la, sizeof la, "attention a(q, .) on the %d x %d grid", L->grid_h, L->grid_w);
    std::snprintf(lc, sizeof lc, "conv %s, zero-padded to the grid", app.kernel_shown.name.c_str());
    const ImU32 tc = ImGui::GetColorU32(ImGuiCol_Text);
    dl->AddText(p0, tc, la);
    dl->AddText(ImVec2(p0.x + colw + 24.0f, p0.y), tc, lc);
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
    if (app.cnn_shown()) {
        panel_message("These analyses read attention maps, and a ResNet has none: its effective kernel at the query is in "
                      "the panel under the conv panel.");
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
    const ComputeResult& res = *app.result;
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
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = std::max(160.0f, ImGui::GetContentRegionAvail().y / 3.0f - 3.0f * ImGui::GetTextLineHeightWithSpacing());
    if (ImGui::CollapsingHeader("Mean attention distance", ImGuiTreeNodeFlags_DefaultOpen)) {
        distance_plot(app, an, ImVec2(w, h));
        ImGui::SetCursorScreenPos(ImVec2(ImGui::GetCursorScreenPos().x, ImGui::GetCursorScreenPos().y + 2.0f));
    }
    if (ImGui::CollapsingHeader("Fourier: low-pass MSA, high-pass MLP", ImGuiTreeNodeFlags_DefaultOpen)) fourier_plots(app, an, ImVec2(w, h));
    if (ImGui::CollapsingHeader("Spectra of the kernels at the query", ImGuiTreeNodeFlags_DefaultOpen)) spectra_plot(app, ImVec2(w, h));
    ImGui::End();
}

}  // namespace ks::gui
