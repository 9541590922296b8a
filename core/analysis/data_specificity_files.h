#pragma once
// Data specificity on disk (`kernelscope analyze`): the CSVs a run writes and a merge
// reads back, and the kernel sums as float64 .npy.
//   data_specificity.csv       kind,layer,head,specificity,std,images,queries
//                              (specificity = mean TV, std = population std over the
//                              images x measured queries; queries = measured per image)
//   data_specificity_sums.csv  kind,layer,head,n,sum,sum_sq (what a pass-2 merge adds)
//   kernel_sums_<kind>.npy     float64 [layers, heads, queries, tokens] (what a pass-1
//                              merge adds and --mean-from reads; the image count is in
//                              analysis.json)
// Numbers with 17 significant digits, so they read back to the same double.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/data_specificity.h"

namespace ks {

inline constexpr const char* kSpecificityCsvHeader = "kind,layer,head,specificity,std,images,queries";
inline constexpr const char* kSpecificitySumsCsvHeader = "kind,layer,head,n,sum,sum_sq";

std::string data_specificity_csv(const std::vector<SpecificityTotals>& t);
std::string data_specificity_sums_csv(const std::vector<SpecificityTotals>& t);
// Reads data_specificity_sums.csv against the shapes and image count analysis.json gives:
// every (kind, layer, head) once, n = images x measured queries, sums some n numbers
// in 0..1 could have. InputError naming the file otherwise.
std::vector<SpecificityTotals> read_data_specificity_sums(const std::string& text, const std::vector<KernelShape>& shapes,
                                                          long long images);

// "kernel_sums_<kind>.npy" and "mean_kernel_<kind>.npy" (the model kind's mean is mean_kernel.npy).
std::string kernel_sums_file(const std::string& kind);
std::string mean_kernel_file(const std::string& kind, bool model_kind);
// The model's own kind (a ViT's attention, a ResNet's effective kernel), whose mean is
// mean_kernel.npy; the model-free kinds' are mean_kernel_<kind>.npy.
inline bool is_model_kind(const std::string& kind) { return kind == "attention" || kind == "effective_kernel"; }
std::string kernel_sums_npy(const KernelSums& s);
std::string mean_kernel_npy(const KernelSums& s);
// The most bytes kernel_sums_<kind>.npy of `shape` can take (read no more).
uint64_t kernel_sums_file_limit(const KernelShape& shape);
// kernel_sums_<kind>.npy's bytes read as sums of `shape` over `images` kernels (each entry
// 0..1, so each sum 0..images); InputError naming `what` otherwise.
KernelSums kernel_sums_from_npy(const std::string& bytes, const KernelShape& shape, long long images, const std::string& what);

// The shapes as analysis.json records them, and read back: each side 1..2^20 (layers and
// heads 1..4096), the first measured query below the queries, the kinds known, distinct
// and in kSpecificityKinds order, and all the sums within the memory budget
// (io/cost_limits.h); InputError naming `what` otherwise.
nlohmann::json kernel_shapes_json(const std::vector<KernelShape>& shapes);
std::vector<KernelShape> kernel_shapes_from_json(const nlohmann::json& j, const std::string& what);
// Bytes the float64 sums of these shapes take.
double kernel_sums_bytes(const std::vector<KernelShape>& shapes);

}  // namespace ks
