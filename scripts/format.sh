#!/usr/bin/env bash
# Formats every C++ file the repository tracks with .clang-format (clang-format 14, the
# version Debian packages beside the clang that builds CI's sanitizer stage: another version
# formats some constructs differently, so the check pins it).
# Usage: scripts/format.sh           rewrites files in place
#        scripts/format.sh --check   changes nothing; lists unformatted files, exits 1 if any
set -euo pipefail
cd "$(dirname "$0")/.."

tool=$(command -v clang-format-14 || true)
[ -n "$tool" ] || { echo "format: clang-format-14 is missing (scripts/install-deps.sh)" >&2; exit 2; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h')

if [ "${1:-}" = "--check" ]; then
  # One run over every file; each finding is "FILE:LINE:COL: error: code should be …".
  report=$("$tool" --dry-run --Werror "${files[@]}" 2>&1) && rc=0 || rc=$?
  if [ $rc -ne 0 ]; then
    bad=$(printf '%s\n' "$report" | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | sort -u)
    [ -n "$bad" ] || bad=$report  # not a formatting finding: show what clang-format said
    printf 'format: %s is not formatted (run scripts/format.sh)\n' $bad >&2
    exit 1
  fi
  echo "format: ${#files[@]} files formatted"
  exit 0
fi
"$tool" -i "${files[@]}"
