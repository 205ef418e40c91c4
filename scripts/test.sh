#!/usr/bin/env bash
# Builds Vigil and runs every test: the GoogleTest suite (unit + system tests), then each
# libFuzzer target briefly on a clang build. Installs missing packages first.
# Usage: scripts/test.sh            (FUZZ_SECONDS=15 by default; FUZZ=0 skips fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh build
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_WERROR=ON
cmake --build build -j "$jobs"
(cd build && ctest --output-on-failure -j "$jobs" --timeout 600)

if [ "${FUZZ:-1}" != "0" ]; then
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
    -DVIGIL_FUZZ=ON -DVIGIL_TESTS=OFF -DVIGIL_FUZZ_SECONDS="${FUZZ_SECONDS:-15}"
  cmake --build build-fuzz -j "$jobs"
  (cd build-fuzz && ctest --output-on-failure -j "$jobs" -L fuzz)
fi
