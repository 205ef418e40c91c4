#!/usr/bin/env bash
# Runs every libFuzzer target for a while, one at a time (CI runs each for 20 s as part of
# scripts/test.sh; this is the long run). The targets come from the same clang build as CI's
# sanitizer stage (build-asan-fuzz: ASan + UBSan + libFuzzer instrumentation); only the fuzz
# targets are built here.
# New inputs go to <build>/fuzz/work/<target>; a crash leaves crash-* files there: turn each
# into a regression test (tests/<area>/..._test.cpp with the bytes inline) and add the input
# to tests/fuzz/corpus/<target>/.
# Usage: scripts/fuzz.sh [-j BUILD_JOBS] [--build DIR] [SECONDS_PER_TARGET (default 300)] [TARGET...]
# Ends with one line per target: executions, new corpus entries, crash or not.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-asan-fuzz
jobs=$(nproc)
while [[ $# -gt 0 ]]; do
  case "$1" in
    -j) jobs="${2:?-j needs a number}"; shift 2 ;;
    --build) build="${2:?--build needs a directory}"; shift 2 ;;
    *) break ;;
  esac
done
seconds=${1:-300}
shift || true
# Absolute: each target runs in its own work directory, and its log is written from there.
[[ $build = /* ]] || build=$PWD/$build

scripts/install-deps.sh build
cmake --preset asan-fuzz -B "$build" >/dev/null
cmake --build "$build" -j "$jobs" --target fuzzers

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for t in "$build"/fuzz/*; do [ -f "$t" ] && [ -x "$t" ] && targets+=("$(basename "$t")"); done
fi
root=$PWD
failed=0
summary=()
for t in "${targets[@]}"; do
  work="$build/fuzz/work/$t"
  mkdir -p "$work"
  echo "== $t: ${seconds}s"
  log="$work/last-run.log"
  result=ok
  if ! (cd "$work" && ASAN_OPTIONS=detect_leaks=1 "$build/fuzz/$t" -max_total_time="$seconds" \
        -rss_limit_mb=2048 -print_final_stats=1 . "$root/tests/fuzz/corpus/$t" >"$log" 2>&1); then
    result="CRASH (see $work)"
    failed=1
  fi
  tail -n 12 "$log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  new=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -n1)
  summary+=("$(printf '%-24s %12s execs %6s new inputs  %s' "$t" "${execs:-?}" "${new:-?}" "$result")")
done
printf '%s\n' "${summary[@]}"
exit $failed
