#pragma once
// `kernelscope analyze`: the paper's numbers (mean attention distance, Fourier dL by
// sub-block) over every image of a folder, as CSV files and two plots; shards of a
// large folder run anywhere and `analyze --merge` combines them exactly.
#include <string>
#include <vector>

namespace ks {

// Parses its own flags (see analyze_help) and runs; returns the process exit code
// (0 done, 130 stopped by Ctrl+C with what was done written). Throws InputError on a
// bad flag, a missing folder or an unreadable checkpoint.
int run_analyze(const std::vector<std::string>& args);
std::string analyze_help();

}  // namespace ks
