#include "analysis/folder_analysis.h"
#include "io/csv.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "io/input_error.h"

namespace ks {

namespace {

std::string num(double v, int digits) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    return buf;
}

// Sums feed merges: 17 significant digits read back to the same double.
std::string exact(double v) { return num(v, 17); }
std::string shown(double v) { return num(v, 9); }

// Splits one CSV line into fields (quoted fields may hold commas and doubled quotes).
std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> f(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') { f.back() += '"'; ++i; }
            else if (c == '"') quoted = false;
            else f.back() += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            f.emplace_back();
        } else {
            f.back() += c;
        }
    }
    return f;
}

}  // namespace

ImageAnalysis analyse_image(const std::string& name, const VitOutput& o, int file_w, int file_h, VitResize mode) {
    ImageAnalysis a;
    a.name = name;
    const PixelScale s = original_pixel_scale(file_w, file_h, o.input.width, o.input.height, mode);
    a.distances = mean_distances(o.attention, s);
    a.fourier = fourier_by_sub_block(o);
    return a;
}

double RunningSum::mean() const { return n > 0 ? sum / static_cast<double>(n) : 0.0; }

double RunningSum::stddev() const {
    if (n <= 0) return 0.0;
    const double m = mean();
    return std::sqrt(std::max(0.0, sum_sq / static_cast<double>(n) - m * m));
}

void AnalysisTotals::init(int l, int h, int k, std::vector<int> kept) {
    layers = l;
    heads = h;
    fourier_k = k;
    if (kept.empty())
        for (int i = 0; i < l; ++i) kept.push_back(i);
    layers_kept = std::move(kept);
    distance_px.assign(static_cast<size_t>(l) * h, {});
    distance_orig.assign(static_cast<size_t>(l) * h, {});
    fourier.assign(static_cast<size_t>(1 + 2 * l) * k, {});
    per_image_rows.clear();
    images = 0;
}

void AnalysisTotals::add(const ImageAnalysis& a) {
    const MeanDistances& d = a.distances;
    if (d.layers != layers || d.heads != heads || a.fourier.size() != static_cast<size_t>(1 + 2 * layers))
        throw InputError("Image " + a.name + " gave a different number of layers or heads than the first image.");
    for (int l : layers_kept)
        for (int h = 0; h < heads; ++h) {
            const size_t i = static_cast<size_t>(l) * heads + h;
            distance_px[i].add(d.model_px[i]);
            distance_orig[i].add(d.original_px[i]);
            per_image_rows.push_back(csv_field(a.name) + "," + std::to_string(l) + "," + std::to_string(h) + "," +
                                     shown(d.model_px[i]) + "," + shown(d.original_px[i]));
        }
    for (const SubBlockProfile& s : a.fourier) {
        if (s.profile.size != fourier_k) throw InputError("Image " + a.name + " gave a different Fourier grid than the first image.");
        const size_t base = static_cast<size_t>(fourier_row_index(s.block, s.part)) * fourier_k;
        for (int k = 0; k < fourier_k; ++k) fourier[base + k].add(s.profile.delta[static_cast<size_t>(k)]);
    }
    ++images;
}

void AnalysisTotals::merge(const AnalysisTotals& o) {
    if (o.images == 0) return;
    if (images == 0 && distance_px.empty()) {
        *this = o;
        return;
    }
    if (o.heads != heads || o.fourier_k != fourier_k || o.layers_kept != layers_kept || o.layers != layers)
        throw InputError("The runs to merge differ in their model or --layers (layers, heads or Fourier grid); merge only shards of one run.");
    for (size_t i = 0; i < distance_px.size(); ++i) {
        distance_px[i].add(o.distance_px[i]);
        distance_orig[i].add(o.distance_orig[i]);
    }
    for (size_t i = 0; i < fourier.size(); ++i) fourier[i].add(o.fourier[i]);
    per_image_rows.insert(per_image_rows.end(), o.per_image_rows.begin(), o.per_image_rows.end());
    images += o.images;
}

void AnalysisTotals::sort_per_image_rows() {
    std::vector<std::pair<std::string, std::string>> keyed;
    keyed.reserve(per_image_rows.size());
    for (auto& r : per_image_rows) keyed.emplace_back(csv_text_value(split_csv(r)[0]), std::move(r));
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0; i < keyed.size(); ++i) per_image_rows[i] = std::move(keyed[i].second);
}

bool AnalysisTotals::all_finite() const {
    auto finite = [](const std::vector<RunningSum>& v) {
        return std::all_of(v.begin(), v.end(), [](const RunningSum& r) { return std::isfinite(r.sum) && std::isfinite(r.sum_sq); });
    };
    return finite(distance_px) && finite(distance_orig) && finite(fourier);
}

std::vector<int> parse_layer_list(const std::string& spec, int layers) {
    std::vector<int> out;
    if (spec.empty() || spec == "all") {
        for (int i = 0; i < layers; ++i) out.push_back(i);
        return out;
    }
    auto index = [&](const std::string& s) {
        size_t used = 0;
        int v = -1;
        try { v = std::stoi(s, &used); } catch (const std::exception&) { used = 0; }
        if (s.empty() || used != s.size() || v < 0 || v >= layers)
            throw InputError("--layers: \"" + s + "\" is not a layer of this model (0 to " + std::to_string(layers - 1) + ").");
        return v;
    };
    std::stringstream in(spec);
    std::string part;
    while (std::getline(in, part, ',')) {
        const size_t dash = part.find('-', 1);
        if (dash == std::string::npos) {
            out.push_back(index(part));
        } else {
            const int a = index(part.substr(0, dash)), b = index(part.substr(dash + 1));
            if (b < a) throw InputError("--layers: the range \"" + part + "\" runs backwards.");
            for (int i = a; i <= b; ++i) out.push_back(i);
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::string mean_distance_csv(const AnalysisTotals& t) {
    std::string s = std::string(kDistanceCsvHeader) + "\n";
    for (int l : t.layers_kept)
        for (int h = 0; h < t.heads; ++h) {
            const size_t i = static_cast<size_t>(l) * t.heads + h;
            const RunningSum &p = t.distance_px[i], &o = t.distance_orig[i];
            s += std::to_string(l) + "," + std::to_string(h) + "," + shown(p.mean()) + "," + shown(p.stddev()) + "," +
                 std::to_string(p.n) + "," + exact(p.sum) + "," + exact(p.sum_sq) + "," + shown(o.mean()) + "," +
                 shown(o.stddev()) + "," + exact(o.sum) + "," + exact(o.sum_sq) + "\n";
        }
    return s;
}

std::string fourier_csv(const AnalysisTotals& t) {
    std::string s = std::string(kFourierCsvHeader) + "\n";
    auto rows = [&](int block, SubBlock part) {
        const size_t base = static_cast<size_t>(fourier_row_index(block, part)) * t.fourier_k;
        for (int k = 0; k < t.fourier_k; ++k) {
            const RunningSum& r = t.fourier[base + k];
            s += std::to_string(block) + "," + sub_block_name(part) + "," + std::to_string(k) + "," + shown(r.mean()) + "," +
                 std::to_string(r.n) + "," + shown(r.stddev()) + "," + exact(r.sum) + "," + exact(r.sum_sq) + "\n";
        }
    };
    rows(-1, SubBlock::Input);
    for (int l : t.layers_kept) {
        rows(l, SubBlock::Msa);
        rows(l, SubBlock::Mlp);
    }
    return s;
}

std::string per_image_csv(const AnalysisTotals& t) {
    std::string s = std::string(kPerImageCsvHeader) + "\n";
    for (const std::string& r : t.per_image_rows) s += r + "\n";
    return s;
}

}  // namespace ks
