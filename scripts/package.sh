#!/usr/bin/env bash
# Builds the .deb packages into build/packages/: vigil (vigild, vigilctl, vigil-sim, units,
# config, man pages, docs, sysusers/tmpfiles) and vigil-dashboard. CPack over an already
# built tree (cmake/packaging.cmake says why): after scripts/test.sh only the man pages and
# the packaging itself are left to do. Then checks what went in (tests/package/check_packages.sh)
# and runs lintian when it is installed.
# Usage: scripts/package.sh            BUILD_DIR=build by default
#        LINTIAN=0 scripts/package.sh  skips lintian
# Install: sudo apt install ./build/packages/vigil_*.deb (docs/install.md).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD_DIR:-build}
out=$build/packages
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
# Only what the packages hold, not the tests; CPack's own "preinstall" step then finds the
# tree built (with CMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON it does not build `all` at all).
targets=(vigild vigilctl vigil-sim vigild_man vigilctl_man vigil-sim_man vigil_changelog vigil-dashboard_changelog)
if grep -q '^VIGIL_IMGUI_FOUND:INTERNAL=1' "$build/CMakeCache.txt" 2>/dev/null || [ -f "$build/bin/vigil-dashboard" ]; then
  targets+=(vigil-dashboard vigil-dashboard_man)
fi
cmake --build "$build" --target "${targets[@]}"
rm -rf "$out"
mkdir -p "$out"
(cd "$build" && cpack -G DEB -B "$PWD/packages" >/dev/null)
rm -rf "$out/_CPack_Packages"
ls -l "$out"/*.deb

tests/package/check_packages.sh "$out"
if [ "${LINTIAN:-1}" != 0 ] && command -v lintian >/dev/null; then
  # Warnings and errors; the overrides say why each remaining tag is accepted.
  lintian --suppress-tags-from-file tests/package/lintian-accepted --fail-on error "$out"/*.deb
fi
