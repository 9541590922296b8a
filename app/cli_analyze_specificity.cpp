// Data specificity in `kernelscope analyze`: see cli_analyze_specificity.h.
#include "cli_analyze_specificity.h"

#include <cstdio>
#include <filesystem>

#include "analysis/data_specificity_files.h"
#include "analysis/specificity_kernels.h"
#include "analysis/specificity_plot.h"
#include "io/cost_limits.h"
#include "io/file_output.h"
#include "io/file_read.h"
#include "io/input_error.h"
#include "io/json_bounded.h"
#include "io/sha256.h"

namespace ks {

namespace fs = std::filesystem;

nlohmann::json pass_json(AnalyzePass p) { return p == AnalyzePass::One ? nlohmann::json(1) : p == AnalyzePass::Two ? nlohmann::json(2) : nlohmann::json("both"); }

AnalyzePass pass_from_json(const nlohmann::json& j, const std::string& what) {
    if (j == nlohmann::json(1)) return AnalyzePass::One;
    if (j == nlohmann::json(2)) return AnalyzePass::Two;
    if (j == nlohmann::json("both")) return AnalyzePass::Both;
    throw InputError(what + " records no pass (1, 2 or \"both\"; an older kernelscope wrote it); analyse again to use it.");
}

void SpecificityRun::init(const std::vector<KernelShape>& s, AnalyzePass pass) {
    shapes = s;
    sums.assign(s.size(), {});
    totals.assign(s.size(), {});
    for (size_t k = 0; k < s.size(); ++k) {
        if (pass != AnalyzePass::Two) sums[k].init(s[k]);
        totals[k].init(s[k]);
    }
}

void SpecificityRun::add_to_sums(const VitOutput& out) {
    std::vector<OwnedKernels> scratch;
    add_to_sums(vit_specificity_kernels(out, scratch));
}

void SpecificityRun::measure(const VitOutput& out) {
    std::vector<OwnedKernels> scratch;
    measure(vit_specificity_kernels(out, scratch));
}

void SpecificityRun::add_to_sums(const std::vector<KernelView>& views) {
    for (size_t k = 0; k < views.size(); ++k) sums[k].add(views[k]);
}

void SpecificityRun::measure(const std::vector<KernelView>& views) {
    for (size_t k = 0; k < views.size(); ++k) totals[k].add(views[k], sums[k]);
}

namespace {

std::string shape_words(const std::vector<KernelShape>& shapes) {
    std::string s;
    for (const KernelShape& k : shapes)
        s += (s.empty() ? "" : ", ") + k.kind + " " + std::to_string(k.layers) + " x " + std::to_string(k.heads) + " x " +
             std::to_string(k.queries) + " x " + std::to_string(k.tokens);
    return s + " doubles";
}

}  // namespace

std::string specificity_cost(const std::vector<KernelShape>& shapes, AnalyzePass pass) {
    const double bytes = kernel_sums_bytes(shapes);
    check_kernel_sums_cost(bytes, shape_words(shapes), "analyse a smaller input size or a smaller model");
    char buf[160];
    std::snprintf(buf, sizeof buf, "data specificity: %s; %s %.*f MB (", pass == AnalyzePass::Both ? "2 passes (a forward pass per image each)"
                                                                         : pass == AnalyzePass::One ? "pass 1 of 2 (a forward pass per image)"
                                                                                                    : "pass 2 of 2 (a forward pass per image)",
                  pass == AnalyzePass::Two ? "the mean's kernel sums" : "kernel sums", bytes < 1e6 ? 3 : 1, bytes / 1e6);
    return buf + shape_words(shapes) + ")";
}

std::vector<NamedBytes> kernel_sums_files(const std::vector<KernelSums>& sums, nlohmann::json* identity) {
    std::vector<NamedBytes> files;
    Sha256 h;
    for (size_t k = 0; k < sums.size(); ++k) {
        files.emplace_back(kernel_sums_file(sums[k].shape.kind), kernel_sums_npy(sums[k]));
        h.update(files.back().second);
        files.emplace_back(mean_kernel_file(sums[k].shape.kind, is_model_kind(sums[k].shape.kind)), mean_kernel_npy(sums[k]));
    }
    *identity = {{"images", sums.empty() ? 0 : sums.front().images}, {"sha256", h.hex()}};
    return files;
}

std::vector<NamedBytes> specificity_files(const std::vector<SpecificityTotals>& totals) {
    const Image img = plot_image(data_specificity_figure(specificity_rows(totals)));
    return {{"data_specificity.csv", data_specificity_csv(totals)},
            {"data_specificity_sums.csv", data_specificity_sums_csv(totals)},
            {"data_specificity.png", png_bytes(to_rgb8(img), img.width, img.height)}};
}

std::vector<KernelSums> read_kernel_sums_folder(const std::string& dir, const nlohmann::json& info, const std::string& lead) {
    const std::string what = lead + "'" + dir + "/analysis.json'";
    const std::vector<KernelShape> shapes = kernel_shapes_from_json(info.value("kernels", nlohmann::json()), what);
    const nlohmann::json id = info.value("kernel_sums", nlohmann::json());
    if (!id.is_object() || !id.value("images", nlohmann::json()).is_number_integer() || !id.value("sha256", nlohmann::json()).is_string() ||
        id["images"].get<long long>() < 0 || id["images"].get<long long>() > (1LL << 40))
        throw InputError(what + " records no kernel sums (image count and SHA-256).");
    const long long images = id["images"].get<long long>();
    std::vector<KernelSums> out;
    Sha256 h;
    for (const KernelShape& s : shapes) {
        const std::string path = (fs::path(dir) / kernel_sums_file(s.kind)).string();
        std::string bytes;
        try {
            bytes = read_regular_file(path, kernel_sums_file_limit(s), "kernel sums");
        } catch (const InputError& e) {
            throw InputError(lead + "'" + dir + "' is not a finished pass-1 output (" + e.what() + ")");
        }
        h.update(bytes);
        out.push_back(kernel_sums_from_npy(bytes, s, images, lead + "'" + path + "'"));
    }
    if (h.hex() != id["sha256"].get<std::string>())
        throw InputError(lead + "the kernel sums in '" + dir + "' are not the ones its analysis.json records (SHA-256 differs).");
    return out;
}

std::vector<KernelSums> read_mean_from(const std::string& dir, const nlohmann::json& run, const std::vector<KernelShape>& shapes,
                                       std::string* mean_sha256) {
    const std::string lead = "--mean-from: ";
    std::string text;
    try {
        text = read_regular_file((fs::path(dir) / "analysis.json").string(), kMaxConfigFileBytes, "analyze output");
    } catch (const InputError& e) {
        throw InputError(lead + "'" + dir + "' is not a finished analyze output (" + e.what() + ")");
    }
    const nlohmann::json p1 = parse_json_bounded(text, lead + "'" + dir + "/analysis.json'");
    const std::string what = lead + "'" + dir + "'";
    if (!p1.is_object()) throw InputError(what + " holds no analyze run.");
    if (pass_from_json(p1.value("pass", nlohmann::json()), what + "/analysis.json") == AnalyzePass::Two)
        throw InputError(what + " is a pass-2 output; give the output of --pass 1 (merged) or of a run of both passes.");
    if (p1.value("checkpoint", nlohmann::json()) != run["checkpoint"])
        throw InputError(what + " was made from another checkpoint (its SHA-256 differs); the mean must be this model's.");
    for (const char* key : {"resize", "model", "model_input", "grid"})
        if (p1.value(key, nlohmann::json()) != run[key])
            throw InputError(what + " was made with other settings ('" + std::string(key) + "' differs in analysis.json); the mean must be taken alike.");
    if (p1.value("folder_list", nlohmann::json()) != run["folder_list"])
        throw InputError(what + " was made over another image folder (its list of images differs); the mean must be over this folder.");
    if (!p1.value("shard", nlohmann::json()).is_null())
        throw InputError(what + " is shard " + p1["shard"].dump() + " only; merge the pass-1 shards first (analyze --merge).");
    if (p1.value("interrupted", false) && p1.value("interrupted_in_pass", nlohmann::json(1)) != nlohmann::json(2))
        throw InputError(what + " was interrupted in pass 1, so its mean is not over the whole folder; run pass 1 again.");
    if (p1.value("kernels", nlohmann::json()) != kernel_shapes_json(shapes))
        throw InputError(what + " holds kernels of other kinds or shapes than this run measures.");
    std::vector<KernelSums> sums = read_kernel_sums_folder(dir, p1, lead);
    if (sums.empty() || sums.front().images <= 0) throw InputError(what + "'s mean was taken over no image.");
    *mean_sha256 = p1["kernel_sums"]["sha256"].get<std::string>();
    return sums;
}

}  // namespace ks
