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
  munge slurmctld slurmd slurm-client parallel  # the README's cluster recipes, run by tests/cluster/recipe_test.sh
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

# Dear ImGui's GLFW / OpenGL 3 backends are sources under /usr/share/doc; where dpkg
# excludes that folder they are unpacked from the package into build/_imgui_pkg.
imgui_backends=$(scripts/imgui_backends.sh "$PWD/build")

# Unity build: core, app and tests compile as batches of 8 sources; a fresh build takes
# about a third less time (file-local names are unique per target: scripts/check_unity.sh).
# KS_WERROR: kernelscope's own code has no warning under -Wall -Wextra, and CI (which runs
# this script) keeps it so. KS_WERROR=OFF scripts/bootstrap.sh for a compiler newer than
# Debian 12's GCC 12 that warns about something new.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8 \
  -DKS_WERROR="${KS_WERROR:-ON}" -DKS_IMGUI_BACKENDS_DIR="$imgui_backends"
cmake --build build -j"$(nproc)"
