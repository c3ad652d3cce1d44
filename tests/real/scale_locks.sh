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
. "$(dirname "$0")/scale/harness.sh"

# check_log MODE LOG: the JSONL assertions; one line of reason, exit 1.
check_log() {
	python3 - "$1" "$2" "$w/$1.native" <<'EOF'
import json, os, re, sys
mode, path, native = sys.argv[1:4]
sys.path.insert(0, os.environ["SCALE_LIB"])
from scalelog import fail, load
end, graph, findings = load(path)
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
