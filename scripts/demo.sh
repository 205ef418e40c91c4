#!/usr/bin/env bash
# Vigil's one-command demo: vigild with a temporary database, six simulated HL7 chairs (one
# vigil-sim process, nurse actions over the stream), a seventh chair on a simulated Philips
# IntelliVue that vigild associates with over UDP, and the dashboard, all time-scaled so a
# whole infusion (baseline, 40 min infusion, 60 min recovery: about 113 simulated minutes)
# plays in about 4.5 minutes at the default scale of 25.
#
#   scripts/demo.sh [--time-scale N] [--duration S] [--db PATH] [--screenshot FILE]
#                   [--headless] [--build-dir DIR] [--skip-deps]
#
# With $DISPLAY set and vigil-dashboard built, the dashboard opens; otherwise (or with
# --headless) `vigilctl board` prints a live table of chairs and alerts in this terminal.
# --screenshot FILE renders the dashboard on a virtual X server (Xvfb) once the first HIGH
# alert shows and saves it. --duration S stops everything after S seconds (exit 0).
# Ctrl-C stops everything the demo started; nothing is left running.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build"
time_scale=25
duration=0
db=""
screenshot=""
headless=0
skip_deps=0

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --time-scale) time_scale=${2:?}; shift 2 ;;
    --duration) duration=${2:?}; shift 2 ;;
    --db) db=${2:?}; shift 2 ;;
    --screenshot) screenshot=${2:?}; shift 2 ;;
    --headless) headless=1; shift ;;
    --build-dir) build=${2:?}; shift 2 ;;
    --skip-deps) skip_deps=1; shift ;;
    -h|--help) usage ;;
    *) echo "demo: unknown option '$1'" >&2; usage ;;
  esac
done
case "$duration" in ''|*[!0-9]*) echo "demo: --duration takes whole seconds" >&2; exit 2 ;; esac

say() { echo "vigil demo: $*" >&2; }

# --- everything we start is listed here; the trap stops it --------------------------------
pids=()
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-demo.XXXXXX")
cleanup() {
  local code=$?
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    # TERM first (vigild flushes its database), KILL whatever is still there after 5 s.
    kill -TERM "${pids[@]}" 2>/dev/null || true
    local deadline=$((SECONDS + 5))
    for p in "${pids[@]}"; do
      while kill -0 "$p" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  if [ -n "$db" ] && [ -f "$db" ] && [ -x "$build/bin/vigilctl" ]; then
    local n
    n=$("$build/bin/vigilctl" alerts --db "$db" 2>/dev/null | grep -c '"transition":"raised"' || true)
    say "stopped; $n alerts raised, log kept in $db (vigilctl alerts --db $db)"
  fi
  say "logs: $tmp"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- packages and binaries ------------------------------------------------------------------
if [ $skip_deps -eq 0 ]; then
  "$root/scripts/install-deps.sh" demo || say "warning: could not install the demo packages; the dashboard may be unavailable"
fi
need=(vigild vigil-sim vigilctl)
missing=0
for b in "${need[@]}"; do [ -x "$build/bin/$b" ] || missing=1; done
if [ $missing -eq 1 ]; then
  say "building in $build (first run only)"
  cmake -S "$root" -B "$build" -G Ninja >&2
  cmake --build "$build" >&2
fi
bin="$build/bin"

# --- a Philips IntelliVue for CHAIR7 (vigild is its Data Export client, so it listens first) ----
"$bin/vigil-sim" --time-scale "$time_scale" --bed CHAIR7=hypertensive-responder,protocol=intellivue \
  --iv-port 0 >"$tmp/intellivue-sim.out" 2>"$tmp/intellivue-sim.log" &
iv_pid=$!
pids+=($iv_pid)
intellivue=""
deadline=$((SECONDS + 30))
while [ -z "$intellivue" ]; do
  # sed stops at the first match itself: no "| head" that could SIGPIPE it under pipefail.
  # The background shell may not have created the file yet: that is "not yet", not a failure
  # (under set -e it ended the demo with sed's status 2), as for vigild.out below.
  intellivue=$(sed -n '/^intellivue CHAIR7=/{s/^intellivue //p;q;}' "$tmp/intellivue-sim.out" 2>/dev/null || true)
  if [ -z "$intellivue" ]; then
    kill -0 "$iv_pid" 2>/dev/null || { say "the IntelliVue simulator failed:"; cat "$tmp/intellivue-sim.log" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { say "the IntelliVue simulator did not come up within 30 s"; exit 1; }
    sleep 0.1
  fi
done

# --- vigild -----------------------------------------------------------------------------------
[ -n "$db" ] || db="$tmp/vigil.db"
say "database $db"
"$bin/vigild" --demo --time-scale "$time_scale" --hl7-listen 127.0.0.1:0 --stream-listen 127.0.0.1:0 \
  --http-listen 127.0.0.1:0 --intellivue "$intellivue" --db "$db" >"$tmp/vigild.out" 2>"$tmp/vigild.log" &
vigild_pid=$!
pids+=($vigild_pid)
listening=""
deadline=$((SECONDS + 30))
while [ -z "$listening" ]; do
  listening=$(grep -m1 '^listening ' "$tmp/vigild.out" || true)
  if [ -z "$listening" ]; then
    kill -0 "$vigild_pid" 2>/dev/null || { say "vigild failed to start:"; cat "$tmp/vigild.log" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { say "vigild did not come up within 30 s"; exit 1; }
    sleep 0.1
  fi
done
hl7=$(sed -n 's/.*hl7=\([^ ]*\).*/\1/p' <<<"$listening")
stream=$(sed -n 's/.*stream=\([^ ]*\).*/\1/p' <<<"$listening")
say "vigild: HL7 on $hl7, stream on $stream, time x$time_scale (DEMO ONLY)"

# --- six chairs, one simulator ------------------------------------------------------------------
"$bin/vigil-sim" --hl7 "$hl7" --stream "$stream" --user demo-nurse --time-scale "$time_scale" \
  --bed CHAIR1=normal-responder --bed CHAIR2=hypertensive-responder --bed CHAIR3=vasovagal-dip \
  --bed CHAIR4=tachycardia --bed CHAIR5=desaturation --bed CHAIR6=cuff-failure \
  >/dev/null 2>"$tmp/vigil-sim.log" &
sim_pid=$!
pids+=($sim_pid)
say "vigil-sim: CHAIR1..6 over HL7 (CHAIR2 is the hypertensive responder), log $tmp/vigil-sim.log"
say "CHAIR7: a simulated Philips IntelliVue (Data Export over UDP, ${intellivue#CHAIR7=}), monitoring only"

# --- a screen: dashboard, screenshot, or the terminal board -------------------------------------
dashboard="$bin/vigil-dashboard"
shot_pid=""
if [ -n "$screenshot" ]; then
  if [ ! -x "$dashboard" ] || ! command -v Xvfb >/dev/null; then
    say "--screenshot needs vigil-dashboard built and Xvfb installed (scripts/install-deps.sh demo)"
    exit 1
  fi
  # A free display number: the first without an X lock file.
  n=99
  while [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
  Xvfb ":$n" -screen 0 1600x1000x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
  pids+=($!)
  DISPLAY=":$n" "$dashboard" --connect "$stream" --user demo-nurse --width 1600 --height 1000 \
    --screenshot "$screenshot" --screenshot-when high-alert >"$tmp/dashboard.log" 2>&1 &
  shot_pid=$!
  pids+=($shot_pid)
  say "rendering the dashboard on Xvfb :$n; the picture is saved to $screenshot at the first HIGH alert"
fi
if [ $headless -eq 0 ] && [ -n "${DISPLAY:-}" ] && [ -x "$dashboard" ]; then
  "$dashboard" --connect "$stream" --user demo-nurse >"$tmp/dashboard-window.log" 2>&1 &
  pids+=($!)
  say "dashboard opened; Ctrl-C here stops the demo"
else
  say "no display (or --headless): live table below. To see the dashboard on a machine with a display:"
  say "  $dashboard --connect $stream --user nurse"
  "$bin/vigilctl" board --connect "$stream" --alarm-display --user demo-board &
  pids+=($!)
fi

# --- run until the duration, Ctrl-C, or (with a screenshot) the picture --------------------------
started=$SECONDS
sim_done=0
while true; do
  if [ "$duration" -gt 0 ] && [ $((SECONDS - started)) -ge "$duration" ]; then
    say "--duration $duration s reached"
    break
  fi
  if [ $sim_done -eq 0 ] && ! kill -0 "$sim_pid" 2>/dev/null; then
    sim_done=1
    say "all simulated sessions have ended; Ctrl-C to quit"
  fi
  if [ -n "$shot_pid" ] && ! kill -0 "$shot_pid" 2>/dev/null; then
    if [ -s "$screenshot" ]; then say "screenshot saved: $screenshot"; else say "the dashboard exited without a screenshot (see $tmp/dashboard.log)"; fi
    shot_pid=""
    [ "$duration" -gt 0 ] || break
  fi
  sleep 0.5  # polling child state for a human-facing script; no result depends on it
done
exit 0
