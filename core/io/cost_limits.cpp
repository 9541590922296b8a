#include "io/cost_limits.h"

#include <cstdio>

#include "io/input_error.h"

namespace ks {

void check_pass_cost(const PassCost& cost, const std::string& model, int width, int height, const std::string& advice) {
    if (cost.macs <= kMaxPassMacs && cost.bytes <= kMaxPassBytes) return;
    char buf[320];
    std::snprintf(buf, sizeof buf,
                  "At %d x %d pixels one pass of %s would take %.0f billion multiply-adds and about %.1f GB, more than the "
                  "%.0f billion and %.0f GB allowed; %s.",
                  width, height, model.c_str(), cost.macs / 1e9, cost.bytes / 1e9, kMaxPassMacs / 1e9, kMaxPassBytes / 1e9,
                  advice.c_str());
    throw InputError(buf);
}

void check_kernel_sums_cost(double bytes, const std::string& shapes, const std::string& advice) {
    if (bytes <= kMaxKernelSumsBytes) return;
    char buf[400];
    std::snprintf(buf, sizeof buf, "Data specificity's kernel sums would take %.2f GB (%s), more than the %.0f GB allowed; %s.", bytes / 1e9,
                  shapes.c_str(), kMaxKernelSumsBytes / 1e9, advice.c_str());
    throw InputError(buf);
}

}  // namespace ks
