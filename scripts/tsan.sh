#!/usr/bin/env bash
# ThreadSanitizer run of the multi-threaded parts (races there show up rarely, and only a tool finds them): the store's writer thread,
# the dashboard model and its network thread, the stream server and client, and the vigild
# system tests, where the vigild and vigilctl the tests start are TSan builds too (a race
# report in one of them fails the test: ~ChildProcess). Builds the `tsan` preset (gcc,
# -fsanitize=thread), only the targets these need. Not part of CI (scripts/test.sh).
# Usage: scripts/tsan.sh [-j JOBS] [--build DIR (default build-tsan)] [EXTRA CTEST ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-tsan
jobs=$(nproc)
while [[ $# -gt 0 ]]; do
  case "$1" in
    -j) jobs="${2:?-j needs a number}"; shift 2 ;;
    --build) build="${2:?--build needs a directory}"; shift 2 ;;
    *) break ;;
  esac
done

# Test executables (each one's tests carry its name as a ctest label).
parts=(store_test client_test stream_loopback_test stream_watch_test
  e2e_test alerts_e2e_test serial_e2e_test security_e2e_test faults_e2e_test clock_step_e2e_test)

scripts/install-deps.sh build
# No -Werror here: gcc warns (-Wtsan) that TSan does not model atomic_thread_fence, which
# Boost.Asio uses; the CI builds check warnings.
cmake --preset tsan -B "$build" -G Ninja -DVIGIL_WERROR=OFF
cmake --build "$build" -j "$jobs" --target "${parts[@]}" vigild vigilctl vigil-sim

# Report every race (not just the first) and fail the program at exit when there was one.
export TSAN_OPTIONS="halt_on_error=0:exitcode=66:second_deadlock_stack=1:history_size=4"
label="^($(IFS='|'; echo "${parts[*]}"))\$"
start=$(date +%s)
(cd "$build" && ctest --output-on-failure -j "$jobs" --timeout 900 -L "$label" "$@")
echo "tsan.sh: ${#parts[@]} test programs clean under ThreadSanitizer in $(( $(date +%s) - start )) s"
