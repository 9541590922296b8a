#pragma once
// `kernelscope analyze`'s data specificity (core/analysis/data_specificity.h): the two
// passes' state, their files, the cost stated before the work, reading the mean of an
// earlier pass 1 (--mean-from) and merging shards of either pass.
//   pass 1: per kind the kernel sums over the images (kernel_sums_<kind>.npy) and the
//           mean kernels (mean_kernel.npy, mean_kernel_<kind>.npy);
//   pass 2: per kind, layer and head the TV departures from that mean
//           (data_specificity_sums.csv, data_specificity.csv, data_specificity.png).
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "analysis/data_specificity.h"
#include "vit/vit_model.h"

namespace ks {

enum class AnalyzePass { One, Two, Both };
// analysis.json's "pass": 1, 2 or "both".
nlohmann::json pass_json(AnalyzePass p);
// InputError naming `what` for anything else.
AnalyzePass pass_from_json(const nlohmann::json& j, const std::string& what);

using NamedBytes = std::pair<std::string, std::string>;

struct SpecificityRun {
    std::vector<KernelShape> shapes;        // in data_specificity.csv order
    std::vector<KernelSums> sums;           // pass 1's sums; pass 2's mean
    std::vector<SpecificityTotals> totals;  // pass 2
    std::string mean_sha256;                // pass 2: the mean's identity (kernel_sums_identity)

    void init(const std::vector<KernelShape>& s, AnalyzePass pass);
    // One image's forward pass: its kernels added to the sums (pass 1) or measured
    // against the mean (pass 2).
    void add_to_sums(const VitOutput& out);
    void measure(const VitOutput& out);
    // The same for kernels already made (a ResNet's, analysis/resnet_specificity.h), in
    // the order of `shapes`.
    void add_to_sums(const std::vector<KernelView>& views);
    void measure(const std::vector<KernelView>& views);
};

// "data specificity: 2 passes (a forward pass per image each); kernel sums 45.2 MB
// (attention 12 x 12 x 197 x 197, ... doubles)". Throws InputError over the budget.
std::string specificity_cost(const std::vector<KernelShape>& shapes, AnalyzePass pass);

// Pass 1's files (kernel sums and mean kernels) and their identity for analysis.json:
// {"images": n, "sha256": of the kernel_sums_*.npy bytes in order}.
std::vector<NamedBytes> kernel_sums_files(const std::vector<KernelSums>& sums, nlohmann::json* identity);
// Pass 2's files: data_specificity.csv, data_specificity_sums.csv, data_specificity.png.
std::vector<NamedBytes> specificity_files(const std::vector<SpecificityTotals>& totals);

// The mean of pass-1 output `dir` for a pass 2 whose analysis.json so far is `run_info`
// (checkpoint, settings, folder, kernel shapes): refused with one sentence when it is
// another checkpoint's, resize's or image folder's, a single shard, or interrupted.
std::vector<KernelSums> read_mean_from(const std::string& dir, const nlohmann::json& run_info, const std::vector<KernelShape>& shapes,
                                       std::string* mean_sha256);

// The kernel sums of a pass-1 output folder (for a merge), checked against its identity.
std::vector<KernelSums> read_kernel_sums_folder(const std::string& dir, const nlohmann::json& info, const std::string& lead);

}  // namespace ks
