#!/usr/bin/env bash
# Installs the Debian packages Vigil needs, only those missing. Needs root (or sudo) when
# anything is missing. Usage: scripts/install-deps.sh [build|demo|bench|all]
set -euo pipefail

what=${1:-build}
build_pkgs=(build-essential cmake ninja-build pkg-config
  libboost-dev libprotobuf-dev protobuf-compiler libgtest-dev libgmock-dev
  libsqlite3-dev sqlite3 libcli11-dev libspdlog-dev libfmt-dev libbenchmark-dev
  libssl-dev openssl
  clang libclang-rt-14-dev clang-format-14
  libimgui-dev libglfw3-dev libgl-dev libasound2-dev fonts-dejavu-core
  xvfb libgl1-mesa-dri imagemagick xdotool
  libcairo2-dev poppler-utils
  faketime libfaketime
  help2man debootstrap
  python3-hl7
  chromium)
demo_pkgs=()
# The peer HL7 servers of the ingest benchmark (tests/bench/peers/): python-hl7, and node
# with npm for Medplum's server (installed from npm at bench time, see install_peers.sh).
bench_pkgs=(python3-hl7)
pkgs=("${build_pkgs[@]}")
case "$what" in
  build) ;;
  demo) pkgs+=("${demo_pkgs[@]}") ;;
  bench) pkgs+=("${bench_pkgs[@]}") ;;
  all) pkgs+=("${demo_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 [build|demo|bench|all]" >&2; exit 2 ;;
esac
# A node from elsewhere (NodeSource) already brings npm; Debian's comes in two packages.
# The build needs them too: the web view's browser test (tests/web/) runs in node, driving
# the chromium above with playwright-core (scripts/test.sh runs npm ci there).
command -v npm >/dev/null || pkgs+=(nodejs npm)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep "install ok installed" >/dev/null || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "vigil: installing missing packages: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "vigil: run as root to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
