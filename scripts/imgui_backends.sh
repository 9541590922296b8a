#!/usr/bin/env bash
# Prints the folder holding Dear ImGui's GLFW and OpenGL 3 backend sources, for CMake's
# KS_IMGUI_BACKENDS_DIR. Debian's libimgui-dev installs them under /usr/share/doc, which
# slim images exclude (a dpkg path-exclude): the package reports as installed, the files
# are absent. Then the installed version's .deb (apt's cache, else `apt-get download`) is
# unpacked with `dpkg-deb -x` into BUILD_DIR/_imgui_pkg, and that copy's folder is printed.
#   scripts/imgui_backends.sh BUILD_DIR        used by scripts/bootstrap.sh
# KS_IMGUI_DOC_DIR overrides the installed folder (tests/imgui_backends_test.sh points it at
# an empty one); KS_APT_ARCHIVES the cache searched for the .deb; KS_IMGUI_APT_UPDATE=0 skips
# `apt-get update` when the download fails. Exit 1 when no copy can be had.
set -euo pipefail

doc_dir=${KS_IMGUI_DOC_DIR:-/usr/share/doc/libimgui-dev/examples/backends}
archives=${KS_APT_ARCHIVES:-/var/cache/apt/archives}
rel=usr/share/doc/libimgui-dev/examples/backends
files=(imgui_impl_glfw.cpp imgui_impl_opengl3.cpp)

has_backends() { local f; for f in "${files[@]}"; do [[ -f $1/$f ]] || return 1; done; }

if has_backends "$doc_dir"; then echo "$doc_dir"; exit 0; fi

dest=$1/_imgui_pkg
if has_backends "$dest/$rel"; then echo "$dest/$rel"; exit 0; fi

# The sources must match the installed headers: the same version of the package.
version=$(dpkg-query -W -f='${Version}' libimgui-dev 2>/dev/null || true)
[[ -n $version ]] || { echo "imgui_backends: libimgui-dev is not installed" >&2; exit 1; }
arch=$(dpkg --print-architecture)
echo "imgui_backends: $doc_dir lacks ${files[*]} (is /usr/share/doc excluded by dpkg?);" \
     "taking them from the libimgui-dev $version package" >&2
mkdir -p "$dest/deb"
# apt's cache names files with the epoch's ':' as %3a.
deb=$archives/libimgui-dev_${version//:/%3a}_$arch.deb
if [[ ! -f $deb ]]; then
  deb=$(find "$dest/deb" -name 'libimgui-dev_*.deb' | head -n1)
  if [[ -z $deb ]]; then
    fetch() { (cd "$dest/deb" && apt-get download -q "libimgui-dev=$version") >&2; }
    if ! fetch; then
      failed="imgui_backends: apt-get download libimgui-dev=$version failed"
      [[ ${KS_IMGUI_APT_UPDATE:-1} == 1 ]] || { echo "$failed" >&2; exit 1; }
      # A fresh image may have no package lists yet.
      sudo_cmd=()
      [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
      "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || true
      fetch || { echo "$failed" >&2; exit 1; }
    fi
    deb=$(find "$dest/deb" -name 'libimgui-dev_*.deb' | head -n1)
  fi
fi
dpkg-deb -x "$deb" "$dest"
has_backends "$dest/$rel" || { echo "imgui_backends: $deb holds no ${files[*]}" >&2; exit 1; }
echo "imgui_backends: unpacked $(basename "$deb") into $dest" >&2
echo "$dest/$rel"
