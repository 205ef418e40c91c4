#!/usr/bin/env bash
# The install docs/install.md promises, checked on a fresh Debian 12: a minimal bookworm root
# (debootstrap; its tarball cached), the vigil package installed in it with apt, vigild
# started as its unit says, then /healthz, /metrics, man vigild, --version, vigilctl health,
# a stop and `apt purge`. Every command is printed as "$ command" with its output: the
# transcript is the release note's evidence.
#
# The root runs no systemd (a chroot), so what systemd would do from the installed unit is
# done by hand from that unit's own lines: the postinst has already applied sysusers and
# tmpfiles (checked), then ExecStart= runs as User=/Group=/SupplementaryGroups= with its
# UMask=, LimitNOFILE=, RuntimeDirectory= and Environment=, and a NOTIFY_SOCKET that this
# script reads: the start is over at READY=1, as for Type=notify. The daemon, curl and
# vigilctl run in a network namespace of their own, so vigild's default ports cannot clash
# with anything on the host. Nothing here needs systemd on the host.
#
# Usage: scripts/package_check.sh [PACKAGES_DIR]     default $BUILD_DIR/packages (BUILD_DIR=build)
#   PACKAGE_CHECK_WORK=DIR  the cached root tarball, the apt caches and the scratch root
#                           (default $BUILD_DIR/package-check; delete it for a cold run)
#   MIRROR=URL              Debian mirror for debootstrap (default: the host's apt sources)
# Needs root, debootstrap, python3, unshare/nsenter (util-linux) and the Debian mirror.
# Exit 0: every step passed; 1: a step failed (the last line names it); 77: cannot run here.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source_dir=$PWD

build=${BUILD_DIR:-build}
packages=$(realpath -m "${1:-$build/packages}")
work=$(realpath -m "${PACKAGE_CHECK_WORK:-$build/package-check}")
suite=bookworm
# minbase plus systemd: a Debian 12 server has systemd (so the postinst takes its real path:
# systemd-sysusers, systemd-tmpfiles, deb-systemd-helper) but nothing else of ours.
tarball=$work/$suite-minbase-systemd.tar.gz
root=$work/root
started=$(date +%s)

skip() { echo "package check skipped: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (chroot, mounts)"
for tool in debootstrap python3 unshare nsenter chroot; do
  command -v "$tool" >/dev/null || skip "$tool is missing (scripts/install-deps.sh build)"
done
shopt -s nullglob
debs=("$packages"/vigil_*.deb)
[ ${#debs[@]} -eq 1 ] || { echo "FAIL: expected one vigil_*.deb in $packages (scripts/package.sh)"; exit 1; }

failed=""
holder="" notify_pid="" vigild_pid=""
# Everything mounted under DIR (this run's, or a killed run's), deepest first.
unmount_under() {
  local m
  awk -v r="$1/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
    umount -l "$m" || echo "cannot unmount $m"
  done
}
cleanup() {
  [ -n "$vigild_pid" ] && kill -KILL "$vigild_pid" 2>/dev/null
  vigild_pid=""
  [ -n "$notify_pid" ] && kill "$notify_pid" 2>/dev/null
  [ -n "$holder" ] && kill "$holder" 2>/dev/null
  notify_pid="" holder=""
  { wait; } 2>/dev/null  # no "Killed" notices
  unmount_under "$root"
  unmount_under "$work/bootstrap"
}
trap cleanup EXIT
trap 'exit 143' TERM INT  # through the EXIT trap: nothing left mounted or running
fail() {
  failed=$*
  echo "FAIL: $*"
  echo "package check FAILED after $(($(date +%s) - started)) s: $failed"
  exit 1
}
step() { printf '\n== %s\n' "$*"; }

# in_root COMMAND: runs one shell command line in the fresh root, printed as the operator
# would type it; its output follows, and its exit code is returned.
in_root() {
  echo "\$ $1"
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive /bin/sh -c "$1" 2>&1
}
# in_net COMMAND: the same, inside the check's network namespace (where vigild listens).
in_net() {
  echo "\$ $1"
  nsenter --net="/proc/$holder/ns/net" chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 /bin/sh -c "$1" 2>&1
}

# --- 1. A fresh Debian 12 root, from the cache when there is one -----------------------------
step "a fresh Debian 12 ($suite) root"
mkdir -p "$work"
if [ ! -f "$tarball" ]; then
  mirror=${MIRROR:-$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
    /etc/apt/sources.list.d/*.list 2>/dev/null | grep -v security | grep -oE 'https?://[^ ]+' | head -n1)}
  [ -n "$mirror" ] || skip "no Debian mirror in the host's apt sources (set MIRROR=URL)"
  echo "no cached root: debootstrap --variant=minbase --include=systemd $suite (cold run)"
  t0=$(date +%s)
  unmount_under "$work/bootstrap"
  rm -rf --one-file-system "$work/bootstrap"
  debootstrap --variant=minbase --include=systemd "$suite" "$work/bootstrap" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log"; fail "debootstrap failed (log: $work/debootstrap.log)"; }
  chroot "$work/bootstrap" apt-get clean
  tar -C "$work/bootstrap" -czf "$tarball.new" . && mv "$tarball.new" "$tarball" || fail "cannot write $tarball"
  rm -rf --one-file-system "$work/bootstrap"
  echo "debootstrap and tarball: $(($(date +%s) - t0)) s"
fi
# Never rm -r through a mount (a killed run's bind of /dev): unmount first, stay on one file system.
unmount_under "$root"
rm -rf --one-file-system "$root"
[ ! -e "$root" ] || fail "cannot remove the old root $root"
mkdir -p "$root"
tar -C "$root" -xzf "$tarball" || fail "cannot unpack $tarball"
# The host's way to the mirror: its sources (main, updates, security, as a Debian 12 install
# has them) and its Acquire settings (a proxy, a mirror's validity window). DNS as the host.
cp /etc/resolv.conf "$root/etc/resolv.conf"
rm -f "$root/etc/apt/sources.list"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] && cp "$f" "$root$f"
done
for f in /etc/apt/apt.conf.d/*; do
  grep -q '^Acquire::' "$f" 2>/dev/null && cp "$f" "$root$f"
done
# Downloads and package lists kept between runs (not the installed state: that is fresh).
mkdir -p "$work/apt-archives/partial" "$work/apt-lists/partial"
mount -t proc proc "$root/proc" && mount --bind /dev "$root/dev" && mount --bind /dev/pts "$root/dev/pts" &&
  mount -t tmpfs tmpfs "$root/run" &&
  mount --bind "$work/apt-archives" "$root/var/cache/apt/archives" &&
  mount --bind "$work/apt-lists" "$root/var/lib/apt/lists" || fail "cannot mount /proc, /dev, /run in the root"
in_root ". /etc/os-release; echo \$PRETTY_NAME; dpkg -l | grep -c '^ii'; command -v vigild || echo 'no vigild'"
cp "${debs[0]}" "$root/root/"

# --- 2. apt install ------------------------------------------------------------------------
step "apt install (packages: $(basename "${debs[0]}"))"
in_root "apt-get update -qq" || fail "apt-get update failed in the fresh root"
# curl and man-db: the tools the steps below use, not dependencies of vigil.
in_root "apt-get install -y -qq curl man-db >/dev/null 2>&1 && echo curl and man-db installed" ||
  fail "cannot install curl and man-db in the fresh root"
in_root "cd /root && apt install -y ./vigil_*.deb" >"$work/apt-install.log"
rc=$?
# Less noise: the per-package dpkg lines (counted below), apt's CLI warning, debconf's
# "no apt-utils" note.
grep -vE '^(Get:|Selecting previously|Preparing to unpack|Unpacking|Setting up|Processing triggers|\(Reading database|WARNING: apt does not have a stable CLI|debconf: delaying|$)' \
  "$work/apt-install.log"
grep -cE '^Setting up' "$work/apt-install.log" | sed 's/^/... packages set up: /'
[ $rc -eq 0 ] || fail "apt install ./vigil_*.deb failed (log: $work/apt-install.log)"
grep -q '^Setting up vigil ' "$work/apt-install.log" || fail "apt did not set up vigil"

# --- 3. What the postinst did: the user, the directories, the enabled unit --------------------
step "the postinst: vigil user (sysusers), directories (tmpfiles), unit enabled"
out=$(in_root "id vigil") && echo "$out" || fail "no vigil user after install"
grep -q "(dialout)" <<<"$out" || fail "vigil is not in dialout (/usr/lib/sysusers.d/vigil.conf)"
out=$(in_root "stat -c '%a %U:%G %n' /var/lib/vigil /var/lib/vigil/archive /var/lib/vigil/reports /etc/vigil /etc/vigil/vigild.conf")
echo "$out"
for want in "750 vigil:vigil /var/lib/vigil" "750 vigil:vigil /var/lib/vigil/archive" \
  "750 vigil:vigil /var/lib/vigil/reports" "750 root:vigil /etc/vigil" "640 root:vigil /etc/vigil/vigild.conf"; do
  grep -qxF "$want" <<<"$out" || fail "expected '$want' (/usr/lib/tmpfiles.d/vigil.conf)"
done
out=$(in_root "systemctl is-enabled vigild")
echo "$out"
grep -qx enabled <<<"$out" || fail "vigild.service is not enabled (deb-systemd-helper in the postinst)"
in_root "vigild --check-config --config /etc/vigil/vigild.conf >/dev/null && echo config ok" ||
  fail "vigild --check-config rejects the installed config"

# --- 4. systemctl start vigild, done by hand from the unit ---------------------------------
step "systemctl start vigild (no systemd here: the unit's own lines, by hand)"
unit=$root/usr/lib/systemd/system/vigild.service
key() { sed -n "s/^$1=//p" "$unit"; }
exec_start=$(key ExecStart) user=$(key User) group=$(key Group) extra_groups=$(key SupplementaryGroups)
umask_value=$(key UMask) nofile=$(key LimitNOFILE) runtime_dir=$(key RuntimeDirectory)
runtime_mode=$(key RuntimeDirectoryMode)
[ "$(key Type)" = notify ] || fail "the unit is not Type=notify"
[ -n "$exec_start" ] && [ -n "$user" ] || fail "the unit has no ExecStart= or User="
grep -E '^(Type|ExecStart|User|Group|SupplementaryGroups|UMask|LimitNOFILE|RuntimeDirectory|Environment|WatchdogSec)=' "$unit"
# Environment=: %t is the runtime root (/run for a system unit).
env_args=()
while read -r assignment; do env_args+=("${assignment//%t//run}"); done < <(key Environment)
if [ -n "$runtime_dir" ]; then
  install -d -m "${runtime_mode:-0755}" -o "$(chroot "$root" id -u "$user")" -g "$(chroot "$root" getent group "$group" | cut -d: -f3)" \
    "$root/run/$runtime_dir"
fi
# User= with its own groups (initgroups, as systemd does) plus SupplementaryGroups=.
groups=$(chroot "$root" id -Gn "$user" | tr ' ' '\n')
[ -n "$extra_groups" ] && groups+=$'\n'$(tr ' ' '\n' <<<"$extra_groups")
groups=$(sort -u <<<"$groups" | paste -sd, -)
# The namespace: loopback only, ours alone.
unshare --net sleep 3600 &
holder=$!
for _ in $(seq 50); do [ "$(readlink "/proc/$holder/ns/net")" != "$(readlink /proc/self/ns/net)" ] && break; sleep 0.1; done
nsenter --net="/proc/$holder/ns/net" ip link set lo up 2>/dev/null ||
  nsenter --net="/proc/$holder/ns/net" python3 -c 'import fcntl,socket,struct; s=socket.socket(); r=fcntl.ioctl(s,0x8913,struct.pack("16sh",b"lo",0)); fcntl.ioctl(s,0x8914,struct.pack("16sh",b"lo",struct.unpack("16sh",r)[1]|1))' ||
  fail "cannot bring up loopback in the check's network namespace"
# NOTIFY_SOCKET: an abstract socket (per network namespace, so the chroot needs no file).
notify_name="vigil-package-check-$$"
: >"$work/notify.log"
nsenter --net="/proc/$holder/ns/net" python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + sys.argv[1])
out = open(sys.argv[2], "a")
out.write("bound\n"); out.flush()
while True:
    out.write(s.recv(4096).decode(errors="replace").replace("\n", " ") + "\n"); out.flush()
' "$notify_name" "$work/notify.log" &
notify_pid=$!
for _ in $(seq 100); do grep -q bound "$work/notify.log" && break; sleep 0.1; done
grep -q bound "$work/notify.log" || fail "cannot listen for sd_notify"
watchdog_usec=$(($(key WatchdogSec | tr -dc 0-9) * 1000000))
# LimitNOFILE=: where this machine's hard limit is lower (a container), as high as it allows.
nofile=${nofile:-1024}
if ! (ulimit -n "$nofile") 2>/dev/null; then
  echo "(LimitNOFILE=$nofile is above this machine's hard limit $(ulimit -Hn): using that)"
  nofile=$(ulimit -Hn)
fi
start_line="ulimit -n $nofile; umask ${umask_value:-0022}; exec setpriv --reuid=$user --regid=$group --groups=$groups --inh-caps=-all --bounding-set=-all --no-new-privs env -i PATH=/usr/bin:/bin NOTIFY_SOCKET=@$notify_name WATCHDOG_USEC=$watchdog_usec ${env_args[*]} $exec_start"
echo "\$ $start_line"
nsenter --net="/proc/$holder/ns/net" chroot "$root" /bin/sh -c "$start_line" >"$work/vigild.out" 2>"$work/vigild.err" &
vigild_pid=$!
ready=""
for _ in $(seq 300); do
  grep -q '^READY=1' "$work/notify.log" && { ready=1; break; }
  kill -0 "$vigild_pid" 2>/dev/null || break
  sleep 0.1
done
cat "$work/vigild.out"
sed 's/^/(stderr) /' "$work/vigild.err"
grep -v '^bound$' "$work/notify.log" | sed 's/^/(sd_notify) /'
[ -n "$ready" ] || fail "vigild sent no READY=1 within 30 s (stderr above)"
http=$(grep -oE 'http=[0-9.]+:[0-9]+' "$work/vigild.out" | cut -d= -f2)
[ -n "$http" ] || fail "the listening line names no http= address"
# By the started process's own pid (nsenter, chroot, sh and setpriv each exec the next): the
# host may run other vigild processes, which pidof would list too.
echo "\$ tr '\\0' ' ' </proc/$vigild_pid/cmdline; grep -E '^(Uid|Gid|Groups|CapEff|NoNewPrivs)' /proc/$vigild_pid/status"
tr '\0' ' ' <"/proc/$vigild_pid/cmdline"; echo
grep -E '^(Uid|Gid|Groups|CapEff|NoNewPrivs)' "/proc/$vigild_pid/status"

# --- 5. The checks ---------------------------------------------------------------------
step "curl /healthz"
out=$(in_net "curl -s -i http://$http/healthz") && echo "$out" || fail "curl /healthz: no answer"
grep -q "^HTTP/1.1 200" <<<"$out" || fail "/healthz did not answer 200"

step "curl /metrics: every metric docs/operations.md lists, and only those"
in_net "curl -s -f http://$http/metrics" >"$work/metrics.txt" || fail "curl /metrics failed"
cat "$work/metrics.txt"
# The doc's metric table: rows that start with | `vigil_...`.
documented=$(grep -oE '^\| `vigil_[a-z0-9_]+`' "$source_dir/docs/operations.md" | tr -d '|` ' | sort -u)
served=$(sed -n 's/^# TYPE \(vigil_[a-z0-9_]*\) .*/\1/p' "$work/metrics.txt" | sort -u)
[ -n "$documented" ] || fail "no metric table in docs/operations.md"
missing=$(comm -23 <(echo "$documented") <(echo "$served"))
undocumented=$(comm -13 <(echo "$documented") <(echo "$served"))
[ -z "$missing" ] || fail "/metrics lacks documented metrics: $(echo $missing)"
[ -z "$undocumented" ] || fail "/metrics serves metrics docs/operations.md does not list: $(echo $undocumented)"
echo "(all $(wc -l <<<"$documented") metrics of docs/operations.md served, none other)"

step "man vigild"
out=$(in_root "man -P cat vigild 2>&1 | head -n 25") && echo "$out"
grep -q "vigild" <<<"$out" && grep -qE "^(NAME|SYNOPSIS|DESCRIPTION)" <<<"$out" || fail "man vigild did not render the page"

step "vigild --version, vigilctl health"
out=$(in_root "vigild --version") && echo "$out" || fail "vigild --version failed"
grep -qE "^vigild [0-9]+\.[0-9]+\.[0-9]+" <<<"$out" || fail "vigild --version does not name the version"
in_net "vigilctl health; echo \"exit \$?\"" | tee "$work/health.txt"
grep -qx "exit 0" "$work/health.txt" || fail "vigilctl health did not exit 0"

# --- 6. systemctl stop, apt purge ----------------------------------------------------------
step "systemctl stop vigild (SIGTERM, as KillSignal=)"
echo "\$ kill -TERM $vigild_pid"
kill -TERM "$vigild_pid"
stopped=""
for _ in $(seq 200); do kill -0 "$vigild_pid" 2>/dev/null || { stopped=1; break; }; sleep 0.1; done
[ -n "$stopped" ] || fail "vigild did not stop within 20 s of SIGTERM (TimeoutStopSec=20)"
wait "$vigild_pid"
rc=$?
vigild_pid=""
tail -n 3 "$work/vigild.err" | sed 's/^/(stderr) /'
grep -q '^STOPPING=1' "$work/notify.log" && echo "(sd_notify) STOPPING=1"
echo "vigild exit status $rc"
[ $rc -eq 0 ] || fail "vigild exited $rc after SIGTERM"

step "apt purge"
in_root "dpkg -L vigil" >"$work/vigil.files"
in_root "apt-get purge -y vigil" >"$work/purge.log"
rc=$?
grep -vE '^\(Reading database' "$work/purge.log"
[ $rc -eq 0 ] || fail "apt-get purge vigil failed"
grep -qE '^Purging configuration files for vigil ' "$work/purge.log" || fail "apt-get purge did not purge vigil"
grep -iE '^(dpkg: (warning|error)|E: )' "$work/purge.log" && fail "apt-get purge warned (above)"
in_root "dpkg -s vigil >/dev/null 2>&1 && echo still installed || echo vigil: not installed"
# Every file the package installed is gone; only the documented leftovers stay (the records
# in /var/lib/vigil and the vigil user: docs/install.md, "Removing Vigil").
left=$(sed -n 's/^\$ .*//; /^\//p' "$work/vigil.files" | while read -r path; do
  [ -f "$root$path" ] || [ -L "$root$path" ] && echo "$path"
done)
[ -z "$left" ] || fail "files of vigil left after purge: $(echo $left)"
echo "(none of the $(grep -c '^/' "$work/vigil.files") paths dpkg -L listed is left as a file; /var/lib/vigil and the user stay, as documented)"
in_root "ls -ld /var/lib/vigil /etc/vigil 2>&1; id vigil"

# The scratch root goes (~250 MB); a failed run leaves it to look into. The cache stays.
cleanup
rm -rf --one-file-system "$root"
echo
echo "package check passed in $(($(date +%s) - started)) s: $(basename "${debs[0]}") on a fresh Debian 12"
