#pragma once
// What one model pass may cost, stated before any work: a checkpoint's shapes and the
// model input's size give the multiply-adds and the memory of a pass, and a pass over
// the budget is refused with one sentence before anything is allocated. Without it a
// ResNet stem with a 301 x 301 kernel ran for minutes, a 65,536-channel stem took 6.5 GB
// before failing, and ResNet-50 on a 12 MP photo took 13 GB before "out of memory".
//
// The budget holds every checkpoint kernelscope is meant for at its own input size:
// ViT-L/16 at 224 px is 61 billion multiply-adds (ViT-H/14 167 billion: over, as is
// any ViT at thousands of tokens), ResNet-50 at 224 px 4 billion; ViT-H's weights with
// their packed copy are 5 GB.
#include <string>

namespace ks {

constexpr double kMaxPassMacs = 100e9;         // multiply-adds of one forward pass
constexpr double kMaxPassBytes = 8e9;          // weights as held plus one pass's memory

// Data specificity's kernel sums (analysis/data_specificity.h: a double per kernel entry,
// held for the whole run): ViT-B/16 at 224 px needs 45 MB, at 384 px 383 MB, ViT-L/16
// at 384 px 1.0 GB. A run also holds the float32 mean and the files it writes in memory
// (about 1.5 times the sums more) at its end.
constexpr double kMaxKernelSumsBytes = 2e9;

struct PassCost {
    double macs = 0, bytes = 0;
};

// Throws InputError when `cost` is over the budget: "At W x H pixels one pass of <model>
// would take N billion multiply-adds and about M GB, more than the 100 billion and 8 GB
// allowed; <advice>."
void check_pass_cost(const PassCost& cost, const std::string& model, int width, int height, const std::string& advice);

// Throws InputError when `bytes` of kernel sums are over kMaxKernelSumsBytes: "Data
// specificity's kernel sums would take N GB (<shapes>), more than the 2 GB allowed; <advice>."
void check_kernel_sums_cost(double bytes, const std::string& shapes, const std::string& advice);

}  // namespace ks
