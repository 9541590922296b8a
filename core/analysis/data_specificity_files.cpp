#include "analysis/data_specificity_files.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/csv_numbers.h"
#include "io/cost_limits.h"
#include "io/input_error.h"
#include "io/npy.h"

namespace ks {

namespace {

int kind_rank(const std::string& kind) {
    int i = 0;
    for (const char* k : kSpecificityKinds) {
        if (kind == k) return i;
        ++i;
    }
    return -1;
}

int measured_queries(const KernelShape& s) { return s.queries - s.first_measured_query; }

std::vector<size_t> npy_shape(const KernelShape& s) {
    return {static_cast<size_t>(s.layers), static_cast<size_t>(s.heads), static_cast<size_t>(s.queries), static_cast<size_t>(s.tokens)};
}

}  // namespace

std::string data_specificity_csv(const std::vector<SpecificityTotals>& t) {
    std::string out = std::string(kSpecificityCsvHeader) + "\n";
    for (const SpecificityTotals& k : t)
        for (int l = 0; l < k.shape.layers; ++l)
            for (int h = 0; h < k.shape.heads; ++h) {
                const RunningSum& r = k.tv[static_cast<size_t>(l) * k.shape.heads + h];
                out += k.shape.kind + "," + std::to_string(l) + "," + std::to_string(h) + "," + csv_digits(r.mean(), 17) + "," +
                       csv_digits(r.stddev(), 17) + "," + std::to_string(k.images) + "," + std::to_string(measured_queries(k.shape)) + "\n";
            }
    return out;
}

std::string data_specificity_sums_csv(const std::vector<SpecificityTotals>& t) {
    std::string out = std::string(kSpecificitySumsCsvHeader) + "\n";
    for (const SpecificityTotals& k : t)
        for (int l = 0; l < k.shape.layers; ++l)
            for (int h = 0; h < k.shape.heads; ++h) {
                const RunningSum& r = k.tv[static_cast<size_t>(l) * k.shape.heads + h];
                out += k.shape.kind + "," + std::to_string(l) + "," + std::to_string(h) + "," + std::to_string(r.n) + "," +
                       csv_digits(r.sum, 17) + "," + csv_digits(r.sum_sq, 17) + "\n";
            }
    return out;
}

std::vector<SpecificityTotals> read_data_specificity_sums(const std::string& text, const std::vector<KernelShape>& shapes,
                                                          long long images) {
    const std::string w = "data_specificity_sums.csv";
    std::vector<SpecificityTotals> t(shapes.size());
    std::vector<std::vector<char>> seen(shapes.size());
    for (size_t k = 0; k < shapes.size(); ++k) {
        t[k].init(shapes[k]);
        t[k].images = images;
        seen[k].assign(t[k].tv.size(), 0);
    }
    for (const CsvRecord& rec : csv_rows_after_header(text, kSpecificitySumsCsvHeader, w)) {
        const auto& r = rec.fields;
        if (r.size() != 6) throw InputError(w + " has a row that is not kind,layer,head,n,sum,sum_sq.");
        const auto kind = std::find_if(shapes.begin(), shapes.end(), [&](const KernelShape& s) { return s.kind == r[0]; });
        if (kind == shapes.end()) throw InputError(w + " has a row of the kind \"" + r[0] + "\", which analysis.json does not list.");
        const size_t k = static_cast<size_t>(kind - shapes.begin());
        const long long l = csv_whole(r[1], kind->layers - 1, w), h = csv_whole(r[2], kind->heads - 1, w);
        const size_t i = static_cast<size_t>(l * kind->heads + h);
        const std::string where = w + "'s row " + r[0] + " " + r[1] + " " + r[2];
        if (seen[k][i]++) throw InputError(where + " appears twice.");
        const long long n = csv_whole(r[3], 9000000000000000LL, w);
        if (n != images * measured_queries(*kind))
            throw InputError(where + " counts " + std::to_string(n) + " kernels, not the run's " + std::to_string(images) + " images x " +
                             std::to_string(measured_queries(*kind)) + " queries.");
        const RunningSum s = checked_sums(n, csv_number(r[4], w), csv_number(r[5], w), where);
        // Each value is a TV distance in 0..1 (to rounding).
        if (s.sum < 0 || s.sum > n * (1 + 1e-9) || s.sum_sq > n * (1 + 1e-9)) throw InputError(where + " has sums outside what TV distances (0..1) give.");
        t[k].tv[i] = s;
    }
    for (size_t k = 0; k < shapes.size(); ++k)
        if (std::find(seen[k].begin(), seen[k].end(), 0) != seen[k].end())
            throw InputError(w + " is missing rows of the kind " + shapes[k].kind + ".");
    return t;
}

std::string kernel_sums_file(const std::string& kind) { return "kernel_sums_" + kind + ".npy"; }
std::string mean_kernel_file(const std::string& kind, bool model_kind) { return model_kind ? "mean_kernel.npy" : "mean_kernel_" + kind + ".npy"; }

std::string kernel_sums_npy(const KernelSums& s) { return npy_bytes_f64(s.sum.data(), s.sum.size(), npy_shape(s.shape)); }
std::string mean_kernel_npy(const KernelSums& s) { return npy_bytes(s.mean(), npy_shape(s.shape)); }

uint64_t kernel_sums_file_limit(const KernelShape& shape) {
    return static_cast<uint64_t>(shape.size()) * 8 + 10 + 65535;  // the header's length is two bytes
}

KernelSums kernel_sums_from_npy(const std::string& bytes, const KernelShape& shape, long long images, const std::string& what) {
    NpyArray64 a;
    try {
        a = parse_npy_f64(bytes);
    } catch (const InputError& e) {
        throw InputError(what + " is not a float64 .npy file (" + e.what() + ")");
    }
    if (a.shape != npy_shape(shape)) throw InputError(what + " does not hold the kernel sums of the shape analysis.json gives.");
    const double hi = static_cast<double>(images) * (1 + 1e-6);
    for (double v : a.data)
        if (!(v >= 0 && v <= hi)) throw InputError(what + " holds a sum that " + std::to_string(images) + " kernels (each entry 0..1) cannot have.");
    KernelSums s;
    s.shape = shape;
    s.images = images;
    s.sum = std::move(a.data);
    return s;
}

nlohmann::json kernel_shapes_json(const std::vector<KernelShape>& shapes) {
    nlohmann::json out = nlohmann::json::array();
    for (const KernelShape& s : shapes)
        out.push_back({{"kind", s.kind}, {"layers", s.layers}, {"heads", s.heads}, {"queries", s.queries}, {"tokens", s.tokens},
                       {"first_measured_query", s.first_measured_query}});
    return out;
}

std::vector<KernelShape> kernel_shapes_from_json(const nlohmann::json& j, const std::string& what) {
    if (!j.is_array() || j.empty() || j.size() > std::size(kSpecificityKinds))
        throw InputError(what + " does not list the kinds of kernels data specificity measured.");
    auto side = [&](const nlohmann::json& o, const char* key, long long lo, long long hi) {
        if (!o.contains(key) || !o[key].is_number_integer() || o[key].get<long long>() < lo || o[key].get<long long>() > hi)
            throw InputError(what + " gives a kernel shape whose " + key + " is not a whole number from " + std::to_string(lo) + " to " +
                             std::to_string(hi) + ".");
        return static_cast<int>(o[key].get<long long>());
    };
    std::vector<KernelShape> out;
    for (const nlohmann::json& o : j) {
        if (!o.is_object() || !o.contains("kind") || !o["kind"].is_string() || kind_rank(o["kind"].get<std::string>()) < 0)
            throw InputError(what + " lists a kind of kernel that is not one of attention, builtin, effective_kernel, bilateral, dynamic, fixed_conv.");
        KernelShape s;
        s.kind = o["kind"].get<std::string>();
        s.layers = side(o, "layers", 1, 4096);
        s.heads = side(o, "heads", 1, 4096);
        s.queries = side(o, "queries", 1, 1 << 20);
        s.tokens = side(o, "tokens", 1, 1 << 20);
        s.first_measured_query = side(o, "first_measured_query", 0, s.queries - 1);
        if (!out.empty() && kind_rank(s.kind) <= kind_rank(out.back().kind))
            throw InputError(what + " lists the kinds of kernels out of order or twice.");
        out.push_back(s);
    }
    check_kernel_sums_cost(kernel_sums_bytes(out), what, "this is not a run kernelscope could have made");
    return out;
}

double kernel_sums_bytes(const std::vector<KernelShape>& shapes) {
    double b = 0;
    for (const KernelShape& s : shapes) b += 8.0 * s.layers * s.heads * s.queries * s.tokens;
    return b;
}

}  // namespace ks
