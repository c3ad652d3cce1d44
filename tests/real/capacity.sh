#!/bin/bash
# capacity: past each of the checker's limits the program runs exactly as
# natively, the limit is said once where findings go (one `limit` event,
# named again in the end event's `limits`; one stderr line when there is no
# log or print_findings is on), and checking goes on: the AB-BA made
# after the limit is still reported, and nothing false is (tests/real/
# capacity.c says what each mode does). `memory` caps the arena with
# max_memory_mb=32, so threads, locks and edges all run out mid-run; it
# must make no finding at all (it once made false bad-unlocks: a thread
# that got a record only after taking a lock).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHIM=$ROOT/preload/liblockcheck.so
NAME=capacity
die() { echo "$NAME: $*"; exit 1; }
[ -f "$SHIM" ] || die "no shim at $SHIM (run make)"
command -v python3 >/dev/null || die "python3 is needed to read the JSONL"
w=$(mktemp -d "${TMPDIR:-/tmp}/$NAME.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$w"' EXIT
unset LD_PRELOAD LOCKCHECK_OPTIONS
cc -O1 -g -pthread -o "$w/capacity" "$ROOT/tests/real/capacity.c" || die "cannot build capacity.c"

# mode expected-limits(comma) expected-status [options]
check() {
	local mode=$1 limits=$2 want=$3 opts=${4:-}
	timeout 60 "$w/capacity" "$mode" >"$w/$mode.native" || die "$mode: native run failed"
	timeout 60 env LD_PRELOAD="$SHIM" \
		LOCKCHECK_OPTIONS="log_path=$w/$mode:print_findings=0${opts:+:$opts}" \
		"$w/capacity" "$mode" >"$w/$mode.out" 2>"$w/$mode.err"
	local st=$?
	[ "$st" -eq "$want" ] || die "$mode: exit status $st, expected $want: $(head -n 3 "$w/$mode.err")"
	cmp -s "$w/$mode.native" "$w/$mode.out" || die "$mode: stdout differs from the native run"
	python3 - "$mode" "$limits" "$w/$mode.err" "$w/$mode".*.jsonl <<'EOF' || exit 1
import json, sys
mode, want, err, logs = sys.argv[1], sys.argv[2].split(","), sys.argv[3], sys.argv[4:]
def die(msg):
    print("capacity: %s: %s" % (mode, msg)); sys.exit(1)
if len(logs) != 1:
    die("expected one log, got %d" % len(logs))
events = [json.loads(l) for l in open(logs[0])]
limits = [e["limit"] for e in events if e["event"] == "limit"]
ends = [e for e in events if e["event"] == "end"]
findings = [e for e in events if e["event"] == "finding"]
if not ends:
    die("no end event")
for name in want:
    if limits.count(name) != 1:
        die("limit %s said %d times in the log (%s)" % (name, limits.count(name), limits))
if mode != "memory" and sorted(limits) != sorted(want):
    die("limits %s, expected just %s" % (limits, want))
if sorted(ends[0].get("limits", [])) != sorted(limits):
    die("end event lists %s, the log said %s" % (ends[0].get("limits"), limits))
said = [l for l in open(err) if l.startswith("lockcheck: ")]
if said:
    die("print_findings=0, yet the shim wrote to stderr: %s" % said)
if mode == "memory":
    if findings:
        die("findings in a clean program: %s" % [f["message"] for f in findings])
else:
    names = [sorted(l.get("name") or "" for l in f["locks"]) for f in findings]
    if len(findings) != 1 or names[0] != ["late_a", "late_b"] or \
       findings[0].get("verdict") != "deadlock-possible":
        die("expected the one AB-BA on late_a/late_b, got %s" %
            [(f["kind"], f.get("verdict"), n) for f, n in zip(findings, names)])
print("capacity: %s: ok (limits %s, %d lock calls, %.1f MB)" % (
    mode, ",".join(limits), ends[0]["stats"]["lock_calls"],
    ends[0]["stats"]["memory_bytes"] / 1e6))
EOF
}

check held held-locks 66
check cycle cycle-length 66
check contexts edge-contexts 66
check memory memory 0 max_memory_mb=32
check clock clock-threads 66
check chain wait-chain 66

# Without a log, the limit is one line on stderr (among the findings' text).
timeout 60 env LD_PRELOAD="$SHIM" "$w/capacity" held >/dev/null 2>"$w/nolog.err"
st=$?
[ "$st" -eq 66 ] || die "held without a log: exit status $st, expected 66"
n=$(grep -c "^lockcheck: a thread holds more than 1024 locks" "$w/nolog.err")
[ "$n" -eq 1 ] || die "held without a log: the limit said $n times on stderr, expected once"
echo "capacity: held without a log: ok (said once on stderr)"
