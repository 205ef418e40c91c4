#!/usr/bin/env bash
# The one command for the performance figures: builds the release tree and runs every benchmark
# program, then writes build/bench/results.json (every figure, plus the machine) and prints
# a short table. docs/performance.md says what each figure means.
#
#   scripts/bench.sh                 full run (about 10 minutes on the 2-core machine, plus the build)
#   BENCH_QUICK=1 scripts/bench.sh   short run (about 4 minutes): fewer seconds, alerts, steps
#
# Runs: vigil-bench-codec (Google Benchmark); vigil-bench-ingest at 1/16/64 connections
# against vigild (fresh temporary database, durable), vigil-bench-ceiling, python-hl7's
# server and Medplum's Hl7Server (npm ci into build/bench-peers first), with ratios to vigild;
# vigil-bench-capacity; vigil-bench-alert-latency; vigil-dashboard --bench-frames under its
# own Xvfb. A program that is not built, or a peer that cannot start, becomes a row saying so.
#
# Env: BENCH_BUILD_DIR (default build: the release preset's tree), BENCH_QUICK=1,
#      BENCH_ONLY="codec ingest capacity latency dashboard" (a subset), BENCH_JOBS (build -j).
# Timings are figures, not pass/fail: the script exits 0 unless it could not build at all.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${BENCH_BUILD_DIR:-build}
out=$build/bench
quick=${BENCH_QUICK:-0}
only=${BENCH_ONLY:-codec ingest capacity latency dashboard}
jobs=${BENCH_JOBS:-$(nproc)}
bin=$build/bin
say() { echo "bench: $*" >&2; }
wants() { [[ " $only " == *" $1 "* ]]; }

# The `bench` set (node, npm, python3-hl7 ...) where install-deps.sh has one; else `build`.
if grep -qE '(^|[|( ])bench[|)]' scripts/install-deps.sh; then
  scripts/install-deps.sh bench || say "installing the bench packages failed; going on with what is there"
else
  scripts/install-deps.sh build || say "installing packages failed; going on with what is there"
fi

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || { say "cmake failed"; exit 1; }
programs=(vigild vigil-sim vigil-dashboard vigil-bench-codec vigil-bench-ingest vigil-bench-ceiling
  vigil-bench-capacity vigil-bench-alert-latency)
known=$(ninja -C "$build" -t targets all 2>/dev/null | sed -n 's/^\([^:/]*\): phony$/\1/p')
targets=()
for p in "${programs[@]}"; do grep -qx "$p" <<<"$known" && targets+=("$p"); done
say "building (release): ${targets[*]}"
cmake --build "$build" -j "$jobs" --target "${targets[@]}" -- -k 0 >"$build/bench-build.log" 2>&1 ||
  say "some programs did not build (see $build/bench-build.log); they are reported as not built"

rm -rf "$out"
mkdir -p "$out/parts" "$out/logs"
manifest=$out/manifest.tsv
: >"$manifest"
# row SECTION NAME STATUS [JSON_FILE]: one line of the manifest the report is built from.
row() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$manifest"; }
have() { [ -x "$bin/$1" ]; }

# --- the machine, and how busy it is just before the first benchmark ----------------------
machine() {
  local cpu mem
  cpu=$(sed -n '/^model name/{s/^model name[[:space:]]*: //p;q;}' /proc/cpuinfo)
  mem=$(awk '/^MemTotal/ {print $2}' /proc/meminfo)
  python3 - "$out/machine.json" "$(nproc)" "$cpu" "$mem" "$(uname -r)" "$load_at_start" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$quick" "$(git -C "$root" rev-parse --short HEAD 2>/dev/null)" <<'EOF'
import json, sys, datetime
path, nproc, cpu, mem, kernel, load0, load1, quick, commit = sys.argv[1:]
json.dump({"nproc": int(nproc), "cpu_model": cpu, "ram_kib": int(mem or 0), "kernel": kernel,
           "loadavg_at_start": load0, "loadavg_before_run": load1, "quick": quick == "1",
           "commit": commit, "date_utc": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")},
          open(path, "w"), indent=1)
EOF
}
machine

# --- servers for the ingest comparison --------------------------------------------------------
srv_pid=""
srv_hl7=""
# start_server NAME COMMAND...: starts it, waits (30 s at most) for its `listening hl7=` line.
start_server() {
  local name=$1 log=$out/logs/$1 deadline=$((SECONDS + 30))
  shift
  "$@" >"$log.out" 2>"$log.err" &
  srv_pid=$!
  until grep -q '^listening hl7=' "$log.out" 2>/dev/null; do
    if ! kill -0 "$srv_pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      say "$name did not start (see $log.err)"
      stop_server
      return 1
    fi
    sleep 0.1
  done
  srv_hl7=$(sed -n '/^listening hl7=/{s/^listening hl7=\([^ ]*\).*/\1/p;q;}' "$log.out")
}
stop_server() {
  [ -n "$srv_pid" ] || return 0
  kill -TERM "$srv_pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$srv_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$srv_pid" 2>/dev/null
  wait "$srv_pid" 2>/dev/null
  srv_pid=""
}
trap 'stop_server; [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null; rm -rf "${tmp:-}"' EXIT
tmp=$(mktemp -d)

medplum_ready() {
  local dir=$build/bench-peers/medplum src=tests/bench/peers/medplum
  command -v node >/dev/null && command -v npm >/dev/null || return 1
  mkdir -p "$dir"
  cp "$src/package.json" "$src/package-lock.json" "$src/server.mjs" "$dir/"
  [ -d "$dir/node_modules/@medplum/hl7" ] && return 0
  say "npm ci (Medplum's peer) into $dir"
  (cd "$dir" && npm ci --no-audit --no-fund >"$root/$out/logs/npm.log" 2>&1)
}

# server_cpu JSON TICKS_BEFORE TICKS_AFTER: adds server_cpu_us_per_msg to the run's figures.
# The ticks span the warm-up too, so they are divided by the messages of the whole run at
# the measured rate (msgs_per_s x (duration + warm-up)).
server_cpu() {
  [ -n "$2" ] && [ -n "$3" ] || return 0
  python3 - "$1" "$2" "$3" "$(getconf CLK_TCK)" "$ingest_s" "$warmup_s" <<'EOF'
import json, sys
path, t0, t1, hz, dur, warm = sys.argv[1:]
d = json.load(open(path))
msgs = d.get("msgs_per_s", 0) * (float(dur) + float(warm))
if msgs > 0:
    d["server_cpu_us_per_msg"] = (float(t1) - float(t0)) / float(hz) * 1e6 / msgs
    json.dump(d, open(path, "w"))
EOF
}

# ingest_target NAME COMMAND...: the server restarted fresh for each connection count.
ingest_target() {
  local name=$1 c
  shift
  for c in 1 16 64; do
    if ! start_server "$name-$c" "$@"; then row ingest "$name@$c" "failed to start"; continue; fi
    local json=$out/parts/ingest-$name-$c.json cpu0
    # The server's CPU time (user + system clock ticks) around the run: CPU per message is
    # robust to a busy machine where messages/s is not.
    cpu0=$(awk '{print $14 + $15}' "/proc/$srv_pid/stat" 2>/dev/null)
    if "$bin/vigil-bench-ingest" --target "$srv_hl7" --connections "$c" --duration "$ingest_s" --warmup "$warmup_s" \
      --label "$name" --json "$json" >"$out/logs/ingest-$name-$c.log" 2>&1 || [ -s "$json" ]; then
      server_cpu "$json" "$cpu0" "$(awk '{print $14 + $15}' "/proc/$srv_pid/stat" 2>/dev/null)"
      row ingest "$name@$c" ok "$json"
    else
      row ingest "$name@$c" failed
    fi
    stop_server
  done
}

if [ "$quick" = 1 ]; then ingest_s=3 warmup_s=1; else ingest_s=10 warmup_s=2; fi

if wants codec; then
  if have vigil-bench-codec; then
    say "codec"
    extra=()
    [ "$quick" = 1 ] && extra=(--benchmark_min_time=0.05)
    "$bin/vigil-bench-codec" --benchmark_format=json --benchmark_out="$out/parts/codec.json" "${extra[@]}" \
      >"$out/logs/codec.log" 2>&1 && row codec codec ok "$out/parts/codec.json" || row codec codec failed
  else row codec codec "not built"; fi
fi

if wants ingest; then
  if have vigil-bench-ingest; then
    say "ingest: vigild, ceiling, python-hl7, medplum at 1/16/64 connections"
    if have vigild; then
      ingest_target vigild bash -c "rm -f '$tmp'/ingest.db*; exec '$bin/vigild' --hl7-listen 127.0.0.1:0 --stream-listen 127.0.0.1:0 --db '$tmp/ingest.db'"
    else for c in 1 16 64; do row ingest "vigild@$c" "not built"; done; fi
    if have vigil-bench-ceiling; then ingest_target ceiling "$bin/vigil-bench-ceiling" --listen 127.0.0.1:0
    else for c in 1 16 64; do row ingest "ceiling@$c" "not built"; done; fi
    if /usr/bin/python3 -c 'import hl7.mllp' 2>/dev/null; then
      ingest_target python-hl7 /usr/bin/python3 tests/bench/peers/python_hl7_server.py --listen 127.0.0.1:0
    else for c in 1 16 64; do row ingest "python-hl7@$c" "not installed (python3-hl7)"; done; fi
    if medplum_ready; then ingest_target medplum node "$build/bench-peers/medplum/server.mjs" --port 0
    else for c in 1 16 64; do row ingest "medplum@$c" "not installed (npm ci failed or no node)"; done; fi
  else for t in vigild ceiling python-hl7 medplum; do row ingest "$t" "not built (vigil-bench-ingest)"; done; fi
fi

if wants capacity; then
  if have vigil-bench-capacity; then
    say "capacity"
    extra=()
    [ "$quick" = 1 ] && extra=(--steps 1000,2000,5000,10000 --hold 5 --settle 2)
    "$bin/vigil-bench-capacity" --json "$out/parts/capacity.json" "${extra[@]}" >"$out/logs/capacity.log" 2>&1 ||
      [ -s "$out/parts/capacity.json" ]
    if [ -s "$out/parts/capacity.json" ]; then row capacity capacity ok "$out/parts/capacity.json"; else row capacity capacity failed; fi
  else row capacity capacity "not built"; fi
fi

if wants latency; then
  if have vigil-bench-alert-latency && have vigild && have vigil-sim; then
    say "alert latency at 1,000 beds"
    extra=()
    [ "$quick" = 1 ] && extra=(--alerts 200 --warmup 2)
    "$bin/vigil-bench-alert-latency" --json "$out/parts/latency.json" "${extra[@]}" >"$out/logs/latency.log" 2>&1 ||
      [ -s "$out/parts/latency.json" ]
    if [ -s "$out/parts/latency.json" ]; then row latency alert-latency ok "$out/parts/latency.json"; else row latency alert-latency failed; fi
  else row latency alert-latency "not built"; fi
fi

if wants dashboard; then
  if have vigil-dashboard && command -v Xvfb >/dev/null; then
    say "dashboard frames (Xvfb)"
    n=99
    while [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
    Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$out/logs/xvfb.log" 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
    frames=1000
    [ "$quick" = 1 ] && frames=300
    DISPLAY=":$n" "$bin/vigil-dashboard" --bench-frames "$frames" --bench-chairs 16 --user bench \
      --json "$out/parts/dashboard.json" >"$out/logs/dashboard.log" 2>&1 || true
    if [ -s "$out/parts/dashboard.json" ]; then row dashboard dashboard ok "$out/parts/dashboard.json"; else row dashboard dashboard failed; fi
    kill "$xvfb_pid" 2>/dev/null
    wait "$xvfb_pid" 2>/dev/null
    xvfb_pid=""
  else row dashboard dashboard "not built (vigil-dashboard or Xvfb missing)"; fi
fi

python3 tests/bench/bench_report.py "$out/machine.json" "$manifest" "$out/results.json"
say "results: $out/results.json (logs in $out/logs)"
