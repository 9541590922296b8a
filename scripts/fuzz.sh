#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) into build-fuzz and runs them,
# two at a time at the lowest priority, each for DURATION seconds (default 600) from
# its seed corpus in tests/fuzz/corpus/TARGET. Findings (crash-*, leak-*, timeout-*,
# oom-*) land in build-fuzz/findings/TARGET; a finding makes the script exit 1.
# libFuzzer also saves slow-unit-* files (an input that took over 10 s): they are listed
# but are not failures (on a shared machine a 0.6 s input can take 15 s).
#   scripts/fuzz.sh [DURATION] [TARGET...]     targets: image safetensors config npy settings
#   FUZZ_JOBS=4 scripts/fuzz.sh 600            four at once (default 2; all at once under 60 s)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(image safetensors config npy settings)

CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKS_FUZZ=ON \
  -DKS_BUILD_GUI=OFF -DKS_BUILD_TESTS=OFF -DKS_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j2 --target "${targets[@]/#/fuzz_}"

findings_of() { ls "build-fuzz/findings/$1" 2>/dev/null | grep -E '^(crash|leak|timeout|oom)-' || true; }

run_one() {
  local t=$1
  local work=build-fuzz/corpus/$t findings=build-fuzz/findings/$t
  mkdir -p "$work" "$findings"
  # -rss_limit_mb: a 64-megapixel image decodes to 192 MB plus its float copy. -timeout is
  # generous because the machine may be shared (a run takes milliseconds when it has a core).
  nice -n 19 "build-fuzz/fuzz_$t" "$work" "tests/fuzz/corpus/$t" -max_total_time="$duration" \
    -rss_limit_mb=2560 -timeout=60 -max_len=$([ "$t" = image ] && echo 262144 || echo 65536) \
    -artifact_prefix="$findings/" -print_final_stats=1 >"build-fuzz/fuzz_$t.log" 2>&1 || true
  echo "fuzz $t: $(grep -E 'stat::number_of_executed_units' "build-fuzz/fuzz_$t.log" | awk '{print $2}') runs," \
       "$(findings_of "$t" | wc -l) finding(s), $(ls "$findings" | grep -c '^slow-unit-' || true) slow unit(s)" \
       "(log: build-fuzz/fuzz_$t.log)"
}

# FUZZ_JOBS targets at a time. Default 2, so the machine stays usable; a run of under a
# minute per target (CI's smoke run: the seed corpus replayed, then a little exploration)
# starts every target at once, as its wall time is what CI waits for.
jobs=${FUZZ_JOBS:-$([ "$duration" -lt 60 ] && echo ${#targets[@]} || echo 2)}
status=0
for ((i = 0; i < ${#targets[@]}; i += jobs)); do
  for ((j = i; j < i + jobs && j < ${#targets[@]}; ++j)); do run_one "${targets[j]}" & done
  wait
done
for t in "${targets[@]}"; do
  [ -z "$(findings_of "$t")" ] || status=1
done
exit $status
