#include "wait_policy.h"

#include <cstdlib>
#include <strings.h>
#include <unistd.h>

namespace ks {

namespace {

constexpr const char* kMarker = "KS_OMP_WAIT_SET";

const char* env_set(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? v : nullptr;
}

}  // namespace

void use_passive_omp_wait(char** argv) {
    if (env_set("OMP_WAIT_POLICY") || env_set("GOMP_SPINCOUNT") || env_set(kMarker)) return;
    if (setenv("OMP_WAIT_POLICY", "passive", 1) != 0 || setenv(kMarker, "1", 1) != 0) return;
    execv("/proc/self/exe", argv);
    // No /proc (or exec refused): run on with the spinning default rather than not at all,
    // and say so where the policy is reported.
    unsetenv("OMP_WAIT_POLICY");
}

std::string omp_wait_policy_description() {
    const char* policy = env_set("OMP_WAIT_POLICY");
    const char* spin = env_set("GOMP_SPINCOUNT");
    if (policy) {
        const std::string p = strcasecmp(policy, "passive") == 0 ? "passive" : strcasecmp(policy, "active") == 0 ? "active" : policy;
        return p + (env_set(kMarker) ? " (set by kernelscope)" : " (OMP_WAIT_POLICY)") + (spin ? std::string(", GOMP_SPINCOUNT=") + spin : "");
    }
    if (spin) return std::string("GOMP_SPINCOUNT=") + spin;
    return "spin (libgomp's default)";
}

}  // namespace ks
