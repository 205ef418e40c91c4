#!/usr/bin/env bash
# Checks the .deb packages scripts/package.sh built: what a clinic server needs is inside
# (programs, units, conffile, man pages, sysusers/tmpfiles, docs), dpkg-shlibdeps filled in
# the dependencies, the programs are hardened, and no placeholder maintainer or licence is left. Exit 77 (ctest: skipped) without dpkg-deb or without packages.
# Usage: tests/package/check_packages.sh DIR
set -uo pipefail
dir=${1:?usage: check_packages.sh DIR}

command -v dpkg-deb >/dev/null || { echo "skipped: dpkg-deb is missing (not a Debian system)"; exit 77; }
shopt -s nullglob
server=("$dir"/vigil_*.deb)
dashboard=("$dir"/vigil-dashboard_*.deb)
if [ ${#server[@]} -eq 0 ]; then
  echo "skipped: no packages in $dir (run scripts/package.sh first)"
  exit 77
fi

failed=0
# Never `... | grep -q` here: under pipefail, grep -q leaving at the first match can kill the
# writer with SIGPIPE and fail a check that matched (it failed a full run of scripts/test.sh once). grep without -q
# reads to the end.
fail() { echo "FAIL: $*"; failed=1; }
# has DEB PATH: the package holds PATH (as dpkg-deb -c lists it, "./usr/bin/vigild").
has() { grep -qE " \\.${2}( |$)" <<<"$(dpkg-deb -c "$1")" || fail "$(basename "$1") lacks ${2}"; }

deb=${server[0]}
for path in /usr/bin/vigild /usr/bin/vigilctl /usr/bin/vigil-sim \
  /usr/lib/systemd/system/vigild.service /usr/lib/systemd/system/vigil-backup.service \
  /usr/lib/systemd/system/vigil-backup.timer /etc/vigil/vigild.conf \
  /usr/lib/sysusers.d/vigil.conf /usr/lib/tmpfiles.d/vigil.conf \
  /usr/share/man/man1/vigild.1.gz /usr/share/man/man1/vigilctl.1.gz /usr/share/man/man1/vigil-sim.1.gz \
  /usr/share/doc/vigil/install.md /usr/share/doc/vigil/configuration.md /usr/share/doc/vigil/copyright \
  /usr/share/doc/vigil/changelog.Debian.gz; do
  has "$deb" "$path"
done
dpkg-deb -c "$deb" | grep "vigil-dashboard" >/dev/null && fail "$(basename "$deb") holds the dashboard (its own package)"
[ "$(dpkg-deb -I "$deb" conffiles 2>/dev/null)" = "/etc/vigil/vigild.conf" ] ||
  fail "conffiles is not exactly /etc/vigil/vigild.conf"
dpkg-deb -I "$deb" postinst 2>/dev/null | grep "systemd-sysusers" >/dev/null || fail "postinst does not run systemd-sysusers"
dpkg-deb -I "$deb" postinst 2>/dev/null | grep "systemd-tmpfiles --create" >/dev/null || fail "postinst does not run systemd-tmpfiles"
dpkg-deb -I "$deb" postinst 2>/dev/null | grep "deb-systemd-helper" >/dev/null || fail "postinst does not enable vigild"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libsqlite3 libprotobuf libc6; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib (dpkg-shlibdeps): $depends"
done
# The unit's ExecStart is what the package installs.
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/lib/systemd/system/vigild.service | grep "^ExecStart=/usr/bin/vigild " >/dev/null ||
  fail "vigild.service does not start /usr/bin/vigild"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/lib/sysusers.d/vigil.conf | grep -E "^m vigil dialout" >/dev/null ||
  fail "sysusers: vigil is not put in dialout"

# The maintainer and the licence (cmake/packaging.cmake): no placeholder left.
maintainer=$(dpkg-deb -f "$deb" Maintainer)
grep -qE "example\.(org|com|net)|localhost" <<<"$maintainer" && fail "Maintainer is a placeholder: $maintainer"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/doc/vigil/copyright | grep -x "License: Apache-2.0" >/dev/null ||
  fail "copyright does not name the licence (Apache-2.0, as LICENSE)"

# Hardening (cmake/hardening.cmake), read from the packaged programs' ELF headers: PIE, full
# RELRO (BIND_NOW, a GNU_RELRO segment), the stack protector and fortified libc calls.
# hardened DEB PROGRAM...
hardened() {
  command -v readelf >/dev/null || { echo "note: readelf missing, hardening not checked"; return; }
  local tree
  tree=$(mktemp -d)
  dpkg-deb -x "$1" "$tree"
  shift
  for program in "$@"; do
    local elf=$tree/usr/bin/$program
    readelf -h "$elf" | grep -E "Type: +DYN" >/dev/null || fail "$program is not PIE (ELF type is not DYN)"
    readelf -d "$elf" | grep -E "FLAGS_1.*\bPIE\b" >/dev/null || fail "$program lacks the PIE flag"
    readelf -d "$elf" | grep -E "\(FLAGS\).*\bBIND_NOW\b" >/dev/null || fail "$program is not linked -z now (no BIND_NOW)"
    readelf -lW "$elf" | grep "GNU_RELRO" >/dev/null || fail "$program is not linked -z relro"
    local symbols
    symbols=$(readelf --dyn-syms -W "$elf")
    grep -q "__stack_chk_fail" <<<"$symbols" || fail "$program has no stack protector (__stack_chk_fail)"
    grep -qE "__[a-z]+_chk(@| )" <<<"$symbols" || fail "$program calls no fortified libc function (_FORTIFY_SOURCE)"
  done
  rm -rf "$tree"
}
hardened "$deb" vigild vigilctl vigil-sim

if [ ${#dashboard[@]} -gt 0 ]; then
  deb=${dashboard[0]}
  for path in /usr/bin/vigil-dashboard /usr/share/applications/vigil-dashboard.desktop \
    /usr/share/icons/hicolor/scalable/apps/vigil-dashboard.svg /usr/share/man/man1/vigil-dashboard.1.gz \
    /usr/share/doc/vigil-dashboard/copyright; do
    has "$deb" "$path"
  done
  grep -q "libglfw" <<<"$(dpkg-deb -f "$deb" Depends)" || fail "vigil-dashboard Depends lacks libglfw"
  hardened "$deb" vigil-dashboard
else
  echo "note: no vigil-dashboard package (not built here)"
fi

[ $failed -eq 0 ] && echo "packages ok: $(cd "$dir" && ls ./*.deb | tr '\n' ' ')"
exit $failed
