#!/usr/bin/env bash
# Injects the faults of docs/reliability.md, one by one, into a real vigild built from this
# tree and prints what the ward would see: the ACK the monitor gets, the lines of a
# `vigilctl watch` that was connected before the fault, and the vigilctl command a
# biomedical engineer would run next (board, alerts, unmapped, readings, health, report).
# The output is Markdown, one section per fault, so it can be kept as a record.
#
#   scripts/fault_tour.sh [--build DIR] [--only 2,3,4,5,6] [--keep]
#
# Needs: the build's vigild and vigilctl, python3 (scripts/mllp_send.py plays the monitor,
# scripts/stream_fault_proxy.py spoils stream messages), sqlite3 and dd for the damaged-page
# fault. Root is needed only to make the -shm file immutable (chattr +i); without it the
# -shm is truncated under vigild instead, which faults the same mapping. Every vigild runs on
# loopback with ephemeral ports and a database in a temporary directory (removed at the end
# unless --keep). About 2 minutes: the clock section waits for T8's 30 s hold.
#
# Nothing here depends on today's date: device stamps are taken from the machine's clock
# (the one vigild uses) plus or minus the fault's offset.
set -u -o pipefail

BUILD=build
ONLY="2,3,4,5,6"
KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fault_tour.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
BIN="$(cd "$BUILD/bin" 2>/dev/null && pwd)" || { echo "fault_tour.sh: no $BUILD/bin (build vigild and vigilctl first)" >&2; exit 2; }
for p in vigild vigilctl; do
  [[ -x "$BIN/$p" ]] || { echo "fault_tour.sh: $BIN/$p missing (ninja -C $BUILD vigild vigilctl)" >&2; exit 2; }
done
command -v python3 >/dev/null || { echo "fault_tour.sh: needs python3" >&2; exit 2; }
CORPUS="$ROOT/tests/data/hl7"
WORK="$(mktemp -d /tmp/vigil-fault-tour.XXXXXX)"
PIDS=()
FAILED=0

cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  chattr -i "$WORK"/*/*-shm 2>/dev/null
  if [[ $KEEP -eq 1 ]]; then echo "(files kept in $WORK)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------
# Output helpers

section() { printf '\n## %s\n\n' "$*"; }
note() { printf '%s\n\n' "$*"; }
# A fenced block of what follows on stdin, each line cut to 400 characters.
block() { printf '```\n'; cut -c1-400; printf '```\n\n'; }
# Prints "$ cmd" (with the build path shortened) and runs it, stdout and stderr together.
show() {
  local shown="$*"
  printf '$ %s\n' "${shown//$BIN\//}" | sed "s#$WORK/##g; s#$ROOT/##g"
  "$@" 2>&1 | sed "s#$WORK/##g; s#$ROOT/##g"
  local rc=${PIPESTATUS[0]}
  [[ $rc -ne 0 ]] && printf '(exit status %d)\n' "$rc"
  return 0
}
expect() {  # expect "what" COMMAND... : records a failed expectation, prints it
  local what="$1"; shift
  if ! "$@"; then FAILED=$((FAILED + 1)); printf '**NOT AS EXPECTED: %s**\n\n' "$what"; fi
}

# ---------------------------------------------------------------------------------------
# Processes

# start_vigild NAME DB [ARGS...]: sets VPID HL7 STREAM HTTP; stdout/stderr in $WORK/NAME.*
start_vigild() {
  local name="$1" db="$2"; shift 2
  : >"$WORK/$name.out"
  "$BIN/vigild" --hl7-listen 127.0.0.1:0 --stream-listen 127.0.0.1:0 --http-listen 127.0.0.1:0 \
    --db "$db" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  VPID=$!
  PIDS+=("$VPID")
  VNAME="$name"
  local deadline=$((SECONDS + 30))
  while ! grep -q '^listening ' "$WORK/$name.out"; do
    if ! kill -0 "$VPID" 2>/dev/null || [[ $SECONDS -ge $deadline ]]; then
      echo "vigild did not start:"; cat "$WORK/$name.err"; return 1
    fi
    sleep 0.1
  done
  local line; line="$(grep '^listening ' "$WORK/$name.out")"
  HL7="$(sed -n 's/.*hl7=\([^ ]*\).*/\1/p' <<<"$line")"
  STREAM="$(sed -n 's/.*stream=\([^ ]*\).*/\1/p' <<<"$line")"
  HTTP="$(sed -n 's/.*http=\([^ ]*\).*/\1/p' <<<"$line")"
}
stop_vigild() { kill -TERM "$VPID" 2>/dev/null; wait "$VPID" 2>/dev/null; }

# start_watch NAME [ARGS...]: a `vigilctl watch` on $STREAM (or $WATCH_AT); waits for hello.
start_watch() {
  local name="$1"; shift
  WATCH="$WORK/$name.watch"
  "$BIN/vigilctl" watch --connect "${WATCH_AT:-$STREAM}" "$@" >"$WATCH" 2>"$WATCH.err" &
  PIDS+=("$!")
  WPID=$!
  wait_for "$WATCH" '"type":"hello"' 20 || { echo "watch did not connect:"; cat "$WATCH.err"; }
}
# wait_for FILE REGEX SECONDS: true once a line of FILE matches.
wait_for() {
  local deadline=$((SECONDS + $3))
  until grep -Eq -- "$2" "$1" 2>/dev/null; do
    [[ $SECONDS -ge $deadline ]] && return 1
    sleep 0.1
  done
}
lines_of() { wc -l <"$1" 2>/dev/null || echo 0; }
# after MARK FILE [REGEX]: the lines of FILE past line MARK (matching REGEX).
after() { tail -n +"$(($1 + 1))" "$2" | grep -E -- "${3:-.}" || true; }
log_after() { after "$1" "$WORK/$VNAME.err" "${2:-.}" | sed "s#$WORK/##g"; }

send() { show python3 "$HERE/mllp_send.py" "$HL7" "$@"; }

# hl7_time OFFSET_SECONDS: the machine's clock (vigild's) moved by OFFSET, as HL7 DTM in UTC.
hl7_time() { date -u -d "@$(($(date +%s) + $1))" +%Y%m%d%H%M%S+0000; }

# oru FILE SOURCE BED TIME OBX...: an ORU^R01 with the given OBX rows (set ids added).
oru() {
  local file="$1" source="$2" bed="$3" t="$4"; shift 4
  {
    printf 'MSH|^~\\&|%s||VIGIL||%s||ORU^R01^ORU_R01|%s|P|2.6\r' "$source" "$t" "$(basename "$file" .hl7)"
    printf 'PV1||I|^^%s\rOBR|1|||182777000^monitoring of patient^SCT|||%s\r' "$bed" "$t"
    local i=0 row
    for row in "$@"; do i=$((i + 1)); printf 'OBX|%d|%s\r' "$i" "$row"; done
  } >"$file"
}
HR_ROW() { echo "NM|147842^MDC_ECG_HEART_RATE^MDC||$1|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R"; }
SPO2_ROW() { echo "NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||$1|262688^MDC_DIM_PERCENT^MDC|||||R"; }
NIBP_ROWS() {  # sys dia [mean] time
  echo "NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC||$1|266016^MDC_DIM_MMHG^MDC|||||R|||$4"
  echo "NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC||$2|266016^MDC_DIM_MMHG^MDC|||||R|||$4"
  [[ -n "$3" ]] && echo "NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC||$3|266016^MDC_DIM_MMHG^MDC|||||R|||$4"
  return 0
}
# Readings of a watch file past MARK, shortened to the fields that matter here.
readings_after() {
  after "$1" "$WATCH" '"type":"(reading|alert)"' |
    sed -E 's/,"(status|id|phase|unit|received_at)":("[^"]*"|[^,}]*)//g'
}
board() { show "$BIN/vigilctl" board --once --connect "$STREAM"; }
# The connect-time snapshot of one chair, as a new client gets it (readings carry age_s).
snapshot() {
  timeout 5 "$BIN/vigilctl" watch --connect "$STREAM" --bed "$1" 2>&1 |
    grep -E '"snapshot":true' | grep -E '"type":"reading"' |
    sed -E 's/,"(status|id|phase|unit)":("[^"]*"|[^,}]*)//g' | head -"${2:-8}"
}

# =======================================================================================
tour_encodings() {
  section "2. Text encodings"
  local d="$WORK/enc"; mkdir -p "$d"
  start_vigild enc "$d/vigil.db" || return
  start_watch enc

  section "2a. Latin-1 bytes in MSH-3 and PV1-3, no MSH-18"
  note 'tests/data/hl7/latin1-pv1-msh3.hl7: MSH-3 `MONITEUR-\xC9COLE`, PV1-3 `^^FAUTEUIL-\xE9`, MSH-18 empty (so: UTF-8 if valid, else ISO 8859-1).'
  local m; m=$(lines_of "$WATCH")
  send "$CORPUS/latin1-pv1-msh3.hl7" | block
  wait_for "$WATCH" 'FAUTEUIL' 10
  echo "watcher (connected before):"; { after "$m" "$WATCH" 'FAUTEUIL'; cat "$WATCH.err"; } | block
  board | block

  section "2b. The same bytes with MSH-18 8859/1"
  sed 's/|P|2.6\r/|P|2.6||||||8859\/1\r/; s/LATIN1-1/LATIN1-2/; s/FAUTEUIL-\xe9/FAUTEUIL-\xe8/' \
    "$CORPUS/latin1-pv1-msh3.hl7" >"$d/latin1-8859.hl7"
  note 'MSH-12 `2.6`, MSH-18 `8859/1`; PV1-3 `^^FAUTEUIL-\xE8` (è), a second chair.'
  m=$(lines_of "$WATCH")
  send "$d/latin1-8859.hl7" | block
  wait_for "$WATCH" 'FAUTEUIL-è' 10
  echo "watcher:"; after "$m" "$WATCH" 'FAUTEUIL' | block

  section "2c. The same bytes declared UNICODE UTF-8 (invalid there)"
  sed 's/|P|2.6\r/|P|2.6||||||UNICODE UTF-8\r/; s/LATIN1-1/LATIN1-3/' "$CORPUS/latin1-pv1-msh3.hl7" >"$d/latin1-as-utf8.hl7"
  m=$(lines_of "$WATCH"); local lm; lm=$(lines_of "$WORK/enc.err")
  send "$d/latin1-as-utf8.hl7" | block
  wait_for "$WATCH" 'FAUTEUIL-�' 10
  echo "watcher:"; after "$m" "$WATCH" 'FAUTEUIL' | block
  echo "vigild log:"; log_after "$lm" 'U\+FFFD|UTF-8' | block

  section "2d. The watcher's link after all three: an ASCII chair"
  m=$(lines_of "$WATCH")
  oru "$d/ascii.hl7" MON-ASCII CHAIR20 "$(hl7_time 0)" "$(HR_ROW 64)"
  send "$d/ascii.hl7" | grep -E '^\$|ACK|MSA|ERR' | block
  wait_for "$WATCH" 'CHAIR20' 10
  echo "watcher (same process, never reconnected):"; { after "$m" "$WATCH" 'CHAIR20'; cat "$WATCH.err"; } | block
  expect "the watcher kept its link" kill -0 "$WPID"

  section "2e. After a restart on the same database"
  stop_vigild
  start_vigild enc2 "$d/vigil.db" || return
  board | block
  show "$BIN/vigilctl" readings --db "$d/vigil.db" --format csv | grep -E 'FAUTEUIL|^\$|bed' | block
  stop_vigild

  section "2f. A server message the client library cannot decode"
  note 'scripts/stream_fault_proxy.py sits between vigild and a watcher and spoils every stream message that holds the text `BADUTF8X` (its last byte becomes 0xE9, so the protobuf string is no longer UTF-8), as an older vigild that stored Latin-1 would send. Then a good chair follows.'
  start_vigild enc3 "$WORK/enc/undecodable.db" || return
  python3 "$HERE/stream_fault_proxy.py" --target "$STREAM" --marker BADUTF8X >"$WORK/proxy.out" 2>"$WORK/proxy.err" &
  PIDS+=("$!")
  wait_for "$WORK/proxy.out" 'proxy listening' 10
  WATCH_AT="$(sed -n 's/proxy listening //p' "$WORK/proxy.out")" start_watch undecodable
  oru "$d/bad1.hl7" MON-A BADUTF8X "$(hl7_time 0)" "$(HR_ROW 70)" "$(SPO2_ROW 96)"
  oru "$d/good1.hl7" MON-B CHAIR21 "$(hl7_time 0)" "$(HR_ROW 71)"
  send "$d/bad1.hl7" "$d/good1.hl7" | grep -E '^\$|ACK|MSA|ERR' | block
  wait_for "$WATCH" 'CHAIR21' 10
  echo "watcher stdout:"; grep -v '"type":"hello"' "$WATCH" | block
  echo "watcher stderr:"; block <"$WATCH.err"
  echo "proxy:"; block <"$WORK/proxy.err"
  expect "the watcher kept its link after undecodable messages" kill -0 "$WPID"
  stop_vigild
}

# =======================================================================================
tour_clocks() {
  section "3. Clocks"
  local d="$WORK/clock"; mkdir -p "$d"
  start_vigild clock "$d/vigil.db" || return
  start_watch clock

  section "3a. A monitor clock 5 h ahead"
  note "MSH-7, OBR-7 and OBX-14 5 h ahead of the machine's clock; one message a second until T8 shows (it needs the skew to hold 30 s), then the monitor's clock is set right."
  local m; m=$(lines_of "$WATCH")
  local i first="" first_clock="" t8=0
  for ((i = 1; i <= 70; i++)); do
    local t; t="$(hl7_time $((5 * 3600)))"
    oru "$d/ahead-$i.hl7" VIGILTEST CLOCK5H "$t" $(NIBP_ROWS $((150 + i % 3)) 80 103 "$t") "$(HR_ROW $((90 + i % 3)))"
    local out; out="$(python3 "$HERE/mllp_send.py" "$HL7" "$d/ahead-$i.hl7" | sed "s#$WORK/##g")"
    [[ -z "$first" ]] && first="$out" && first_clock="$(date -u +%H:%M:%S)"
    if grep -q 'monitor clock is off' "$WATCH"; then t8=$i; break; fi
    sleep 1
  done
  echo "first message ($(sed -n 's/^MSH|[^|]*|[^|]*|[^|]*|[^|]*|[^|]*|\([^|]*\).*/MSH-7 \1/p' "$d/ahead-1.hl7"), machine clock $first_clock):"
  echo "$first" | block
  echo "T8 on the watcher after message $t8:"; after "$m" "$WATCH" 'T8' | block
  echo "watcher, first readings of the 5 h-ahead monitor:"; readings_after "$m" | grep CLOCK5H | grep '"type":"reading"' | head -2 | block
  board | block
  local t; t="$(hl7_time 0)"
  oru "$d/right.hl7" VIGILTEST CLOCK5H "$t" $(NIBP_ROWS 111 80 90 "$t") "$(HR_ROW 61)"
  echo "the monitor's clock set right (MSH-7 $t):"
  send "$d/right.hl7" | grep -E '^\$|ACK|MSA|ERR' | block
  sleep 1
  echo "a new client's snapshot of CLOCK5H (age_s is Vigil's, by arrival):"; snapshot CLOCK5H | block
  board | block

  section "3b. A stamp in the year 9999 (and one in 1970)"
  m=$(lines_of "$WATCH")
  oru "$d/y9999.hl7" ODDCLOCK CHAIR9999 "99991231235959+0000" $(NIBP_ROWS 133 81 98 "99991231235959+0000")
  oru "$d/y1970.hl7" ODDCLOCK CHAIR1970 "19700101000001+0000" $(NIBP_ROWS 134 82 99 "19700101000001+0000")
  send "$d/y9999.hl7" "$d/y1970.hl7" | block
  wait_for "$WATCH" 'CHAIR1970' 10
  echo "watcher:"; readings_after "$m" | grep -E 'CHAIR(9999|1970)' | grep NIBP_SYS | block
  echo "snapshots:"; { snapshot CHAIR9999 1; snapshot CHAIR1970 1; } | block
  board | grep -E 'CHAIR|\$' | block
  show "$BIN/vigilctl" readings --db "$d/vigil.db" --format csv | grep -E 'CHAIR(9999|1970).*NIBP_SYS|^\$|^bed' | block

  section "3c. A reading stamped 0.5 s before its session began"
  show "$BIN/vigilctl" session begin --connect "$STREAM" --user nurse1 --bed EDGE1 --patient PT-0043 --planned-minutes 40 | block
  wait_for "$WATCH" '"type":"session".*EDGE1' 10
  local begun; begun="$(grep '"type":"session"' "$WATCH" | grep EDGE1 | head -1 | sed -E 's/.*"at":"([^"]+)".*/\1/')"
  local begun_s; begun_s="$(date -u -d "$begun" +%s.%N)"
  local stamp; stamp="$(date -u -d "@$(python3 -c "import math; print(math.floor($begun_s - 0.5))")" +%Y%m%d%H%M%S+0000)"
  echo "session begun at $begun (watcher); the monitor's NIBP stamped $stamp (one-second resolution, 0.5 s or more before):" | block
  oru "$d/edge.hl7" VIGILTEST EDGE1 "$stamp" $(NIBP_ROWS 171 95 120 "$stamp")
  send "$d/edge.hl7" | grep -E '^\$|ACK|MSA|ERR' | block
  show "$BIN/vigilctl" report --db "$d/vigil.db" --bed EDGE1 --latest --out "$d/edge1.csv" | block
  grep -E '^(peak|series),.*SBP' "$d/edge1.csv" | block
  stop_vigild
}

# =======================================================================================
tour_hl7() {
  section "4. Every monitor's HL7, and nothing acknowledged in silence"
  local d="$WORK/hl7"; mkdir -p "$d"
  start_vigild hl7 "$d/vigil.db" || return
  start_watch hl7

  section "4a. The published corpus (tests/data/hl7), one message each"
  local f m
  {
    for f in "$CORPUS"/*.hl7; do
      [[ "$(basename "$f")" == *-ack.hl7 ]] && continue
      m=$(lines_of "$WATCH")
      local out; out="$(python3 "$HERE/mllp_send.py" "$HL7" "$f")"
      sleep 0.3
      local code errs shown
      code="$(grep -o 'MSA|[A-Z]*' <<<"$out" | cut -d'|' -f2)"
      errs="$(grep -c '^    ERR' <<<"$out")"
      shown="$(after "$m" "$WATCH" '"type":"reading"' | sed -E 's/.*"kind":"([A-Z0-9_]+)","value":([^,]+),.*"valid":(true|false).*/\1=\2\3/; s/true$//; s/false$/(invalid)/' | sort -u | tr '\n' ' ')"
      printf '%-32s %s  ERR %s  shown: %s\n' "$(basename "$f")" "$code" "$errs" "${shown:-nothing}"
    done
  } | block

  section "4b. The classes, one message each"
  local t; t="$(hl7_time 0)"
  oru "$d/beat.hl7" CLASS-UCUM CLASS1 "$t" \
    "NM|149546^MDC_PULS_RATE_NON_INV^MDC||63|{beat}/min^{beat}/min^UCUM|||||R" \
    "NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|%^%^UCUM|||||R"
  oru "$d/sn.hl7" CLASS-SN CLASS2 "$t" \
    "SN|147842^MDC_ECG_HEART_RATE^MDC||=^65|/min^/min^UCUM|||||R" \
    "SN|150456^MDC_PULS_OXIM_SAT_O2^MDC||<^90|%|||||R" \
    "NM|9999^LOCALHR^LOCAL^8867-4^Heart rate^LN||66|/min|||||R"
  oru "$d/sentinel.hl7" CLASS-SENT CLASS3 "$t" "$(HR_ROW -999)" "$(SPO2_ROW '***')" \
    "NM|150344^MDC_TEMP^MDC||-99.9|268192^MDC_DIM_DEGC^MDC|||||R" \
    "NM|151562^MDC_RESP_RATE^MDC||---|264928^MDC_DIM_RESP_PER_MIN^MDC|||||R" "$(HR_ROW 68)"
  oru "$d/notnum.hl7" CLASS-NAN CLASS4 "$t" "$(HR_ROW 12O)" "$(SPO2_ROW 7,2)" \
    "NM|150344^MDC_TEMP^MDC||NaN|268192^MDC_DIM_DEGC^MDC|||||R" \
    "NM|151562^MDC_RESP_RATE^MDC||1e308|264928^MDC_DIM_RESP_PER_MIN^MDC|||||R" \
    "NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC||123456789012|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R" "$(SPO2_ROW 95)"
  oru "$d/local.hl7" CLASS-LOCAL CLASS5 "$t" "NM|101^HR||72||||||F" "NM|160^SpO2||98||||||F" \
    "NM|009000^NIBP SYS^99NK||124|mmHg|||||F" "NM|009001^NIBP DIAS^99NK||78|mmHg|||||F" "NM|009002^NIBP MEAN^99NK||93|mmHg|||||F"
  oru "$d/onlysentinel.hl7" CLASS-SENT CLASS7 "$t" "$(HR_ROW -999)" "$(SPO2_ROW '***')"
  local label bed
  for f in beat sn sentinel onlysentinel notnum local; do
    case $f in beat) bed=CLASS1 ;; sn) bed=CLASS2 ;; sentinel) bed=CLASS3 ;; notnum) bed=CLASS4 ;; local) bed=CLASS5 ;; onlysentinel) bed=CLASS7 ;; esac
    case $f in
      beat) label='UCUM `{beat}/min` (IHE/NIST pulse) and `%^%^UCUM`' ;;
      sn) label='OBX-2 `SN` (`=^65`, `<^90`) and an unknown first code with a LOINC alternate (OBX-3.4 `8867-4`)' ;;
      sentinel) label='sentinels `-999`, `***`, `-99.9`, `---` beside a good HR 68 (a placeholder means "no value", like an empty OBX-5: no ERR, no T8, listed by `vigilctl unmapped`; docs/alarms.md, "What is a reading")' ;;
      onlysentinel) label='only placeholders (`-999`, `***`): the monitor has no value at all, which is not an error in its message' ;;
      notnum) label='not numbers `12O`, `7,2`, `NaN`, `1e308`, `123456789012` beside a good SpO2 95' ;;
      local) label='vendor local codes without units (Mindray PDS `101^HR`, `160^SpO2`; Nihon Kohden `009000^NIBP SYS`)' ;;
    esac
    echo "**$label**"; echo
    m=$(lines_of "$WATCH")
    send "$d/$f.hl7" | block
    sleep 0.5
    echo "watcher:"; readings_after "$m" | grep "\"bed\":\"$bed\"" | block
  done

  section "4c. NIBP without MAP: SBP 300"
  note "NIBP 300/100 with no mean row: out of range, so the stored reading must be unverified, agreeing with T5."
  m=$(lines_of "$WATCH")
  oru "$d/sbp300.hl7" CLASS-NIBP CLASS6 "$t" $(NIBP_ROWS 300 100 "" "$t")
  send "$d/sbp300.hl7" | block
  wait_for "$WATCH" '"rule":"T5"' 10
  echo "watcher:"; readings_after "$m" | grep '"bed":"CLASS6"' | block
  show "$BIN/vigilctl" readings --db "$d/vigil.db" --bed CLASS6 --format jsonl | sed -E 's/,"(status|id|phase|unit|received_at|source)":("[^"]*"|[^,}]*)//g' | block

  section "4d. A message none of whose vitals can be used: AE"
  m=$(lines_of "$WATCH")
  {
    printf 'MSH|^~\\&|MONITOR-7||VIGIL||%s||ORU^R01^ORU_R01|U1|P|2.6\rPV1||I|CHAIR12\rOBR|1||||||%s\r' "$t" "$t"
    printf 'OBX|1|NM|9001^SYS^LOCAL||118|mmHg|||||F\rOBX|2|NM|9002^DIA^LOCAL||76|mmHg|||||F\r'
  } >"$d/unreadable.hl7"
  send "$d/unreadable.hl7" | block
  wait_for "$WATCH" 'cannot read' 10
  echo "watcher:"; after "$m" "$WATCH" 'CHAIR12' | block
  board | grep -E 'CHAIR12|CHAIR  |\$' | block

  section "4e. A partly usable message: AA with ERR"
  m=$(lines_of "$WATCH")
  {
    printf 'MSH|^~\\&|MONITOR-7||VIGIL||%s||ORU^R01^ORU_R01|M1|P|2.6\rPV1||I|CHAIR12\rOBR|1||||||%s\r' "$t" "$t"
    printf 'OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC||72|{beat}/min^{beat}/min^UCUM|||||F\r'
    printf 'OBX|2|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||9O|%%|||||F\r'
    printf 'OBX|3|NM|101^HR^LOCAL||73||||||F\r'
  } >"$d/mixed.hl7"
  send "$d/mixed.hl7" | block
  sleep 0.5
  echo "watcher:"; after "$m" "$WATCH" 'CHAIR12' | sed -E 's/,"(status|id|phase|unit|received_at)":("[^"]*"|[^,}]*)//g' | block

  section "4f. vigilctl unmapped and alerts"
  show "$BIN/vigilctl" unmapped --db "$d/vigil.db" | block
  show "$BIN/vigilctl" unmapped --db "$d/vigil.db" --format jsonl | head -4 | block
  show "$BIN/vigilctl" alerts --db "$d/vigil.db" --format csv | grep -E 'T8|T5|^\$|^id|^at' | block
  stop_vigild
}

# =======================================================================================
hr_file() {  # hr_file FILE BED: an HR/SpO2 message stamped now
  oru "$1" MON-STORE "$2" "$(hl7_time 0)" "$(HR_ROW 70)" "$(SPO2_ROW 97)"
}
health() { show "$BIN/vigilctl" health --http "$HTTP"; }

tour_storage() {
  section "5. Storage faults"

  section "5a. The database directory deleted while vigild runs"
  local d="$WORK/gone"; mkdir -p "$d/data"
  start_vigild gone "$d/data/vigil.db" || return
  start_watch gone
  hr_file "$d/m.hl7" GONE1
  send "$d/m.hl7" | grep -E '^\$|MSA|ERR' | block
  show rm -r "$d/data" | block
  local m; m=$(lines_of "$WATCH"); local lm; lm=$(lines_of "$WORK/gone.err")
  show python3 "$HERE/mllp_send.py" --repeat 5 "$HL7" "$d/m.hl7" | block
  wait_for "$WATCH" 'T8' 10
  echo "watcher:"; after "$m" "$WATCH" 'T8' | block
  echo "vigild log:"; log_after "$lm" 'critical|error' | head -4 | block
  health | block
  stop_vigild

  section "5b. Damaged pages at start-up"
  d="$WORK/damaged"; mkdir -p "$d"
  start_vigild damaged "$d/vigil.db" || return
  hr_file "$d/m.hl7" CORRUPT1
  show python3 "$HERE/mllp_send.py" --repeat 1200 --until-not AA "$HL7" "$d/m.hl7" | block
  stop_vigild
  sqlite3 "$d/vigil.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
  local pages=$(($(stat -c %s "$d/vigil.db") / 4096))
  local page=$((pages / 2))
  echo "the database has $pages pages; page $((page + 1)) overwritten with 0xA5 bytes:"
  { show "$BIN/vigild" --check-db --db "$d/vigil.db"
    head -c 4096 /dev/zero | tr '\0' '\245' | dd of="$d/vigil.db" bs=4096 seek="$page" conv=notrunc status=none
    show "$BIN/vigild" --hl7-listen 127.0.0.1:0 --stream-listen 127.0.0.1:0 --http-listen 127.0.0.1:0 --db "$d/vigil.db"
    show "$BIN/vigild" --check-db --db "$d/vigil.db"; } | block

  section "5b'. Damaged pages found at run time"
  d="$WORK/damaged-live"; mkdir -p "$d"
  note "vigild keeps running; the WAL is folded into the file from outside (sqlite3), then three pages the readings use are overwritten, and the monitor sends three more messages."
  start_vigild damaged-live "$d/vigil.db" || return
  start_watch damaged-live
  hr_file "$d/m.hl7" LIVEDMG1
  show python3 "$HERE/mllp_send.py" --repeat 1200 --until-not AA "$HL7" "$d/m.hl7" | block
  sqlite3 "$d/vigil.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
  pages=$(($(stat -c %s "$d/vigil.db") / 4096))
  for page in $((pages / 3)) $((pages / 2)) $((pages - 2)); do
    head -c 4096 /dev/zero | tr '\0' '\245' | dd of="$d/vigil.db" bs=4096 seek="$page" conv=notrunc status=none
  done
  m=$(lines_of "$WATCH"); lm=$(lines_of "$WORK/damaged-live.err")
  show python3 "$HERE/mllp_send.py" --repeat 3 --control-id LATE "$HL7" "$d/m.hl7" | block
  wait_for "$WATCH" 'T8' 10
  sleep 0.5  # a T8 that resolves does so within milliseconds of the AR; give it the chance
  echo "watcher (T8 lines):"; after "$m" "$WATCH" 'T8' | sed -E 's/,"(user|acknowledged_by|escalated|onset|profile|seq|log_id|limits|kind|phase)":("[^"]*"|[^,}]*)//g' | block
  echo "vigild log:"; log_after "$lm" 'critical|work again' | head -4 | block
  health | block
  expect "T8 stays raised while the file is damaged" bash -c "! grep -q '\"transition\":\"resolved\"' <(tail -n +$((m + 1)) '$WATCH')"
  stop_vigild

  section "5c. File size limit (ulimit -f)"
  d="$WORK/fsize"; mkdir -p "$d"
  note 'vigild started from a shell with `ulimit -f 1024` (1 MiB); one message after another until the answer is not AA.'
  (ulimit -f 1024; exec "$BIN/vigild" --hl7-listen 127.0.0.1:0 --stream-listen 127.0.0.1:0 --http-listen 127.0.0.1:0 \
    --db "$d/vigil.db" >"$WORK/fsize.out" 2>"$WORK/fsize.err") &
  VPID=$!; PIDS+=("$VPID"); VNAME=fsize
  wait_for "$WORK/fsize.out" '^listening' 30
  local line; line="$(grep '^listening' "$WORK/fsize.out")"
  HL7="$(sed -n 's/.*hl7=\([^ ]*\).*/\1/p' <<<"$line")"; STREAM="$(sed -n 's/.*stream=\([^ ]*\).*/\1/p' <<<"$line")"
  HTTP="$(sed -n 's/.*http=\([^ ]*\).*/\1/p' <<<"$line")"
  start_watch fsize
  hr_file "$d/m.hl7" FSIZE1
  m=$(lines_of "$WATCH")
  show python3 "$HERE/mllp_send.py" --repeat 3000 --until-not AA "$HL7" "$d/m.hl7" | block
  wait_for "$WATCH" 'T8' 10
  echo "watcher:"; after "$m" "$WATCH" 'T8' | block
  echo "vigild log:"; grep -E 'critical|SIGXFSZ|EFBIG' "$WORK/fsize.err" | head -3 | block
  expect "vigild still runs under the file size limit" kill -0 "$VPID"
  echo "vigild still running: $(kill -0 "$VPID" 2>/dev/null && echo yes || echo NO)"; echo
  health | block
  stop_vigild

  section "5d. An immutable -shm file"
  d="$WORK/shm"; mkdir -p "$d"
  start_vigild shm "$d/vigil.db" || return
  start_watch shm
  hr_file "$d/m.hl7" SHM1
  send "$d/m.hl7" | grep -E '^\$|MSA|ERR' | block
  if chattr +i "$d/vigil.db-shm" 2>/dev/null; then
    show lsattr "$d/vigil.db-shm" | block
  else
    note "(chattr +i refused here: not root or not supported; the -shm is truncated to 0 bytes instead, which faults the same mapping)"
    show truncate -s 0 "$d/vigil.db-shm" | block
  fi
  m=$(lines_of "$WATCH"); lm=$(lines_of "$WORK/shm.err")
  show python3 "$HERE/mllp_send.py" --repeat 3 "$HL7" "$d/m.hl7" | block
  wait_for "$WATCH" 'T8' 10
  echo "watcher:"; after "$m" "$WATCH" 'T8' | block
  echo "vigild log:"; log_after "$lm" 'SIGBUS|critical' | head -3 | block
  echo "vigild still running: $(kill -0 "$VPID" 2>/dev/null && echo yes || echo NO)"; echo
  expect "vigild survives the -shm fault" kill -0 "$VPID"
  stop_vigild
  chattr -i "$d/vigil.db-shm" 2>/dev/null
  echo "restart on the same files after \`chattr -i\`:"
  { start_vigild shm2 "$d/vigil.db" && echo "vigild up: $(grep listening "$WORK/shm2.out")";
    show "$BIN/vigilctl" readings --db "$d/vigil.db" --bed SHM1 --format csv; stop_vigild; } | block

  section "5e. Free space below the configured minimum"
  d="$WORK/space"; mkdir -p "$d"
  local need=$(( $(df -Pm "$d" | awk 'NR==2 {print $4}') + 1024 ))
  echo "db_min_free_mb: $need" >"$d/vigild.conf"
  note "config \`db_min_free_mb: $need\` (1 GiB more than this disk has free)"
  start_vigild space "$d/vigil.db" --config "$d/vigild.conf" || return
  start_watch space
  hr_file "$d/m.hl7" SPACE1
  send "$d/m.hl7" | grep -E '^\$|MSA|ERR' | block
  wait_for "$WATCH" 'Low disk' 15
  echo "watcher:"; grep 'T8' "$WATCH" | block
  echo "vigild log:"; grep -E 'LOW DISK' "$WORK/space.err" | head -2 | block
  health | block
  stop_vigild
}

# =======================================================================================
tour_bounds() {
  section "6. Bounds (brief)"
  local d="$WORK/bounds"; mkdir -p "$d"
  printf 'max_chairs: 3\nhl7_frame_timeout_s: 1\nmax_stream_clients: 2\n' >"$d/vigild.conf"
  note 'config: `max_chairs: 3`, `hl7_frame_timeout_s: 1`, `max_stream_clients: 2`'
  start_vigild bounds "$d/vigil.db" --config "$d/vigild.conf" || return
  start_watch bounds
  local i files=()
  for i in 1 2 3 4; do hr_file "$d/c$i.hl7" "CAP$i"; files+=("$d/c$i.hl7"); done
  send "${files[@]}" | grep -E '^\$|ACK|MSA|ERR' | block
  wait_for "$WATCH" 'too many chairs' 10
  echo "watcher:"; grep T8 "$WATCH" | head -2 | block
  echo "a half-sent MLLP frame (0x0B and an MSH, never 0x1C 0x0D):"
  python3 - "$HL7" <<'EOF' | block
import socket, sys, time
host, port = sys.argv[1].rsplit(":", 1)
s = socket.create_connection((host, int(port)))
s.sendall(b"\x0bMSH|^~\\&|HALF||VIGIL||20260101000000||ORU^R01|H1|P|2.6\r")
t = time.monotonic()
s.settimeout(10)
data = s.recv(100)
print("vigild closed the link after %.1f s%s" % (time.monotonic() - t, "" if not data else " (sent %r)" % data))
EOF
  grep -E 'did not finish' "$WORK/bounds.err" | sed "s#$WORK/##g" | block
  echo "a third stream client (the watcher is one, cap 2):"
  { timeout 5 "$BIN/vigilctl" watch --connect "$STREAM" >/dev/null 2>&1 &
    sleep 1; show timeout 5 "$BIN/vigilctl" watch --connect "$STREAM"; wait; } | grep -v '"type":"reading"' | block
  stop_vigild
}

echo "# Vigil fault tour"
echo
echo "vigild: $("$BIN/vigild" --version 2>&1 | head -1); machine clock $(date -u +%Y-%m-%dT%H:%M:%SZ); $(uname -sr)"
[[ ",$ONLY," == *,2,* ]] && tour_encodings
[[ ",$ONLY," == *,3,* ]] && tour_clocks
[[ ",$ONLY," == *,4,* ]] && tour_hl7
[[ ",$ONLY," == *,5,* ]] && tour_storage
[[ ",$ONLY," == *,6,* ]] && tour_bounds
echo
if [[ $FAILED -gt 0 ]]; then echo "**$FAILED expectation(s) not met (marked above)**"; exit 1; fi
echo "done"
