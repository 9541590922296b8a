#!/usr/bin/env bash
# Dear ImGui's backend sources where /usr/share/doc is excluded (slim Debian images):
#  1. configuring with the backends folder empty fails with the sentence naming the file
#     and the fix (the fallback is not taken by CMake itself);
#  2. scripts/imgui_backends.sh, told the installed folder is empty, fills
#     WORK/_imgui_pkg from the libimgui-dev .deb (apt's cache, else apt-get download);
#  3. configuring with that folder succeeds.
# Skips (exit 77) when no .deb is cached and apt-get download fails (offline).
#   tests/imgui_backends_test.sh SOURCE_DIR WORK_DIR
set -euo pipefail
src=$1 work=$2
rm -rf "$work"
mkdir -p "$work/empty"
common=(-DKS_BUILD_TESTS=OFF -DKS_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Release)

if cmake -S "$src" -B "$work/cfg_empty" "${common[@]}" -DKS_IMGUI_BACKENDS_DIR="$work/empty" >"$work/cfg_empty.log" 2>&1; then
  echo "FAIL: configure with an empty backends folder succeeded" >&2; exit 1
fi
# CMake wraps the message: compare it as one line.
msg=$(tr -s ' \n' ' ' <"$work/cfg_empty.log")
for want in "Dear ImGui's backend source $work/empty/imgui_impl_glfw.cpp is missing" \
            "Fix: run scripts/bootstrap.sh, which extracts it from the package" \
            "-DKS_IMGUI_BACKENDS_DIR="; do
  [[ $msg == *"$want"* ]] || { echo "FAIL: configure error lacks: $want" >&2; cat "$work/cfg_empty.log" >&2; exit 1; }
done
echo "ok: empty backends folder -> configure error names the file and the fix"

if ! dir=$(KS_IMGUI_DOC_DIR="$work/empty" KS_IMGUI_APT_UPDATE=0 "$src/scripts/imgui_backends.sh" "$work" 2>"$work/fallback.log"); then
  cat "$work/fallback.log" >&2
  if grep -q "apt-get download .* failed" "$work/fallback.log"; then
    echo "SKIP: no libimgui-dev .deb in apt's cache and apt-get download failed (offline?)"; exit 77
  fi
  echo "FAIL: scripts/imgui_backends.sh failed" >&2; exit 1
fi
cat "$work/fallback.log"
[[ $dir == "$work/_imgui_pkg/usr/share/doc/libimgui-dev/examples/backends" ]] ||
  { echo "FAIL: fallback printed '$dir', not the folder unpacked into $work/_imgui_pkg" >&2; exit 1; }
for f in imgui_impl_glfw.cpp imgui_impl_opengl3.cpp; do
  [[ -s $dir/$f ]] || { echo "FAIL: $dir/$f missing after the fallback" >&2; exit 1; }
done
echo "ok: fallback unpacked the backends from the .deb into $dir"

cmake -S "$src" -B "$work/cfg_pkg" "${common[@]}" -DKS_IMGUI_BACKENDS_DIR="$dir" >"$work/cfg_pkg.log" 2>&1 ||
  { cat "$work/cfg_pkg.log" >&2; echo "FAIL: configure with the unpacked backends failed" >&2; exit 1; }
echo "ok: configure with the unpacked backends succeeds"
