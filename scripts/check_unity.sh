#!/usr/bin/env bash
# The unity build cannot break on a name clash: two files of one target defining the same
# file-local name (anonymous namespace, static) compile apart but not in one unity source.
# Which files share a source depends on CMAKE_UNITY_BUILD_BATCH_SIZE and on the file list,
# so a new file can move a batch boundary. This configures build-unity with the given batch
# size (default 0: each target's files all in one source, so every pair of files meets and
# any clash shows whatever the batch size) and compiles the unity sources of core, the app
# and the tests with -fsyntax-only (a clash is a front-end error; no code is generated, no
# link). Run by scripts/sanitize.sh, so CI.
#   scripts/check_unity.sh [BATCH_SIZE]      exit 1 on a clash
set -euo pipefail
cd "$(dirname "$0")/.."
batch=${1:-0}
dir=build-unity
start=$(date +%s)
imgui_backends=$(scripts/imgui_backends.sh "$PWD/build")
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE="$batch" \
  -DKS_BUILD_BENCH=OFF -DKS_WERROR=ON -DKS_IMGUI_BACKENDS_DIR="$imgui_backends" >/dev/null
# One command per unity source of the three targets, without its output and depfile.
python3 - "$dir" >"$dir/syntax_commands.txt" <<'EOF'
import json, re, shlex, sys
for e in json.load(open(sys.argv[1] + "/compile_commands.json")):
    if not re.search(r"/(kernelscope_core|kernelscope|kernelscope_tests)\.dir/Unity/unity_\d+_cxx\.cxx$", e["file"]):
        continue
    args, out, skip = shlex.split(e["command"]), [], False
    for a in args:
        if skip: skip = False; continue
        if a in ("-o", "-MF", "-MT"): skip = True; continue
        if a in ("-MD", "-c"): continue
        out.append(a)
    print("cd " + shlex.quote(e["directory"]) + " && " + shlex.join(out + ["-fsyntax-only"]))
EOF
n=$(wc -l <"$dir/syntax_commands.txt")
status=0
tr '\n' '\0' <"$dir/syntax_commands.txt" | xargs -0 -P2 -I{} bash -c '{}' || status=1
if (( status )); then
  echo "check_unity: a unity source of batch size $batch fails to compile (above): two files define" \
       "the same file-local name. Make the name unique or put it in a named namespace." >&2
  exit 1
fi
echo "check_unity: $n unity sources (batch size $batch) compile, in $(( $(date +%s) - start )) s"
