#!/usr/bin/env bash
# ASan + UBSan build of everything (GUI included) in build-asan, then its whole test
# suite. Any sanitizer report fails the test that caused it (-fno-sanitize-recover,
# halt_on_error). Leaks inside Debian's own libraries (Mesa, X11, GLFW) are suppressed
# in tests/sanitize/lsan.supp, each with its reason. CI runs this after the normal suite.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
start=$(date +%s)

# First the unity build's name clashes (about a minute): every target's files in one source.
scripts/check_unity.sh 0

# -O1: about twice as fast to build as -O2 under ASan, and the tests stay quick. -g1 (line
# tables: a report still names every function, file and line) and unity batches of 16
# (the check above compiles any batch size): 338 s to build against 448 with -g and 8.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" -DKS_SANITIZE=ON -DKS_BUILD_BENCH=OFF \
  -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 >/dev/null
cmake --build build-asan -j"$(nproc)"

export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:strict_string_checks=1:check_initialization_order=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitize/lsan.supp:print_suppressions=0"
# The binary re-executes itself once to set OMP_WAIT_POLICY (app/wait_policy.h); under ASan
# that doubles every process's start-up (0.3 s against 0.16 s), and the CLI tests start
# hundreds. The normal suite tests the re-exec (test_wait_policy clears the variable).
export OMP_WAIT_POLICY=passive
# The cut-text matrix runs at one size here: the layout is the normal suite's to check.
export KS_GUI_SIZES="1024x700:2"
# One run, the GUI tests beside the others (their leak detection is off per test,
# CMakeLists.txt). Left to the normal suite, as the sanitizers add nothing there:
#   gui_damage: pixel equality of damaged and whole frames (every GUI test runs the
#     damage tracking);
#   package_deb, slurm_recipe, parallel_recipe: packaging and the README's shell recipes
#     around the same analyze runs the CLI tests make;
#   imgui_backends_fallback: a CMake configure of a build;
#   gui_render_parity and CliFlags' two matrices: the same runs as other tests (render and
#     the app on one set of flags; every command given each other command's flags),
#     compared for equal outputs and refusals.
ctest --test-dir build-asan --output-on-failure -j2 \
  -E '^(gui_damage|package_deb|slurm_recipe|parallel_recipe|imgui_backends_fallback|gui_render_parity|CliFlags\.EachCommandRefusesTheOtherCommandsFlags|CliFlags\.AFlagTheModelDoesNotUseIsRefused)$'
echo "sanitize: ASan + UBSan suite passed in $(( $(date +%s) - start )) s"
