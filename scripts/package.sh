#!/usr/bin/env bash
# Builds the .deb packages into build/packages/: vigil (vigild, vigilctl, vigil-sim, units,
# config, man pages, docs, sysusers/tmpfiles) and vigil-dashboard. CPack over an already
# built tree (cmake/packaging.cmake says why): after a full build only the packaging itself
# is left to do (~25 s with lintian; scripts/test.sh runs it). Then checks what went in (tests/package/check_packages.sh)
# and runs lintian when it is installed.
# Usage: scripts/package.sh            BUILD_DIR=build by default
#        LINTIAN=0 scripts/package.sh  skips lintian
# Install: sudo apt install ./build/packages/vigil_*.deb (docs/install.md).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD_DIR:-build}
out=$build/packages
if [ ! -f "$build/CMakeCache.txt" ]; then
  # A tree only for packaging: no tests, and `cpack` must not build what it does not ship.
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_TESTS=OFF \
    -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON
fi
# Only what the packages hold (cmake/packaging.cmake). In a tree scripts/test.sh built this
# finds everything done; CPack's own "preinstall" step then builds `all` unless the tree was
# configured with CMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON.
cmake --build "$build" --target vigil_package_inputs
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
