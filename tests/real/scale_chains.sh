#!/bin/bash
# scale_chains: 10,000 distinct lock chains in one thread, then one inversion.
#
# tests/real/scale_chains.c (built here, as a user would: no link to the
# shim) takes 10,000 distinct nested chains of 2..6 of 200 named mutexes
# (c000..c199), each in ascending order, twice over: far more chains than
# the shim's per-thread chain cache holds, so it evicts and looks again.
#  1. `clean` natively and under the shim: exit 0, the same stdout, no
#     finding, no shim warning; the graph event holds exactly the edges the
#     program made (their count and an order-free hash of the set, printed by
#     the program, against the same computed from the graph), every one
#     from a lower to a higher index.
#  2. `invert`: the same, then the thread takes c150 then c020 (c020 -> c150
#     is one of the edges). Under the shim: exit 0 as natively (an inversion
#     inside one thread is a warning), the same stdout, exactly one finding:
#     a lock-order-inversion over c020 and c150, verdict single-thread,
#     severity warning, the reverse edge made in take_inverted; the graph
#     holds the chains' edges plus c150 -> c020.
# For each shim run: wall time, peak RSS (/usr/bin/time, else the program's
# getrusage at the end of main) and the end event (its "stats", if any).
# Run from anywhere after `make`; exit 0 means pass.
set -u

NAME=scale_chains
. "$(dirname "$0")/scale/harness.sh"

# check_log MODE LOG: the JSONL assertions; one line of reason, exit 1.
check_log() {
	python3 - "$1" "$2" "$w/$1.native" <<'EOF'
import json, os, re, sys
mode, path, native = sys.argv[1:4]
sys.path.insert(0, os.environ["SCALE_LIB"])
from scalelog import fail, load
end, graph, findings = load(path)
want_findings = 1 if mode == "invert" else 0
if len(findings) != want_findings or end.get("findings") != want_findings:
    fail("%d findings (end event: %s), expected %d: %s" % (
        len(findings), end.get("findings"), want_findings,
        "; ".join(f.get("message", "?") for f in findings)[:500]))
if end.get("errors") != 0:
    fail("end event counts %s errors, expected 0" % end.get("errors"))

m = re.search(r"^distinct edges: (\d+), hash ([0-9a-f]{16})$", open(native).read(), re.M)
if not m:
    fail("the program did not print its edge count")
want_n, want_hash = int(m.group(1)), int(m.group(2), 16)
names = {l["id"]: l.get("name") for l in graph["locks"]}
n, h, seen = 0, 0, set()
reverse = []
for e in graph["edges"]:
    a, b = names.get(e["from"]), names.get(e["to"])
    if not (a and b and re.match(r"c\d{3}$", a) and re.match(r"c\d{3}$", b)):
        fail("graph edge %s -> %s between unknown locks" % (a, b))
    if (a, b) in seen:
        fail("graph edge %s -> %s listed twice" % (a, b))
    seen.add((a, b))
    i, k = int(a[1:]), int(b[1:])
    if i > k:
        reverse.append((a, b))
        continue
    n += 1
    h = (h + (i * 200 + k + 1) * 0x9E3779B97F4A7C15) % (1 << 64)
want_reverse = [("c150", "c020")] if mode == "invert" else []
if reverse != want_reverse:
    fail("reverse edges in the graph: %s, expected %s" % (reverse[:5], want_reverse))
if n != want_n or h != want_hash:
    fail("the graph has %d forward edges (hash %016x); the program made %d (hash %016x)" % (
        n, h, want_n, want_hash))

if mode == "invert":
    f = findings[0]
    if f.get("kind") != "lock-order-inversion":
        fail("the finding is a %s, expected lock-order-inversion" % f.get("kind"))
    if f.get("verdict") != "single-thread" or f.get("severity") != "warning":
        fail("the finding is %s/%s, expected warning/single-thread: %s" % (
            f.get("severity"), f.get("verdict"), f.get("message")))
    lnames = sorted(l.get("name") or "?" for l in f["locks"])
    if lnames != ["c020", "c150"]:
        fail("the finding is over %s, expected c020 and c150" % lnames)
    fns = [fr.get("function") for e in f["edges"] for fr in e.get("stack", [])]
    if "take_inverted" not in fns or "take_chain" not in fns:
        fail("the finding's stacks lack take_inverted or take_chain: %s" % fns)
EOF
}

for mode in clean invert; do
	run_native "$mode"
	grep -q "^scale_chains $mode: 10000 distinct chains over 200 locks, 2 passes\$" "$w/$mode.native" ||
		die "$mode: the program did not make 10000 distinct chains"
	run_shim "$mode"
	verify_run "$mode" 0
	echo "$NAME: $mode: pass"
done
echo "$NAME: ok"
