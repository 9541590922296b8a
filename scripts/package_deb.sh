#!/usr/bin/env bash
# Builds the distributable .deb: a release build for any x86-64 (KS_NATIVE=OFF: no
# -march=native; oneDNN and core/kernels still pick AVX2 / AVX-512 at run time) in
# build-deb/, without tests or benchmarks, then cpack -G DEB. The package is written to
# build-deb/kernelscope_<version>_amd64.deb; install it with
#   sudo apt install ./build-deb/kernelscope_<version>_amd64.deb
# Needs what scripts/bootstrap.sh installs (dpkg-dev for dpkg-shlibdeps included).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-deb -DCMAKE_BUILD_TYPE=Release -DKS_NATIVE=OFF -DKS_BUILD_GUI=ON \
      -DKS_BUILD_TESTS=OFF -DKS_BUILD_BENCH=OFF
cmake --build build-deb -j"$(nproc)" --target kernelscope
(cd build-deb && cpack -G DEB)
ls -l build-deb/*.deb
