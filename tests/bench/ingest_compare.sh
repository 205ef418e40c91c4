#!/usr/bin/env bash
# What durable storage costs: vigild (durable storage) against the loopback ceiling and two peer
# HL7 servers, with the same closed-loop load generator, in one run. Every server is
# started fresh (vigild with an empty temporary database) for every point.
#
#   tests/bench/ingest_compare.sh [--build DIR] [--connections "1 16 64"] [--duration S]
#                                 [--warmup S] [--repeat N] [--out DIR] [--only "ceiling vigild ..."]
#
# Writes OUT/ingest_compare.json (default BUILD/bench-results/) ({"machine":...,"runs":[one object per point]}) and prints
# a table with each server's messages/s and its ratio to vigild at the same connections.
# A benchmark: prints figures, asserts none. Exit 1 if a server did not start or a run
# reported errors.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build"
conns="1 16 64"
duration=10
warmup=2
repeat=1
out=""
only="ceiling vigild python-hl7 medplum"
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --connections) conns=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "usage: $0 [--build DIR] [--connections LIST] [--duration S] [--warmup S] [--repeat N] [--out DIR] [--only LIST]" >&2; exit 2 ;;
  esac
done
bin="$build/bin"
[ -x "$bin/vigil-bench-ingest" ] || { echo "ingest_compare: build first ($bin/vigil-bench-ingest missing)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-ingest-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
out=${out:-$build/bench-results}
mkdir -p "$out"
case " $only " in *" python-hl7 "*|*" medplum "*) "$root/tests/bench/peers/install_peers.sh" "$build" ;; esac

server_pid=""
# start_server NAME CMD...: runs CMD, waits up to 15 s for its `listening hl7=HOST:PORT` line.
start_server() {
  local name=$1; shift
  "$@" > "$work/$name.out" 2> "$work/$name.err" &
  server_pid=$!
  for _ in $(seq 150); do
    grep -q "listening hl7=" "$work/$name.out" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  address=$(sed -n 's/.*listening hl7=\([^ ]*\).*/\1/p' "$work/$name.out" | head -1)
  if [ -z "$address" ]; then
    echo "ingest_compare: $name did not start:" >&2; cat "$work/$name.err" >&2; return 1
  fi
}
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}

status=0
results="$work/runs.jsonl"
: > "$results"
for r in $(seq "$repeat"); do
  for c in $conns; do
    for name in $only; do
      case "$name" in
        ceiling) start_server "$name" "$bin/vigil-bench-ceiling" ;;
        vigild) rm -f "$work"/v.db*
                start_server "$name" "$bin/vigild" --hl7-listen 127.0.0.1:0 --stream-listen 127.0.0.1:0 --db "$work/v.db" ;;
        python-hl7) start_server "$name" /usr/bin/python3 "$root/tests/bench/peers/python_hl7_server.py" ;;
        medplum) start_server "$name" node "$build/bench-peers/medplum/server.mjs" ;;
        *) echo "ingest_compare: unknown server $name" >&2; exit 2 ;;
      esac
      load=$(cut -d' ' -f1 /proc/loadavg)
      if ! "$bin/vigil-bench-ingest" --target "$address" --connections "$c" --duration "$duration" \
           --warmup "$warmup" --label "$name" --json "$work/run.json"; then
        status=1
      fi
      stop_server
      sed "s/}\$/,\"repeat\":$r,\"load1\":$load}/" "$work/run.json" >> "$results"
    done
  done
done

{
  printf '{"machine":{"host":"%s","cpus":%s,"kernel":"%s","model":"%s"},"runs":[' \
    "$(hostname)" "$(nproc)" "$(uname -r)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //; s/"//g')"
  paste -sd, "$results"
  printf ']}\n'
} > "$out/ingest_compare.json"

# The table: messages/s and p99 per server and connection count, and the ratio to vigild
# in the same repeat.
python3 - "$out/ingest_compare.json" <<'EOF'
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
vig = {(r["repeat"], r["connections"]): r["msgs_per_s"] for r in runs if r["label"] == "vigild"}
print(f"{'server':<12}{'conns':>6}{'rep':>4}{'msgs/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>7}{'load':>6}{'vs vigild':>10}")
for r in runs:
    v = vig.get((r["repeat"], r["connections"]))
    ratio = f"{r['msgs_per_s'] / v:.2f}x" if v else "-"
    print(f"{r['label']:<12}{r['connections']:>6}{r['repeat']:>4}{r['msgs_per_s']:>10.0f}{r['p50_ms']:>9.2f}"
          f"{r['p99_ms']:>9.2f}{r['errors']:>7}{r['load1']:>6}{ratio:>10}")
EOF
echo "ingest_compare: results in $out/ingest_compare.json" >&2
exit $status
