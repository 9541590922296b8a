#pragma once
// OpenMP's wait policy for every kernelscope process (the app and the CLI alike).
//
// libgomp's default lets a thread that has finished its part of a parallel region spin
// on its core for about 300 000 iterations before it sleeps. The model runs hundreds of
// short regions a step (a product or a conv each), so its threads almost never sleep:
// on a 2-core desktop they take the cores the UI thread, the GL driver and the other
// programs need, and the step itself waits for whoever was preempted. With
// OMP_WAIT_POLICY=passive they sleep at once (measured in bench/app_latency.sh).
//
// libgomp reads the variable once, in its constructor, before main() runs, so setting
// it in main() would come too late (a .preinit_array setenv does not reach it either:
// glibc resets the environment pointer afterwards). The only way in is the process's
// own environment at exec time, hence one re-exec of this binary.
#include <string>

namespace ks {

// Called first thing in main(). When neither OMP_WAIT_POLICY nor GOMP_SPINCOUNT is set
// (a user's own setting always wins), sets OMP_WAIT_POLICY=passive and re-executes
// /proc/self/exe with the same arguments; KS_OMP_WAIT_SET=1 marks the re-executed
// process so it never does it again. Returns only when no re-exec was needed or it
// failed (the run then goes on with libgomp's default).
void use_passive_omp_wait(char** argv);

// The policy in effect, for --version and `bench`: "passive (set by kernelscope)",
// "passive (OMP_WAIT_POLICY)", "active (OMP_WAIT_POLICY)", "GOMP_SPINCOUNT=N", or
// "spin (libgomp's default)" when the re-exec could not be done.
std::string omp_wait_policy_description();

}  // namespace ks
