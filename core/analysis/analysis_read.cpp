// Reading an analyze run's CSVs back for --merge. Every row must be as kernelscope
// wrote it, within the shape analysis.json gives, once, and consistent with the others:
// a merge that accepted anything else would write wrong numbers with exit 0.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "analysis/csv_numbers.h"
#include "analysis/folder_analysis.h"
#include "io/csv.h"
#include "io/input_error.h"

namespace ks {

namespace {

bool kept_layer(const AnalysisShape& s, long long l) { return std::binary_search(s.kept.begin(), s.kept.end(), static_cast<int>(l)); }

void count_is_images(long long n, const AnalysisShape& s, const std::string& where) {
    if (n != s.images)
        throw InputError(where + " counts " + std::to_string(n) + " images, but analysis.json says the run analysed " +
                         std::to_string(s.images) + ".");
}

void read_distances(const std::vector<CsvRecord>& rows, const AnalysisShape& s, AnalysisTotals& t) {
    const std::string w = "mean_attention_distance.csv";
    std::vector<bool> seen(t.distance_px.size(), false);
    for (const CsvRecord& rec : rows) {
        const auto& r = rec.fields;
        if (r.size() != 11) throw InputError(w + " has a row without 11 fields.");
        const long long l = csv_whole(r[0], s.layers - 1, w), h = csv_whole(r[1], s.heads - 1, w);
        const std::string where = w + "'s row for layer " + r[0] + ", head " + r[1];
        if (!kept_layer(s, l)) throw InputError(where + " is for a layer the run did not write.");
        const size_t i = static_cast<size_t>(l) * s.heads + h;
        if (seen[i]) throw InputError(w + " has the row for layer " + r[0] + ", head " + r[1] + " twice.");
        seen[i] = true;
        const long long n = csv_whole(r[4], 9000000000000000LL, w);
        count_is_images(n, s, where);
        t.distance_px[i] = checked_sums(n, csv_number(r[5], w), csv_number(r[6], w), where);
        t.distance_orig[i] = checked_sums(n, csv_number(r[9], w), csv_number(r[10], w), where);
    }
    if (rows.size() != s.kept.size() * s.heads) throw InputError(w + " lacks rows: it has " + std::to_string(rows.size()) +
                                                                  " for " + std::to_string(s.kept.size() * s.heads) + " layers x heads.");
}

void read_fourier(const std::vector<CsvRecord>& rows, const AnalysisShape& s, AnalysisTotals& t) {
    const std::string w = "fourier.csv";
    std::vector<bool> seen(t.fourier.size(), false);
    for (const CsvRecord& rec : rows) {
        const auto& r = rec.fields;
        if (r.size() != 8) throw InputError(w + " has a row without 8 fields.");
        const bool input = r[0] == "-1";
        const long long block = input ? -1 : csv_whole(r[0], s.layers - 1, w), k = csv_whole(r[2], s.fourier_k - 1, w);
        if (r[1] != "input" && r[1] != "msa" && r[1] != "mlp") throw InputError(w + " has a row whose part is not input, msa or mlp.");
        const SubBlock part = sub_block_from_name(r[1]);
        if (input != (part == SubBlock::Input) || (!input && !kept_layer(s, block)))
            throw InputError(w + " has a row for a block the run did not write.");
        const size_t i = static_cast<size_t>(fourier_row_index(static_cast<int>(block), part)) * s.fourier_k + k;
        if (seen[i]) throw InputError(w + " has the row for block " + r[0] + " " + r[1] + ", k " + r[2] + " twice.");
        seen[i] = true;
        const std::string where = w + "'s row for block " + r[0] + " " + r[1] + ", k " + r[2];
        const long long n = csv_whole(r[4], 9000000000000000LL, w);
        count_is_images(n, s, where);
        t.fourier[i] = checked_sums(n, csv_number(r[6], w), csv_number(r[7], w), where);
    }
    if (rows.size() != (1 + 2 * s.kept.size()) * s.fourier_k) throw InputError(w + " lacks rows for some blocks or frequencies.");
}

// The image name of a per-image row, checked: kernelscope writes a name a spreadsheet
// would run with a ' before it (csv_field), so a bare formula was not written by it.
std::string image_name(const std::string& cell) {
    const std::string w = "per_image.csv";
    if (cell.empty() || cell.find('\0') != std::string::npos) throw InputError(w + " has a row whose image name is empty or holds a NUL byte.");
    if (std::string("=+-@\t\r").find(cell[0]) != std::string::npos)
        throw InputError(w + " has a row whose image name is a spreadsheet formula kernelscope would not write.");
    return csv_text_value(cell);
}

// Per image, one row for every kept layer and head, in that order, the images in byte
// order of their names: anything else is a duplicated, missing or foreign row. The
// per-image values summed must give the distance sums.
void read_per_image(const std::vector<CsvRecord>& rows, const AnalysisShape& s, AnalysisTotals& t) {
    const std::string w = "per_image.csv";
    const size_t block = s.kept.size() * s.heads;
    std::vector<double> px(t.distance_px.size(), 0.0), orig(px.size(), 0.0), mag(px.size(), 0.0);
    std::string last;
    long long images = 0;
    for (size_t j = 0; j < rows.size(); ++j) {
        const auto& r = rows[j].fields;
        if (r.size() != 5) throw InputError(w + " has a row without 5 fields.");
        const std::string name = image_name(r[0]);
        const size_t at = j % block;
        const int l = s.kept[at / s.heads], h = static_cast<int>(at % s.heads);
        if (r[1] != std::to_string(l) || r[2] != std::to_string(h))
            throw InputError(w + "'s row " + std::to_string(j + 2) + " should be layer " + std::to_string(l) + ", head " + std::to_string(h) +
                             " of an image: a row is missing, duplicated or not as kernelscope writes it.");
        if (at == 0 && j > 0 && !(last < name)) throw InputError(w + " lists the image '" + name + "' twice or out of order.");
        if (at != 0 && name != last) throw InputError(w + " lacks rows of the image '" + last + "'.");
        if (at == 0) ++images;
        last = name;
        const size_t i = static_cast<size_t>(l) * s.heads + h;
        const double a = csv_number(r[3], w), b = csv_number(r[4], w);
        px[i] += a;
        orig[i] += b;
        mag[i] += std::fabs(a) + std::fabs(b);
        t.per_image_rows.push_back(rows[j].raw);
    }
    if (rows.size() % std::max<size_t>(1, block) != 0) throw InputError(w + " lacks rows of the image '" + last + "'.");
    if (images != s.images) count_is_images(images, s, w);
    // Per-image values have 9 significant digits; the sums 17.
    for (int l : s.kept)
        for (int h = 0; h < s.heads; ++h) {
            const size_t i = static_cast<size_t>(l) * s.heads + h;
            const double tol = 1e-7 * mag[i] + 1e-12;
            if (std::fabs(px[i] - t.distance_px[i].sum) > tol || std::fabs(orig[i] - t.distance_orig[i].sum) > tol)
                throw InputError("mean_attention_distance.csv's sums for layer " + std::to_string(l) + ", head " + std::to_string(h) +
                                 " are not the sums of per_image.csv's rows.");
        }
}

}  // namespace

void check_analysis_shape(const AnalysisShape& s, const std::string& what) {
    const bool sizes = s.layers >= 1 && s.layers <= 4096 && s.heads >= 1 && s.heads <= 1024 && s.fourier_k >= 1 && s.fourier_k <= 5000;
    const bool kept = !s.kept.empty() && std::is_sorted(s.kept.begin(), s.kept.end()) &&
                      std::adjacent_find(s.kept.begin(), s.kept.end()) == s.kept.end() && s.kept.front() >= 0 && s.kept.back() < s.layers;
    // The totals are sized from these: at most about 50 MB for the distances and 100 MB for
    // the Fourier sums (ViT-g/14 at 224 px needs 960 and 1,467 entries).
    const bool small = sizes && static_cast<long long>(s.layers) * s.heads <= (1 << 20) &&
                       (2LL * s.layers + 1) * s.fourier_k <= (1 << 22);
    if (!sizes || !small || !kept || s.images < 0)
        throw InputError(what + " gives a model shape (layers, heads, Fourier grid or layers written) outside what kernelscope writes.");
}

AnalysisTotals read_analysis_csvs(const std::string& mean_distance, const std::string& fourier, const std::string& per_image,
                                  const AnalysisShape& s) {
    check_analysis_shape(s, "analysis.json");
    AnalysisTotals t;
    t.init(s.layers, s.heads, s.fourier_k, s.kept);
    t.images = s.images;
    read_distances(csv_rows_after_header(mean_distance, kDistanceCsvHeader, "mean_attention_distance.csv"), s, t);
    read_fourier(csv_rows_after_header(fourier, kFourierCsvHeader, "fourier.csv"), s, t);
    read_per_image(csv_rows_after_header(per_image, kPerImageCsvHeader, "per_image.csv"), s, t);
    return t;
}

}  // namespace ks
