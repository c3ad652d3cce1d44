#!/bin/bash
# scale_edges: 100,000 edges in one lock-order graph, then one reversed pair.
#
# tests/real/scale_edges.c (built here, as a user would: no link to the
# shim) initialises 1,000 mutexes of one heap array in a shuffled order,
# then takes every nested pair (locks[i], locks[i + d]), d = 1..106, lower
# address first: 100,329 distinct edges, one consistent order.
#  1. `clean` natively and under the shim: exit 0, the same stdout, no
#     finding, no shim warning; the graph event has exactly those edges
#     (mapped to array indices by address, with the base the program prints
#     on stderr), at least 100,000, each made once.
#  2. `reverse`: a thread created before the pairs, waiting on a semaphore
#     until they are done, then takes locks[560] (rev_hi) then locks[500]
#     (rev_lo). Under the shim: exit 66, the same stdout, exactly one
#     finding: a lock-order-inversion, error, deadlock-possible, over rev_lo
#     and rev_hi, the reverse edge made in take_reversed and the other in
#     take_pair; the graph is the same plus rev_hi -> rev_lo.
# For each shim run: wall time, peak RSS (/usr/bin/time, else the program's
# getrusage at the end of main) and the end event (its "stats", if any).
# Run from anywhere after `make`; exit 0 means pass.
set -u

NAME=scale_edges
. "$(dirname "$0")/scale/harness.sh"

# check_log MODE LOG: the JSONL assertions; one line of reason, exit 1.
check_log() {
	python3 - "$1" "$2" "$w/$1.err" <<'EOF'
import json, os, re, sys
mode, path, err = sys.argv[1:4]
sys.path.insert(0, os.environ["SCALE_LIB"])
from scalelog import check_inversion, fail, load
end, graph, findings = load(path)
want_findings = 1 if mode == "reverse" else 0
if len(findings) != want_findings or end.get("findings") != want_findings:
    fail("%d findings (end event: %s), expected %d: %s" % (
        len(findings), end.get("findings"), want_findings,
        "; ".join(f.get("message", "?") for f in findings)[:500]))

m = re.search(r"base=(0x[0-9a-f]+) size=(\d+)", open(err).read())
if not m:
    fail("the program did not print its array's base address")
base, size = int(m.group(1), 16), int(m.group(2))
index = {}
for l in graph["locks"]:
    off = int(l["address"], 16) - base
    if off < 0 or off % size or off // size >= 1000:
        fail("graph lock %s at %s is not in the array" % (l["id"], l["address"]))
    index[l["id"]] = off // size
got = set()
for e in graph["edges"]:
    key = (index[e["from"]], index[e["to"]])
    if key in got:
        fail("graph edge %s -> %s listed twice" % key)
    if e.get("count") != 1:
        fail("graph edge %s -> %s has count %s, expected 1" % (key + (e.get("count"),)))
    got.add(key)
want = set((i, i + d) for d in range(1, 107) for i in range(1000 - d))
if mode == "reverse":
    want.add((560, 500))
if got != want:
    fail("graph: %d edges, %d expected; missing %s, extra %s" % (
        len(got), len(want), sorted(want - got)[:4], sorted(got - want)[:4]))
if len(graph["edges"]) < 100000:
    fail("the graph has %d edges, expected at least 100000" % len(graph["edges"]))

if mode == "reverse":
    check_inversion(findings[0], "error", "deadlock-possible",
                    {("rev_lo", "rev_hi"): "take_pair", ("rev_hi", "rev_lo"): "take_reversed"})
if end.get("errors") != want_findings:
    fail("end event counts %s errors, expected %d" % (end.get("errors"), want_findings))
EOF
}

for mode in clean reverse; do
	want_st=0
	[ $mode = reverse ] && want_st=66
	run_native "$mode"
	grep -q "^scale_edges $mode: 1000 locks, 100329 distinct pairs" "$w/$mode.native" ||
		die "$mode: the program did not take 100329 pairs"
	run_shim "$mode"
	verify_run "$mode" "$want_st"
	echo "$NAME: $mode: pass"
done
echo "$NAME: ok"
