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
#include "cli_analyze_specificity.h"
#include "cli_signals.h"
#include "analysis/analysis_plots.h"
#include "analysis/data_specificity_files.h"
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
const char* const kSettingKeys[] = {"family", "measures", "model", "model_input", "grid", "resize", "layers", "shape", "kernels"};

struct ShardInput {
    std::string dir;
    nlohmann::json info;
    AnalyzePass pass = AnalyzePass::One;
    AnalysisTotals totals;                      // pass 1
    std::vector<SpecificityTotals> specificity; // pass 2
    std::vector<Skipped> skipped;
    std::vector<std::string> names;  // every image it holds, analysed or skipped
    long long images = 0;            // analysed
    bool per_image_rows = true;      // names every image (a ViT's pass 1); else only its skipped ones
};

// A ResNet run holds data specificity only (app/cli_analyze_model.h): no per-image rows.
bool is_resnet_run(const nlohmann::json& info) { return info.is_object() && info.value("family", nlohmann::json()) == "resnet"; }

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

void check_shard_spec(const nlohmann::json& info, const std::string& what) {
    const nlohmann::json shard = info.value("shard", nlohmann::json());
    if (!shard.is_null() && !(shard.is_string() && is_shard_spec(shard.get<std::string>())))
        throw InputError(what + " gives a shard that is not K/N.");
}

// The shape and identity analysis.json must give (kernelscope before this check wrote
// neither; such runs are refused rather than trusted).
// A ResNet's run has no such shape (`resnet`): its checkpoint and shard are checked alone.
AnalysisShape shard_shape(const nlohmann::json& info, const std::string& dir, const std::string& lead, bool resnet) {
    const std::string what = lead + "'" + dir + "/analysis.json'";
    if (!info.is_object() || !info.contains("checkpoint") || !info["checkpoint"].is_object() ||
        !info["checkpoint"].value("sha256", nlohmann::json()).is_string() ||
        (!resnet && (!info.contains("shape") || !info["shape"].is_object())))
        throw InputError(what + " records no checkpoint digest or model shape (an older kernelscope wrote it); analyse again to merge it.");
    AnalysisShape s;
    if (resnet) {
        check_shard_spec(info, what);
        return s;
    }
    const nlohmann::json& sh = info["shape"];
    s.layers = static_cast<int>(json_int(sh, "layers", 4096));
    s.heads = static_cast<int>(json_int(sh, "heads", 1024));
    s.fourier_k = static_cast<int>(json_int(sh, "fourier_k", 5000));
    s.images = json_int(info, "images_analysed", 1LL << 40);
    if (!info.contains("layers") || !info["layers"].is_array()) s.layers = -1;
    else
        for (const auto& l : info["layers"]) s.kept.push_back(l.is_number_integer() && l.get<long long>() >= 0 && l.get<long long>() < 4096 ? l.get<int>() : -1);
    check_analysis_shape(s, what);
    check_shard_spec(info, what);
    return s;
}

// A pass-2 output: its departures' sums, read against its kernel shapes and image count.
void read_pass2_shard(ShardInput& in, const std::string& lead) {
    const std::string what = lead + "'" + in.dir + "/analysis.json'";
    const std::vector<KernelShape> shapes = kernel_shapes_from_json(in.info.value("kernels", nlohmann::json()), what);
    in.images = json_int(in.info, "images_measured", 1LL << 40);
    if (in.images < 0) throw InputError(what + " records no count of the images measured.");
    const std::string sums = shard_file(in.dir, "data_specificity_sums.csv", lead), sk = shard_file(in.dir, "skipped.csv", lead);
    try {
        in.specificity = read_data_specificity_sums(sums, shapes, in.images);
        in.skipped = read_skipped_csv(sk);
    } catch (const InputError& e) {
        throw InputError(lead + "in '" + in.dir + "': " + e.what());
    }
    for (const Skipped& s : in.skipped) in.names.push_back(s.image);
}

// A ResNet's pass-1 output: its kernel sums (read by the merge itself) and skipped.csv.
void read_resnet_pass1_shard(ShardInput& in, const std::string& lead) {
    in.per_image_rows = false;
    in.images = json_int(in.info, "images_analysed", 1LL << 40);
    if (in.images < 0) throw InputError(lead + "'" + in.dir + "/analysis.json' records no count of the images analysed.");
    try {
        in.skipped = read_skipped_csv(shard_file(in.dir, "skipped.csv", lead));
    } catch (const InputError& e) {
        throw InputError(lead + "in '" + in.dir + "': " + e.what());
    }
    for (const Skipped& s : in.skipped) in.names.push_back(s.image);
}

ShardInput read_shard(const std::string& dir, const std::string& lead) {
    ShardInput in;
    in.dir = dir;
    // analysis.json first: the CSVs are read against the shape it gives.
    in.info = parse_json_bounded(shard_file(dir, "analysis.json", lead), lead + "'" + dir + "/analysis.json'");
    const bool resnet = is_resnet_run(in.info);
    const AnalysisShape shape = shard_shape(in.info, dir, lead, resnet);
    in.pass = pass_from_json(in.info.value("pass", nlohmann::json()), lead + "'" + dir + "/analysis.json'");
    if (in.pass == AnalyzePass::Two) {
        read_pass2_shard(in, lead);
        in.per_image_rows = false;
        return in;
    }
    if (resnet) {
        read_resnet_pass1_shard(in, lead);
        return in;
    }
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
    if (a.pass != b.pass)
        throw InputError("--merge: '" + a.dir + "' holds pass " + pass_json(a.pass).dump() + " and '" + b.dir + "' pass " +
                         pass_json(b.pass).dump() + "; merge only shards of one pass.");
    if (a.pass == AnalyzePass::Two && a.info.value("mean_from", nlohmann::json()).value("sha256", "") !=
                                          b.info.value("mean_from", nlohmann::json()).value("sha256", ""))
        throw InputError("--merge: '" + a.dir + "' and '" + b.dir + "' measured their departures from different mean kernels "
                         "(--mean-from); merge only pass-2 shards of one mean.");
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

// Pass 2 holds no per-image rows to compare, so overlap is told from the runs' identities:
// a whole-folder run beside any other run of that folder, or the same image list twice.
void check_pass2_overlap(const ShardInput& a, const ShardInput& b) {
    if (a.per_image_rows) return;
    const nlohmann::json fa = a.info.value("folder_list", nlohmann::json()), fb = b.info.value("folder_list", nlohmann::json());
    const bool whole = a.info.value("shard", nlohmann::json()).is_null() || b.info.value("shard", nlohmann::json()).is_null();
    if ((!fa.is_null() && fa == fb && whole) ||
        (a.info.value("image_list", nlohmann::json()) == b.info.value("image_list", nlohmann::json()) &&
         a.info.value("image_list", nlohmann::json()).value("count", 0) > 0))
        throw InputError("--merge: '" + a.dir + "' and '" + b.dir + "' hold the same images (the same run twice, or a run with one of its shards).");
}

nlohmann::json merged_info(const std::vector<ShardInput>& shards, long long images, size_t skipped, size_t names) {
    const nlohmann::json& first = shards.front().info;
    nlohmann::json runs = nlohmann::json::array();
    bool interrupted = false, one_folder = true;
    for (const ShardInput& s : shards) {
        runs.push_back({{"folder", s.dir}, {"shard", s.info.value("shard", nlohmann::json())}, {"images_analysed", s.images},
                        {"image_list", s.info.value("image_list", nlohmann::json())}});
        interrupted = interrupted || s.info.value("interrupted", false);
        one_folder = one_folder && s.info.value("folder_list", nlohmann::json()) == first.value("folder_list", nlohmann::json());
    }
    nlohmann::json info = {{"pass", pass_json(shards.front().pass)}, {"merged_from", runs}, {"checkpoint", first["checkpoint"]}};
    for (const char* key : kSettingKeys) info[key] = first.value(key, nlohmann::json());
    info["folder_list"] = one_folder ? first.value("folder_list", nlohmann::json()) : nlohmann::json();
    info["shard"] = nullptr;
    info["image_list"] = {{"count", names}};
    info["images_analysed"] = images;
    info["images_skipped"] = skipped;
    info["interrupted"] = interrupted;
    // An interrupted shard's pass is what was interrupted.
    info["interrupted_in_pass"] = interrupted ? pass_json(shards.front().pass) : nlohmann::json();
    if (shards.front().pass == AnalyzePass::Two) {
        info["mean_from"] = first["mean_from"];
        info["images_measured"] = images;
    }
    return info;
}

// Pass 1's kernel sums, one shard's files at a time (each is as large as the model's
// attention in doubles: holding every shard's at once would multiply the memory).
std::vector<KernelSums> merged_kernel_sums(const std::vector<ShardInput>& shards) {
    std::vector<KernelSums> total;
    for (const ShardInput& s : shards) {
        std::vector<KernelSums> one = read_kernel_sums_folder(s.dir, s.info, "--merge: ");
        if (total.empty()) total = std::move(one);
        else
            for (size_t k = 0; k < total.size(); ++k) total[k].merge(one[k]);
    }
    return total;
}

// A ResNet's pass 1: the kernel sums alone (it has no distances or Fourier numbers).
std::vector<NamedBytes> merged_sums_only(const std::vector<ShardInput>& shards, const std::vector<Skipped>& skipped, size_t names,
                                         long long* images) {
    nlohmann::json id;
    std::vector<NamedBytes> files = kernel_sums_files(merged_kernel_sums(shards), &id);
    *images = id["images"].get<long long>();
    nlohmann::json info = merged_info(shards, *images, skipped.size(), names);
    info["kernel_sums"] = id;
    files.emplace_back("skipped.csv", skipped_csv(skipped));
    files.emplace_back("analysis.json", info.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    return files;
}

// The merged files of pass 1 (today's numbers and the kernel sums) or pass 2 (the departures).
std::vector<NamedBytes> merged_files(std::vector<ShardInput>& shards, std::vector<Skipped>& skipped, long long* images) {
    size_t names = 0;
    for (ShardInput& s : shards) {
        skipped.insert(skipped.end(), s.skipped.begin(), s.skipped.end());
        names += s.per_image_rows ? s.names.size() : s.info.value("image_list", nlohmann::json()).value("count", size_t{0});
    }
    std::sort(skipped.begin(), skipped.end(), [](const Skipped& a, const Skipped& b) { return a.image < b.image; });
    if (shards.front().pass == AnalyzePass::Two) {
        std::vector<SpecificityTotals> total = shards.front().specificity;
        for (size_t i = 1; i < shards.size(); ++i)
            for (size_t k = 0; k < total.size(); ++k) total[k].merge(shards[i].specificity[k]);
        *images = total.empty() ? 0 : total.front().images;
        nlohmann::json info = merged_info(shards, *images, skipped.size(), names);
        std::vector<NamedBytes> files = specificity_files(total);
        files.emplace_back("skipped.csv", skipped_csv(skipped));
        files.emplace_back("analysis.json", info.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
        return files;
    }
    if (!shards.front().per_image_rows) return merged_sums_only(shards, skipped, names, images);
    AnalysisTotals total;
    for (ShardInput& s : shards) {
        total.merge(s.totals);
        s.totals = AnalysisTotals();  // its rows are in the total now
    }
    if (!total.all_finite()) throw InputError("--merge: the merged sums overflow to infinity; the inputs cannot be one run's shards.");
    total.sort_per_image_rows();
    *images = total.images;
    nlohmann::json info = merged_info(shards, total.images, skipped.size(), names);
    nlohmann::json id;
    std::vector<NamedBytes> sums = kernel_sums_files(merged_kernel_sums(shards), &id);
    info["kernel_sums"] = id;
    std::vector<NamedBytes> files = analysis_output_files(total, skipped, info);
    for (auto& f : sums) files.push_back(std::move(f));
    return files;
}

}  // namespace

AnalysisTotals read_analysis_folder(const std::string& dir) {
    ShardInput in = read_shard(dir, "");
    if (is_resnet_run(in.info))
        throw InputError("'" + dir + "' holds a ResNet's data specificity only, not the distances and Fourier numbers of a ViT.");
    if (in.pass == AnalyzePass::Two)
        throw InputError("'" + dir + "' holds pass 2 of data specificity only (data_specificity.csv), not the distances and Fourier numbers.");
    return std::move(in.totals);
}

int run_merge(const std::vector<std::string>& dirs, const std::string& out) {
    check_output_folder(out);  // a shard given as --out too holds files: refused here
    // A signal ends a merge at once, but never with its folder half-written.
    const StopSignals signals(/*wind_down=*/false);
    std::vector<ShardInput> shards;
    for (const std::string& dir : dirs) {
        shards.push_back(read_shard(dir, "--merge: "));
        if (shards.back().pass == AnalyzePass::Both)
            throw InputError("--merge: '" + dir + "' ran both passes, measuring its images against its own mean; merge shards of "
                             "--pass 1 or of --pass 2.");
        for (size_t i = 0; i + 1 < shards.size(); ++i) {
            check_same_model(shards[i], shards.back());
            check_shard_split(shards[i], shards.back());
            check_pass2_overlap(shards[i], shards.back());
        }
    }
    check_disjoint(shards);
    std::vector<Skipped> skipped;
    long long images = 0;
    write_files(out, merged_files(shards, skipped, &images));
    std::cout << "merged " << dirs.size() << " run(s) of pass " << pass_json(shards.front().pass).dump() << ": " << images
              << " image(s) into " << out << "\n";
    return 0;
}

}  // namespace ks
