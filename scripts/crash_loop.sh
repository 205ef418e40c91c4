#!/usr/bin/env bash
# The long kill -9 loop (power loss must never lose an acknowledged reading or alert): vigild is killed with SIGKILL at seeded random points in
# the middle of a reading flood and an alert burst, then restarted on the same database, N
# times. After every restart each reading that was ACKed (AA) and each alert transition a
# watching client printed must be in the database, the open session must be shown again,
# and PRAGMA integrity_check must say ok.
#
# The loop itself is the CrashLoop test in faults_e2e_test (CI runs it with 5 iterations);
# this script runs it long. It builds nothing: build the `faults_e2e_test`, `vigild` and
# `vigilctl` targets first.
#
#   scripts/crash_loop.sh [--iterations N] [--seed S] [--build DIR]
#
# Prints one "[crash] ..." line per iteration and a "[crash] total ..." line; exits non-zero
# on any lost record, integrity failure or other test failure.
set -euo pipefail

iterations=200
seed=$(( $(date +%s) % 100000 ))
build="$(cd "$(dirname "$0")/.." && pwd)/build"

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --iterations) iterations="${2:?--iterations needs a number}"; shift 2 ;;
    --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
    --build) build="${2:?--build needs a directory}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "crash_loop.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$iterations" =~ ^[0-9]+$ && "$iterations" -ge 1 ]] || { echo "crash_loop.sh: --iterations must be a positive number" >&2; exit 2; }
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "crash_loop.sh: --seed must be a number" >&2; exit 2; }

test_bin="$build/tests/faults_e2e_test"
for f in "$test_bin" "$build/bin/vigild" "$build/bin/vigilctl"; do
  [[ -x "$f" ]] || { echo "crash_loop.sh: $f is missing; build faults_e2e_test, vigild and vigilctl in $build first" >&2; exit 2; }
done

echo "crash_loop.sh: $iterations kill -9 iterations, seed $seed (repeat with --seed $seed)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
VIGIL_CRASH_ITERATIONS="$iterations" VIGIL_CRASH_SEED="$seed" \
  "$test_bin" --gtest_filter='CrashLoop.*' --gtest_color=no 2>&1 | tee "$log" | grep --line-buffered -E '^\[crash\]|Failure|FAILED|error'
statuses=("${PIPESTATUS[@]}")
set -e
status=${statuses[0]}

total=$(grep -E '^\[crash\] total' "$log" | tail -1 || true)
if [[ -z "$total" ]]; then
  echo "crash_loop.sh: FAILED: the loop did not finish (exit $status); last lines:" >&2
  tail -20 "$log" >&2
  exit 1
fi
lost_readings=$(sed -E 's/.*lost readings ([0-9]+).*/\1/' <<<"$total")
lost_alerts=$(sed -E 's/.*lost alerts ([0-9]+).*/\1/' <<<"$total")
if [[ "$status" -ne 0 || "$lost_readings" != 0 || "$lost_alerts" != 0 ]]; then
  echo "crash_loop.sh: FAILED (test exit $status, lost readings $lost_readings, lost alerts $lost_alerts)" >&2
  exit 1
fi
echo "crash_loop.sh: OK: $iterations iterations, lost=0, integrity_check ok every time"
