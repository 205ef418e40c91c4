#!/usr/bin/env bash
# Builds Vigil and runs every test: the GoogleTest suite (unit + system tests), then each
# libFuzzer target briefly on a clang build. Installs missing packages first.
# Usage: scripts/test.sh            (FUZZ_SECONDS=15 by default; FUZZ=0 skips fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh build
jobs=$(nproc)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# ctest's own summary line, "100% tests passed, 0 tests failed out of 408", as "passed failed".
counts() { sed -n 's/.*tests passed, \([0-9]*\) tests\{0,1\} failed out of \([0-9]*\).*/\2 \1/p' "$1" | tail -n1; }

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_WERROR=ON
cmake --build build -j "$jobs"
status=0
(cd build && ctest --output-on-failure -j "$jobs" --timeout 600) 2>&1 | tee "$logs/unit.log" || status=1

if [ "${FUZZ:-1}" != "0" ]; then
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
    -DVIGIL_FUZZ=ON -DVIGIL_TESTS=OFF -DVIGIL_FUZZ_SECONDS="${FUZZ_SECONDS:-15}"
  cmake --build build-fuzz -j "$jobs"
  (cd build-fuzz && ctest --output-on-failure -j "$jobs" -L fuzz) 2>&1 | tee "$logs/fuzz.log" || status=1
fi

total=0 failed=0
for log in "$logs"/*.log; do
  read -r t f <<<"$(counts "$log")" || true
  total=$((total + ${t:-0})) failed=$((failed + ${f:-0}))
done
echo "total: $((total - failed)) passed, $failed failed"
exit $status
