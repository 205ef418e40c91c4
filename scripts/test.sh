#!/usr/bin/env bash
# Builds Vigil and runs every test, in two stages. Installs missing packages first.
#   0. scripts/format.sh --check: every tracked C++ file as .clang-format says.
#   1. build/: gcc, RelWithDebInfo: the .deb packages (scripts/package.sh) and their install on
#      a fresh Debian 12 (scripts/package_check.sh), the GoogleTest suite (unit + system tests).
#   2. build-asan-fuzz/: one clang build with ASan + UBSan and libFuzzer instrumentation:
#      the same whole suite under the sanitizers (vigild, vigilctl, vigil-sim and the
#      dashboard that tests start are the sanitized programs too), then every libFuzzer
#      target for FUZZ_SECONDS over its seed corpus (ctest label `fuzz`).
# Usage: scripts/test.sh    FUZZ_SECONDS=20 by default; FUZZ=0 skips the fuzz targets;
#                           SANITIZE=0 skips stage 2 altogether.
# Ends with "total: N passed, N failed" over both stages.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh build
# The web view's browser test: playwright-core as locked in tests/web/package-lock.json,
# driving Debian's chromium (installed above); never a browser of playwright's own. A failure
# here leaves the test to fail loudly (web_view_browser), it is not skipped.
(cd tests/web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund) || status_npm=1
jobs=$(nproc)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# ctest's own summary line, "100% tests passed, 0 tests failed out of 408", as "passed failed".
counts() { sed -n 's/.*tests passed, \([0-9]*\) tests\{0,1\} failed out of \([0-9]*\).*/\2 \1/p' "$1" | tail -n1; }
elapsed() { local s=$(($(date +%s) - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

status=${status_npm:-0}
# Formatting first: seconds, and an unformatted file fails the run (the suite still runs).
format_failed=0
scripts/format.sh --check || { status=1 format_failed=1; }

stage1=$(date +%s)
# Optimised as shipped, but without debug info: -g costs about a fifth of CI's compile time
# and CI never opens a debugger (a developer's own build keeps it). A unity build (16 sources
# per compiler run) parses Boost.Asio, protobuf and GoogleTest once per batch instead of once
# per file; a developer's own build stays file by file, for quick rebuilds.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_WERROR=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" \
  -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16
cmake --build build -j "$jobs"
# The .deb packages from the tree just built (~25 s: strip, dpkg-shlibdeps, lintian); ctest's
# package_contents then checks them again with the rest. A failure counts as one test.
package_failed=0
BUILD_DIR=build scripts/package.sh || { status=1 package_failed=1; }
# Those packages on a fresh Debian 12 (scripts/package_check.sh): a debootstrapped bookworm
# root, apt install, vigild started as its unit says, /healthz, /metrics against
# docs/operations.md, man vigild, vigilctl health, stop, apt purge. One counted test; its
# transcript is printed when it fails. Cold (no root cached in build/package-check: CI's
# fresh clone) 3.6 min on 2 cores busy with other builds, 2.8 of them debootstrap and the
# tarball; under 1 min with the root cached.
# Exit 77 (not root, no debootstrap) skips it, saying so. It runs beside the suite below: it
# waits mostly on the mirror and the disk, in a network namespace of its own (no port can
# clash), and the suite mostly waits too; one after the other they were ~4 min of CI's 26.
package_check=skipped check_pid=
if [ $package_failed -eq 0 ]; then
  # A deadline: a mirror that stops answering must not hold up the whole run.
  (BUILD_DIR=build timeout 1200 scripts/package_check.sh >"$logs/package_check.txt" 2>&1) &
  check_pid=$!
fi
# The optimised suite mostly waits (daemons, loopback, pseudo-terminals: ~100 CPU s in
# ~240 s of -j2), so it runs two tests per core; the sanitized stage is CPU-bound and keeps one.
(cd build && ctest --output-on-failure -j $((jobs * 2)) --timeout 600) 2>&1 | tee "$logs/unit.log" || status=1
if [ -n "$check_pid" ]; then
  check_rc=0
  wait "$check_pid" || check_rc=$?
  case $check_rc in
    0) package_check=passed; tail -n1 "$logs/package_check.txt" ;;
    77) tail -n1 "$logs/package_check.txt" ;;
    *)
      package_check=failed status=1
      cat "$logs/package_check.txt"
      echo "FAILED: scripts/package_check.sh (the packages on a fresh Debian 12): $(tail -n1 "$logs/package_check.txt")"
      ;;
  esac
fi
times="stage 1 (gcc build + tests): $(elapsed "$stage1")"

if [ "${SANITIZE:-1}" != "0" ]; then
  stage2=$(date +%s)
  # A sanitizer report ends the program with exit code 86, which no test expects from a
  # child (0, 1, 2); a report in a child's stderr also fails the test (~ChildProcess).
  # UBSan already aborts on the first finding (-fno-sanitize-recover=undefined).
  # verify_asan_link_order=0: some tests preload a library (Mesa's driver for the dashboard,
  # libfaketime for the clock-step test) ahead of the ASan runtime.
  export ASAN_OPTIONS="detect_leaks=1:exitcode=86:check_initialization_order=1:verify_asan_link_order=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=86"
  export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
  # The preset is a unity build like stage 1, compiled with -O1 -gline-tables-only: file:line
  # in reports; -O1 (what the ASan manual recommends) runs the sanitized suite faster than -O0.
  # 20 s per fuzz target: CI's run is a regression check (every seed is replayed in the first
  # second) plus a short exploration; 13 targets at 30 s were 3.5 min of a 2-core stage.
  # Long exploration is scripts/fuzz.sh's job.
  cmake --preset asan-fuzz -DVIGIL_FUZZ_SECONDS="${FUZZ_SECONDS:-20}"  # build-asan-fuzz/
  cmake --build build-asan-fuzz -j "$jobs"
  select=()
  [ "${FUZZ:-1}" = "0" ] && select=(-LE fuzz)
  (cd build-asan-fuzz && ctest --output-on-failure -j "$jobs" --timeout 900 "${select[@]}") 2>&1 \
    | tee "$logs/sanitize.log" || status=1
  times+=", stage 2 (clang ASan+UBSan+fuzz build + tests + fuzz): $(elapsed "$stage2")"
fi

total=0 failed=0
for log in "$logs"/*.log; do
  read -r t f <<<"$(counts "$log")" || true
  total=$((total + ${t:-0})) failed=$((failed + ${f:-0}))
done
total=$((total + 2)) failed=$((failed + format_failed + package_failed))  # format check, packages
[ "$package_check" = skipped ] || total=$((total + 1))  # the fresh Debian 12 install
[ "$package_check" = failed ] && failed=$((failed + 1))
echo "$times"
echo "total: $((total - failed)) passed, $failed failed"
exit $status
