#!/usr/bin/env bash
# Runs every libFuzzer target for a while (the CI run is 15 s each; this is the long one).
# New inputs go to build-fuzz/fuzz/work/<target>; a crash leaves crash-* files there: turn each
# into a regression test (tests/<area>/..._test.cpp with the bytes inline) and add the input
# to tests/fuzz/corpus/<target>/.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET (default 300)] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
shift || true

scripts/install-deps.sh build
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
  -DVIGIL_FUZZ=ON -DVIGIL_TESTS=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for t in build-fuzz/fuzz/*; do [ -f "$t" ] && [ -x "$t" ] && targets+=("$(basename "$t")"); done
fi
failed=0
for t in "${targets[@]}"; do
  work="build-fuzz/fuzz/work/$t"
  mkdir -p "$work"
  echo "== $t: ${seconds}s"
  if ! (cd "$work" && "../../$t" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 \
        . "../../../../tests/fuzz/corpus/$t" 2>&1 | tail -n 12); then
    echo "!! $t found a crash: see $work" >&2
    failed=1
  fi
done
exit $failed
