#pragma once
#include "cli_options.h"

namespace ks {

// `kernelscope render`: computes everything in memory first, then writes the files,
// so a failure leaves the output folder as it was. Returns the process exit code.
int run_render(const CliOptions& opt);

}  // namespace ks
