#pragma once
// `kernelscope bench`: how long the model takes on this machine, one figure a line.
#include <string>
#include <vector>

namespace ks {

// Parses its own flags (--weights, --config, --image, --runs, --threads, --help) and
// prints: the forward pass's median time (every layer's attention recorded), the
// peak memory, and the time to move the query and to switch layer or head.
// Returns the process exit code; throws InputError on a bad flag.
int run_bench(const std::vector<std::string>& args);
std::string bench_help();

}  // namespace ks
