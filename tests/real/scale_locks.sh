#!/bin/bash
# scale_locks: 1,000,000 locks in one process, no cap reached.
#
# tests/real/scale_locks.c (built here, as a user would: no link to the
# shim) makes 1,000,000 heap objects with a mutex each (pthread_mutex_init),
# locks and unlocks each once, then takes 16 nested pairs of named locks
# (outer_<k> -> inner_<k>, spread over the range; the last pair is the last
# two locks made) twice, then destroys and frees everything. Natively and
# under the shim:
#  - exit 0 and the same stdout;
#  - the shim's stderr has no "lockcheck:" line at all (shown if any: a
#    "table full", "memory limit" or "not tracked" warning means a cap was
#    reached and data dropped);
#  - the log: a start event, no finding, one graph event, one end event;
#  - the graph lists exactly the locks that are in its edges (the 32 named
#    ones, not the 1,000,000 others) and exactly the 16 edges outer_k ->
#    inner_k; each named lock's id is at least its place in creation order
#    (+1): every lock made before it got a record.
# Prints the wall time, peak RSS (/usr/bin/time, else the program's
# getrusage at the end of main) and the end event (its "stats", if any).
# Run from anywhere after `make`; exit 0 means pass.
set -u

NAME=scale_locks
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHIM=$ROOT/preload/liblockcheck.so
CC=${CC:-cc}
LIMIT=${SCALE_TIMEOUT:-15}

die() {
	echo "$NAME: $*"
	exit 1
}

[ -f "$SHIM" ] || die "no shim at $SHIM (run make)"
command -v python3 >/dev/null || die "python3 is needed to read the JSONL"
w=$(mktemp -d "${TMPDIR:-/tmp}/$NAME.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$w"' EXIT
unset LD_PRELOAD LOCKCHECK_OPTIONS

prog=$w/$NAME
$CC -O1 -g -pthread -I"$ROOT/lib" -o "$prog" "$ROOT/tests/real/$NAME.c" 2>"$w/cc.err" ||
	{ cat "$w/cc.err"; die "cannot build $NAME.c"; }

TIME=()
[ -x /usr/bin/time ] && TIME=(/usr/bin/time -o "$w/time" -f '%e %M')

# run_native MODE: stdout in $w/MODE.native; must exit 0.
run_native() {
	timeout -k 5 "$LIMIT" "$prog" "$1" >"$w/$1.native" 2>"$w/$1.native.err"
	local st=$?
	[ $st -eq 0 ] || die "native $1 run exited $st (124: timed out): $(head -c 300 "$w/$1.native.err")"
}

# run_shim MODE [OPTIONS]: sets st and log (the one JSONL file); prints the
# time, the peak RSS, the end event and the shim's stderr lines.
run_shim() {
	local m=$1 opts=${2:-}
	mkdir -p "$w/$m.log"
	rm -f "$w/time"
	local t0 t1 rss
	t0=$(date +%s%N)
	timeout -k 5 "$LIMIT" "${TIME[@]}" env LD_PRELOAD="$SHIM" \
		LOCKCHECK_OPTIONS="log_path=$w/$m.log/log:print_findings=0${opts:+:$opts}" \
		"$prog" "$m" >"$w/$m.out" 2>"$w/$m.err"
	st=$?
	t1=$(date +%s%N)
	[ $st -eq 124 ] && die "$m run under the shim timed out after ${LIMIT}s"
	local logs=("$w/$m.log"/log.*.jsonl)
	[ -e "${logs[0]}" ] || die "$m run: exit $st and no log (stderr: $(head -c 300 "$w/$m.err"))"
	[ ${#logs[@]} -eq 1 ] || die "$m run: ${#logs[@]} log files, expected 1"
	log=${logs[0]}
	if [ -s "$w/time" ]; then
		rss="$(tail -n 1 "$w/time" | awk '{print $2}') KB (/usr/bin/time)"
	else
		rss="$(sed -n 's/.*peak_rss_kb=\([0-9]*\).*/\1/p' "$w/$m.err") KB (getrusage at end of main)"
	fi
	echo "$NAME: $m: exit $st, $(((t1 - t0) / 1000000)) ms, peak RSS $rss"
	python3 - "$log" "$NAME: $m: " <<'EOF'
import json, sys
end = None
for line in open(sys.argv[1]):
    if line.startswith('{"event":"end"'):
        end = json.loads(line)
if end is None:
    print(sys.argv[2] + "no end event")
else:
    stats = end.pop("stats", None)
    print(sys.argv[2] + "end event " + json.dumps(end, separators=(",", ":")))
    if stats is not None:
        print(sys.argv[2] + "stats " + json.dumps(stats, separators=(",", ":")))
EOF
	echo "$NAME: $m: shim stderr lines: $(grep -c 'lockcheck:' "$w/$m.err")"
	grep 'lockcheck:' "$w/$m.err" | head -n 5 | sed "s/^/$NAME: $m:   /"
}

# check_log MODE LOG: the JSONL assertions; one line of reason, exit 1.
check_log() {
	python3 - "$1" "$2" "$w/$1.native" <<'EOF'
import json, re, sys
mode, path, native = sys.argv[1:4]
def fail(msg):
    print(msg)
    sys.exit(1)
events = []
for n, line in enumerate(open(path), 1):
    try:
        events.append(json.loads(line))
    except ValueError as e:
        fail("log line %d is not JSON: %s" % (n, e))
if [e.get("event") for e in events[:1]] != ["start"]:
    fail("the log does not begin with a start event")
ends = [e for e in events if e.get("event") == "end"]
graphs = [e for e in events if e.get("event") == "graph"]
findings = [e for e in events if e.get("event") == "finding"]
if len(ends) != 1 or len(graphs) != 1:
    fail("%d end and %d graph events, expected 1 each" % (len(ends), len(graphs)))
end, graph = ends[0], graphs[0]
if findings or end.get("findings") != 0 or end.get("errors") != 0:
    fail("%d findings (end event: %s findings, %s errors), expected none: %s" % (
        len(findings), end.get("findings"), end.get("errors"),
        "; ".join(f.get("message", "?") for f in findings)[:500]))
place = {}
for line in open(native):
    m = re.match(r"pair (\d+): outer_\1 is lock (\d+), inner_\1 is lock (\d+)$", line)
    if m:
        place["outer_" + m.group(1)] = int(m.group(2))
        place["inner_" + m.group(1)] = int(m.group(3))
if len(place) != 32:
    fail("the program printed %d pair locks, expected 32" % len(place))
locks = {l["id"]: l for l in graph["locks"]}
if len(locks) != len(graph["locks"]):
    fail("the graph lists a lock id twice")
in_edges = set()
edges = set()
for e in graph["edges"]:
    in_edges.update((e["from"], e["to"]))
    edges.add((locks.get(e["from"], {}).get("name"), locks.get(e["to"], {}).get("name")))
if in_edges != set(locks):
    fail("the graph lists %d locks, its edges use %d (extra: %s, missing: %s)" % (
        len(locks), len(in_edges), sorted(set(locks) - in_edges)[:5],
        sorted(in_edges - set(locks))[:5]))
want = set(("outer_%d" % k, "inner_%d" % k) for k in range(16))
if edges != want or len(graph["edges"]) != 16:
    fail("graph edges: %d, missing %s, extra %s" % (len(graph["edges"]),
         sorted(want - edges)[:4], sorted(map(str, edges - want))[:4]))
for l in locks.values():
    if l["id"] < place[l["name"]] + 1:
        fail("%s, lock %d made, has id %d: earlier locks got no record" % (
            l["name"], place[l["name"]], l["id"]))
EOF
}

run_native main
grep -q '^scale_locks: 1000000 locks, each locked once, 16 nested pairs twice$' "$w/main.native" ||
	die "the program did not make 1000000 locks"
run_shim main
msg=$(check_log main "$log")
lc=$?
[ $st -eq 0 ] || die "the run under the shim exited $st, expected 0 (as natively)${msg:+; and: $msg}"
cmp -s "$w/main.native" "$w/main.out" ||
	{ diff "$w/main.native" "$w/main.out" | head; die "stdout differs from the native run"; }
! grep -q 'lockcheck:' "$w/main.err" || die "the shim warned: $(grep -m1 'lockcheck:' "$w/main.err")"
[ $lc -eq 0 ] || die "$msg"
echo "$NAME: ok"
