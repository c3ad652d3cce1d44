#!/bin/bash
# scale_held: 1,000 locks held at once by one thread, then one reversed pair.
#
# tests/real/scale_held.c (built here, as a user would: no link to the
# shim): the main thread takes 1,000 named mutexes h0000..h0999 in index
# order, holding them all at once, then releases them in reverse order.
# Each acquisition makes an edge from every lock held: 499,500 edges.
#  1. `clean` natively and under the shim: exit 0, the same stdout, no
#     finding, no shim warning (no "holds more than ... locks": 1,000 is
#     within what a thread may hold); the graph event has exactly the
#     499,500 edges hI -> hJ, I < J.
#  2. `reverse`: a thread created before (unordered with the main thread's
#     acquisitions) waits on a semaphore until the main thread has released
#     everything, then takes h0700 then h0300. Under the shim: exit 66, the
#     same stdout, exactly one finding: a lock-order-inversion, error,
#     deadlock-possible, over h0300 and h0700, the reverse edge made in
#     take_reversed and the other in take_all; the graph is the same plus
#     h0700 -> h0300.
# For each shim run: wall time, peak RSS (/usr/bin/time, else the program's
# getrusage at the end of main) and the end event (its "stats", if any).
# Run from anywhere after `make`; exit 0 means pass.
set -u

NAME=scale_held
. "$(dirname "$0")/scale/harness.sh"

# check_log MODE LOG: the JSONL assertions; one line of reason, exit 1.
check_log() {
	python3 - "$1" "$2" <<'EOF'
import json, os, re, sys
mode, path = sys.argv[1:3]
sys.path.insert(0, os.environ["SCALE_LIB"])
from scalelog import check_inversion, fail, load
end, graph, findings = load(path)
want_findings = 1 if mode == "reverse" else 0
if len(findings) != want_findings or end.get("findings") != want_findings:
    fail("%d findings (end event: %s), expected %d: %s" % (
        len(findings), end.get("findings"), want_findings,
        "; ".join(f.get("message", "?") for f in findings)[:500]))

index = {}
for l in graph["locks"]:
    name = l.get("name") or ""
    if not re.match(r"h\d{4}$", name):
        fail("graph lock %s is named %r, not h<index>" % (l["id"], name))
    index[l["id"]] = int(name[1:])
if len(index) != 1000:
    fail("the graph lists %d locks, expected 1000" % len(index))
forward, reverse, seen = 0, [], set()
for e in graph["edges"]:
    key = (index[e["from"]], index[e["to"]])
    if key in seen:
        fail("graph edge h%04d -> h%04d listed twice" % key)
    seen.add(key)
    if key[0] < key[1]:
        forward += 1
    else:
        reverse.append(key)
want_reverse = [(700, 300)] if mode == "reverse" else []
if forward != 499500 or reverse != want_reverse:
    fail("the graph has %d forward edges (expected 499500, all I < J) and reverse edges %s (expected %s)" % (
        forward, reverse[:4], want_reverse))

if mode == "reverse":
    check_inversion(findings[0], "error", "deadlock-possible",
                    {("h0300", "h0700"): "take_all", ("h0700", "h0300"): "take_reversed"})
if end.get("errors") != want_findings:
    fail("end event counts %s errors, expected %d" % (end.get("errors"), want_findings))
EOF
}

for mode in clean reverse; do
	want_st=0
	[ $mode = reverse ] && want_st=66
	run_native "$mode"
	grep -q "^scale_held $mode: 1000 locks held at once, released in reverse" "$w/$mode.native" ||
		die "$mode: the program did not run to its end"
	run_shim "$mode"
	verify_run "$mode" "$want_st"
	echo "$NAME: $mode: pass"
done
echo "$NAME: ok"
