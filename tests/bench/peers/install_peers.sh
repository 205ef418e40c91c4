#!/usr/bin/env bash
# Prepares the peer HL7 servers for tests/bench/ingest_compare.sh, at bench time, into
# BUILD/bench-peers/ (never into the source tree; node_modules is never committed).
#   python-hl7: Debian's python3-hl7 (scripts/install-deps.sh bench); checked here.
#   Medplum:    `npm ci` of the pinned package-lock.json into BUILD/bench-peers/medplum.
# Usage: tests/bench/peers/install_peers.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: $0 BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
dest="$build/bench-peers/medplum"

/usr/bin/python3 -c 'import hl7.mllp' 2>/dev/null ||
  { echo "bench peers: python3-hl7 missing: run scripts/install-deps.sh bench" >&2; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null ||
  { echo "bench peers: node/npm missing: run scripts/install-deps.sh bench" >&2; exit 1; }

mkdir -p "$dest"
cp "$here/medplum/server.mjs" "$dest/"
# Reinstall only when the pinned lock file changed.
if ! cmp -s "$here/medplum/package-lock.json" "$dest/package-lock.json" || [ ! -d "$dest/node_modules" ]; then
  cp "$here/medplum/package.json" "$here/medplum/package-lock.json" "$dest/"
  (cd "$dest" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "bench peers: ready in $build/bench-peers" >&2
