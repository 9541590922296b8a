#include "analysis/specificity_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "analysis/data_specificity.h"
#include "io/csv.h"
#include "io/input_error.h"

namespace ks {

namespace {

double specificity_number_cell(const std::string& cell, double lo, double hi, const std::string& where) {
    char* end = nullptr;
    const double v = std::strtod(cell.c_str(), &end);
    if (cell.empty() || end != cell.c_str() + cell.size() || !std::isfinite(v) || v < lo || v > hi)
    {
        char range[64];
        std::snprintf(range, sizeof range, "%g to %g", lo, hi);
        throw InputError(where + ": '" + cell + "' is not a number from " + range + ".");
    }
    return v;
}

}  // namespace

std::vector<SpecificityRow> parse_specificity_csv(const std::string& text, const std::string& what) {
    const std::vector<CsvRecord> recs = csv_records(text, what);
    if (recs.empty() || recs[0].raw != "kind,layer,head,specificity,std,images,queries")
        throw InputError(what + " does not start with the header kind,layer,head,specificity,std,images,queries.");
    std::vector<SpecificityRow> out;
    for (size_t i = 1; i < recs.size(); ++i) {
        const auto& f = recs[i].fields;
        if (f.size() == 1 && f[0].empty()) continue;   // a blank last line
        const std::string where = what + " line " + std::to_string(i + 1);
        if (f.size() != 7) throw InputError(where + " has " + std::to_string(f.size()) + " fields, not 7.");
        if (std::find(std::begin(kSpecificityKinds), std::end(kSpecificityKinds), f[0]) == std::end(kSpecificityKinds))
            throw InputError(where + ": '" + f[0] + "' is not a kind of kernel.");
        SpecificityRow r;
        r.kind = f[0];
        r.layer = static_cast<int>(specificity_number_cell(f[1], 0, 100000, where));
        r.head = static_cast<int>(specificity_number_cell(f[2], 0, 100000, where));
        r.specificity = specificity_number_cell(f[3], 0, 1, where);
        r.std = specificity_number_cell(f[4], 0, 1, where);
        r.images = static_cast<long long>(specificity_number_cell(f[5], 0, 1e18, where));
        r.queries = static_cast<long long>(specificity_number_cell(f[6], 0, 1e18, where));
        out.push_back(r);
    }
    if (out.empty()) throw InputError(what + " has no rows.");
    return out;
}

std::vector<SpecificityRow> specificity_rows(const std::vector<SpecificityTotals>& t) {
    std::vector<SpecificityRow> rows;
    for (const SpecificityTotals& k : t)
        for (int l = 0; l < k.shape.layers; ++l)
            for (int h = 0; h < k.shape.heads; ++h) {
                const RunningSum& r = k.tv[static_cast<size_t>(l) * k.shape.heads + h];
                rows.push_back({k.shape.kind, l, h, r.mean(), r.stddev(), k.images, k.shape.queries - k.shape.first_measured_query});
            }
    return rows;
}

}  // namespace ks
