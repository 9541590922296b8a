// `kernelscope analyze --merge`: combines the output folders of shards exactly, or
// refuses with one sentence naming the two folders. A merge must never write wrong
// numbers with exit 0, so every input is checked: the same checkpoint (its SHA-256) and
// settings, image sets that do not overlap (the same run twice, 0/2 with 0/3, a run and
// one of its own shards), files exactly as analyze writes them, counts that match the
// sums, and finite totals. Memory is bounded by the model's shape from analysis.json,
// not by what a row claims.
#include <algorithm>
#include <iostream>
#include <unordered_map>

#include "cli_analyze_io.h"
#include "cli_signals.h"
#include "analysis/analysis_plots.h"
#include "io/csv.h"
#include "io/file_output.h"
#include "io/file_read.h"
#include "io/input_error.h"
#include "io/json_bounded.h"
#include "io/sha256.h"

namespace ks {

namespace fs = std::filesystem;

std::string skipped_csv(const std::vector<Skipped>& s) {
    std::string out = "image,reason\n";
    for (const auto& k : s) out += csv_field(k.image) + "," + csv_field(k.reason) + "\n";
    return out;
}

std::vector<Skipped> read_skipped_csv(const std::string& text) {
    std::vector<CsvRecord> rows = csv_records(text, "skipped.csv");
    if (rows.empty() || rows.front().raw != "image,reason") throw InputError("skipped.csv does not start with the header image,reason.");
    std::vector<Skipped> out;
    for (size_t i = 1; i < rows.size(); ++i) {
        if (rows[i].fields.size() != 2 || rows[i].fields[0].empty()) throw InputError("skipped.csv has a row that is not an image and a reason.");
        out.push_back({csv_text_value(rows[i].fields[0]), csv_text_value(rows[i].fields[1])});
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> analysis_output_files(const AnalysisTotals& t, const std::vector<Skipped>& skipped,
                                                                       const nlohmann::json& info) {
    std::vector<std::pair<std::string, std::string>> files;
    files.emplace_back("mean_attention_distance.csv", mean_distance_csv(t));
    files.emplace_back("fourier.csv", fourier_csv(t));
    files.emplace_back("per_image.csv", per_image_csv(t));
    files.emplace_back("skipped.csv", skipped_csv(skipped));
    for (auto& [name, img] : analysis_plots(t)) files.emplace_back(name, png_bytes(to_rgb8(img), img.width, img.height));
    files.emplace_back("analysis.json", info.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    return files;
}

nlohmann::json image_list_identity(const std::vector<std::string>& names, const std::vector<uint64_t>& bytes) {
    Sha256 h;
    for (size_t i = 0; i < names.size(); ++i) h.update(names[i] + "\t" + std::to_string(i < bytes.size() ? bytes[i] : 0) + "\n");
    return {{"count", names.size()}, {"sha256", h.hex()}};
}

namespace {

// The analysis.json keys two runs must share to be merged: the model as understood
// and every setting that changes the numbers.
const char* const kSettingKeys[] = {"model", "model_input", "grid", "resize", "layers", "shape"};

struct ShardInput {
    std::string dir;
    nlohmann::json info;
    AnalysisTotals totals;
    std::vector<Skipped> skipped;
    std::vector<std::string> names;  // every image it holds, analysed or skipped
    long long images = 0;            // analysed
};

// Regular files of bounded size only: a FIFO or /dev/zero named like an output is
// refused by type, a huge file by its size, before a byte is read.
// `lead` starts every message: "--merge: " for a merge, "" for the app.
std::string shard_file(const std::string& dir, const std::string& name, const std::string& lead) {
    const uint64_t limit = name == "analysis.json" ? kMaxConfigFileBytes : kMaxAnalysisCsvBytes;
    try {
        return read_regular_file((fs::path(dir) / name).string(), limit, "analyze output");
    } catch (const InputError& e) {
        throw InputError(lead + "'" + dir + "' is not a finished analyze output (" + e.what() + ")");
    }
}

// -1 (refused by check_analysis_shape) when missing, not a whole number or outside 0..hi.
long long json_int(const nlohmann::json& j, const char* key, long long hi) {
    if (!j.contains(key) || !j[key].is_number_integer() || j[key].get<long long>() < 0 || j[key].get<long long>() > hi) return -1;
    return j[key].get<long long>();
}

// "K/N" as analyze writes it: two whole numbers, K below N.
bool is_shard_spec(const std::string& s) {
    const size_t slash = s.find('/');
    auto digits = [](const std::string& t) {
        return !t.empty() && t.size() <= 7 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    return slash != std::string::npos && digits(s.substr(0, slash)) && digits(s.substr(slash + 1)) &&
           std::stol(s.substr(0, slash)) < std::stol(s.substr(slash + 1));
}

// The shape and identity analysis.json must give (kernelscope before this check wrote
// neither; such runs are refused rather than trusted).
AnalysisShape shard_shape(const nlohmann::json& info, const std::string& dir, const std::string& lead) {
    const std::string what = lead + "'" + dir + "/analysis.json'";
    if (!info.is_object() || !info.contains("checkpoint") || !info["checkpoint"].is_object() ||
        !info["checkpoint"].value("sha256", nlohmann::json()).is_string() || !info.contains("shape") || !info["shape"].is_object())
        throw InputError(what + " records no checkpoint digest or model shape (an older kernelscope wrote it); analyse again to merge it.");
    AnalysisShape s;
    const nlohmann::json& sh = info["shape"];
    s.layers = static_cast<int>(json_int(sh, "layers", 4096));
    s.heads = static_cast<int>(json_int(sh, "heads", 1024));
    s.fourier_k = static_cast<int>(json_int(sh, "fourier_k", 5000));
    s.images = json_int(info, "images_analysed", 1LL << 40);
    if (!info.contains("layers") || !info["layers"].is_array()) s.layers = -1;
    else
        for (const auto& l : info["layers"]) s.kept.push_back(l.is_number_integer() && l.get<long long>() >= 0 && l.get<long long>() < 4096 ? l.get<int>() : -1);
    check_analysis_shape(s, what);
    const nlohmann::json shard = info.value("shard", nlohmann::json());
    if (!shard.is_null() && !(shard.is_string() && is_shard_spec(shard.get<std::string>())))
        throw InputError(what + " gives a shard that is not K/N.");
    return s;
}

ShardInput read_shard(const std::string& dir, const std::string& lead) {
    ShardInput in;
    in.dir = dir;
    // analysis.json first: the CSVs are read against the shape it gives.
    in.info = parse_json_bounded(shard_file(dir, "analysis.json", lead), lead + "'" + dir + "/analysis.json'");
    const AnalysisShape shape = shard_shape(in.info, dir, lead);
    const std::string md = shard_file(dir, "mean_attention_distance.csv", lead), fo = shard_file(dir, "fourier.csv", lead),
                      pi = shard_file(dir, "per_image.csv", lead), sk = shard_file(dir, "skipped.csv", lead);
    try {
        in.totals = read_analysis_csvs(md, fo, pi, shape);
        in.skipped = read_skipped_csv(sk);
    } catch (const InputError& e) {
        throw InputError(lead + "in '" + dir + "': " + e.what());
    }
    const size_t block = shape.kept.size() * shape.heads;
    for (size_t j = 0; j < in.totals.per_image_rows.size(); j += block)
        in.names.push_back(csv_text_value(csv_records(in.totals.per_image_rows[j], "per_image.csv").front().fields[0]));
    for (const Skipped& s : in.skipped) in.names.push_back(s.image);
    in.images = in.totals.images;
    return in;
}

// The same checkpoint and settings: either difference makes the totals wrong, not just different.
void check_same_model(const ShardInput& a, const ShardInput& b) {
    const std::string da = a.info["checkpoint"]["sha256"], db = b.info["checkpoint"]["sha256"];
    if (da != db)
        throw InputError("--merge: '" + a.dir + "' and '" + b.dir + "' were made from different checkpoints (SHA-256 " + da.substr(0, 12) +
                         "... and " + db.substr(0, 12) + "...); merge only runs of one model.");
    for (const char* key : kSettingKeys)
        if (a.info.value(key, nlohmann::json()) != b.info.value(key, nlohmann::json()))
            throw InputError("--merge: '" + a.dir + "' and '" + b.dir + "' were made with different settings ('" + key +
                             "' differs in analysis.json); merge only runs made alike.");
}

// Shards of one folder listing must split it the same way: 0/2 with 1/3 would count some
// images twice and leave others out.
void check_shard_split(const ShardInput& a, const ShardInput& b) {
    const nlohmann::json sa = a.info.value("shard", nlohmann::json()), sb = b.info.value("shard", nlohmann::json());
    const nlohmann::json fa = a.info.value("folder_list", nlohmann::json()), fb = b.info.value("folder_list", nlohmann::json());
    if (!sa.is_string() || !sb.is_string() || fa.is_null() || fa != fb) return;
    const std::string x = sa, y = sb;
    if (x == y) throw InputError("--merge: '" + a.dir + "' and '" + b.dir + "' are both shard " + x + " of one run: a shard given twice.");
    if (x.substr(x.find('/')) != y.substr(y.find('/')))
        throw InputError("--merge: '" + a.dir + "' is shard " + x + " and '" + b.dir + "' shard " + y +
                         " of the same image folder; shards of one run must share their N.");
}

// No image in two inputs: the same run twice, overlapping shards, or a run and one of its shards.
void check_disjoint(const std::vector<ShardInput>& shards) {
    std::unordered_map<std::string, size_t> owner;
    for (size_t i = 0; i < shards.size(); ++i)
        for (const std::string& n : shards[i].names) {
            const auto [it, fresh] = owner.emplace(n, i);
            if (fresh) continue;
            const std::string first = shards[it->second].dir;
            throw InputError(it->second == i ? "--merge: '" + first + "' lists the image '" + n + "' twice."
                                             : "--merge: '" + first + "' and '" + shards[i].dir + "' both hold the image '" + n +
                                                   "' (the same run twice, overlapping shards, or a run with one of its shards).");
        }
}

nlohmann::json merged_info(const std::vector<ShardInput>& shards, const AnalysisTotals& total, size_t skipped, size_t names) {
    const nlohmann::json& first = shards.front().info;
    nlohmann::json runs = nlohmann::json::array();
    bool interrupted = false, one_folder = true;
    for (const ShardInput& s : shards) {
        runs.push_back({{"folder", s.dir}, {"shard", s.info.value("shard", nlohmann::json())}, {"images_analysed", s.images},
                        {"image_list", s.info.value("image_list", nlohmann::json())}});
        interrupted = interrupted || s.info.value("interrupted", false);
        one_folder = one_folder && s.info.value("folder_list", nlohmann::json()) == first.value("folder_list", nlohmann::json());
    }
    nlohmann::json info = {{"merged_from", runs}, {"checkpoint", first["checkpoint"]}};
    for (const char* key : kSettingKeys) info[key] = first.value(key, nlohmann::json());
    info["folder_list"] = one_folder ? first.value("folder_list", nlohmann::json()) : nlohmann::json();
    info["shard"] = nullptr;
    info["image_list"] = {{"count", names}};
    info["images_analysed"] = total.images;
    info["images_skipped"] = skipped;
    info["interrupted"] = interrupted;
    return info;
}

}  // namespace

AnalysisTotals read_analysis_folder(const std::string& dir) { return read_shard(dir, "").totals; }

int run_merge(const std::vector<std::string>& dirs, const std::string& out) {
    check_output_folder(out);  // a shard given as --out too holds files: refused here
    // A signal ends a merge at once, but never with its folder half-written.
    const StopSignals signals(/*wind_down=*/false);
    std::vector<ShardInput> shards;
    for (const std::string& dir : dirs) {
        shards.push_back(read_shard(dir, "--merge: "));
        for (size_t i = 0; i + 1 < shards.size(); ++i) {
            check_same_model(shards[i], shards.back());
            check_shard_split(shards[i], shards.back());
        }
    }
    check_disjoint(shards);
    AnalysisTotals total;
    std::vector<Skipped> skipped;
    size_t names = 0;
    for (ShardInput& s : shards) {
        total.merge(s.totals);
        skipped.insert(skipped.end(), s.skipped.begin(), s.skipped.end());
        names += s.names.size();
        s.totals = AnalysisTotals();  // its rows are in the total now
    }
    if (!total.all_finite()) throw InputError("--merge: the merged sums overflow to infinity; the inputs cannot be one run's shards.");
    total.sort_per_image_rows();
    std::sort(skipped.begin(), skipped.end(), [](const Skipped& a, const Skipped& b) { return a.image < b.image; });
    write_files(out, analysis_output_files(total, skipped, merged_info(shards, total, skipped.size(), names)));
    std::cout << "merged " << dirs.size() << " run(s): " << total.images << " image(s) into " << out << "\n";
    return 0;
}

}  // namespace ks
