// OpenMP's wait policy (app/wait_policy.h): every kernelscope process runs with
// OMP_WAIT_POLICY=passive unless the user chose a policy, and libgomp itself sees it.
// No timing here: bench/app_latency.sh measures what it is for.
#include <gtest/gtest.h>

#include "test_support.h"

namespace {

// The binary run from an environment without any wait-policy setting, plus `env`.
ks::test::RunResult run_clean(const std::string& env, const std::string& args) {
    return ks::test::run_command("env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT -u KS_OMP_WAIT_SET " + env + " '" + KS_BINARY + "' " +
                                 args + " 2>&1");
}

// The spin count libgomp printed last (OMP_DISPLAY_ENV=verbose prints it as each process
// starts, so a re-executed binary prints twice: the last one is the process that ran).
std::string last_spin_count(const std::string& out) {
    const std::string key = "GOMP_SPINCOUNT = '";
    const size_t at = out.rfind(key);
    if (at == std::string::npos) return "(none printed)";
    return out.substr(at + key.size(), out.find('\'', at + key.size()) - at - key.size());
}

}  // namespace

TEST(WaitPolicy, PassiveByDefaultAndLibgompSeesIt) {
    const auto r = run_clean("OMP_DISPLAY_ENV=verbose", "--version");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("OpenMP wait policy: passive (set by kernelscope)"), std::string::npos) << r.output;
    // Spin count 0: a thread with nothing to do sleeps at once (libgomp's default spins 300000 times).
    EXPECT_EQ(last_spin_count(r.output), "0") << r.output;
}

TEST(WaitPolicy, TheUsersChoiceStands) {
    const auto active = run_clean("OMP_WAIT_POLICY=active", "--version");
    ASSERT_EQ(active.exit_code, 0) << active.output;
    EXPECT_NE(active.output.find("OpenMP wait policy: active (OMP_WAIT_POLICY)"), std::string::npos) << active.output;
    const auto spin = run_clean("GOMP_SPINCOUNT=1000", "--version");
    ASSERT_EQ(spin.exit_code, 0) << spin.output;
    EXPECT_NE(spin.output.find("OpenMP wait policy: GOMP_SPINCOUNT=1000"), std::string::npos) << spin.output;
}

// The marker of a re-executed process stops a second re-exec even if the policy variable
// went missing: the binary runs (with libgomp's default) instead of looping.
TEST(WaitPolicy, NeverReexecutesTwice) {
    const auto r = run_clean("KS_OMP_WAIT_SET=1", "--version");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("OpenMP wait policy: spin (libgomp's default)"), std::string::npos) << r.output;
}

// `bench` says which policy it measured under, so its figures compare with the app's.
TEST(WaitPolicy, BenchReportsIt) {
    const auto r = run_clean("", "bench --runs 1 --threads 1 --weights '" + ks::test::kWeights + "'");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("OpenMP wait policy passive (set by kernelscope)"), std::string::npos) << r.output;
}
