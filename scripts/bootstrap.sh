#!/usr/bin/env bash
# Installs the Debian packages kernelscope needs (only those missing), then configures
# and builds into build/. Used by both commands at the top of the README.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake g++ make pkg-config
  libimgui-dev libglfw3-dev libgl-dev libstb-dev libeigen3-dev nlohmann-json3-dev
  googletest libgtest-dev
  libdnnl-dev
  zlib1g-dev  # PNG output (core/io/png_encode.cpp)
  xvfb xauth libgl1-mesa-dri fonts-dejavu-core
  dpkg-dev  # dpkg-shlibdeps: the .deb's dependencies (cpack, tests/install_test.sh)
  clang     # the libFuzzer targets (scripts/fuzz.sh), which CI builds and runs briefly
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# Unity build: core and tests compile as batches of 8 sources (the app's sources share
# helper names in anonymous namespaces and stay separate); a fresh build takes about a
# third less time.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8
cmake --build build -j"$(nproc)"
