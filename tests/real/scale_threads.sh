#!/bin/bash
# scale_threads: 1,000 threads over one run, one planted inversion late in it.
#
# tests/real/scale_threads.c (built here, as a user would: no link to the
# shim) runs 20 waves of 50 worker threads (created, then all joined), each
# taking three of eight named shared locks nested in ascending order, so the
# shim's thread records are recycled hundreds of times.
#  1. `clean` natively and under the shim: exit 0, the same stdout, no
#     finding, an end event; the graph event has exactly the 28 shared edges
#     (i -> j for i < j) and each edge's count (its contexts, kept or
#     dropped) is the number of workers that took that pair, as the program
#     prints it: no thread's edge was lost.
#  2. `plant`: in wave 17, after 850 threads have ended, two more threads
#     ("plant-ab", "plant-ba", alive at once) take plant_a/plant_b in
#     opposite orders. Under the shim: exit 66 (the findings exit code), the
#     native stdout, exactly one finding: a lock-order-inversion, error,
#     deadlock-possible, over plant_a and plant_b, its two edges made by
#     plant-ab in take_first_then_second and plant-ba in
#     take_second_then_first.
# (`shared`, run by scale_threads_shared.sh: the same two threads invert
# shared_2/shared_5 instead, an edge hundreds of workers made before;
# `early`, run by scale_threads_early.sh: plant-ab makes shared_2 ->
# shared_5 early and is joined only at the end, plant-ba reverses it alone
# late in the run; `ordered`, run by scale_threads_ordered.sh: every worker
# also takes plant_a -> plant_b in waves 0..9 and plant_b -> plant_a in
# waves 10..19, opposite orders that create/join order keeps apart: one
# finding, a warning, verdict ordered, exit 0 as natively.)
# SCALE_THREADS_MODES picks the runs (default "clean plant"),
# SCALE_THREADS_RUNS how many runs under the shim each gets (default 1).
# For each shim run: wall time, peak RSS (/usr/bin/time, else the program's
# getrusage at the end of main) and the end event (its "stats", if any).
# Run from anywhere after `make`; exit 0 means pass.
set -u

NAME=scale_threads
# The modes to run (the scale_threads_*.sh wrappers pick theirs).
MODES=${SCALE_THREADS_MODES:-clean plant}
# Runs under the shim per mode (scale_threads_ordered.sh makes several).
RUNS=${SCALE_THREADS_RUNS:-1}
NAME=${SCALE_THREADS_NAME:-$NAME}
SRC=scale_threads
. "$(dirname "$0")/scale/harness.sh"

# check_log MODE LOG: the JSONL assertions shared by both runs; prints one
# reason and exits 1 on failure.
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
kinds = [e.get("event") for e in events]
if kinds[:1] != ["start"]:
    fail("the log does not begin with a start event: %s" % kinds[:1])
ends = [e for e in events if e.get("event") == "end"]
graphs = [e for e in events if e.get("event") == "graph"]
findings = [e for e in events if e.get("event") == "finding"]
if len(ends) != 1:
    fail("%d end events, expected 1" % len(ends))
if len(graphs) != 1:
    fail("%d graph events, expected 1" % len(graphs))
end, graph = ends[0], graphs[0]
want_findings = 0 if mode == "clean" else 1
if mode == "ordered" and len(findings) > 1:
    # The same cycle again under a new verdict (an upgrade): show them.
    fail("%d findings, expected 1 (ordered): %s" % (len(findings), "; ".join(
        "%s/%s threads %s" % (f.get("severity"), f.get("verdict"),
                              [t.get("name") for t in f.get("threads", [])])
        for f in findings)))
if len(findings) != want_findings or end.get("findings") != want_findings:
    fail("%d findings (end event: %s), expected %d: %s" % (
        len(findings), end.get("findings"), want_findings,
        "; ".join(f.get("message", "?") for f in findings)[:500]))

# The graph: every shared edge, with a count per distinct worker.
want = {}
for line in open(native):
    m = re.match(r"pair shared_(\d) shared_(\d): (\d+) workers$", line)
    if m:
        want[("shared_" + m.group(1), "shared_" + m.group(2))] = int(m.group(3))
if len(want) != 28:
    fail("the program printed %d pair counts, expected 28" % len(want))
names = {l["id"]: l.get("name") for l in graph["locks"]}
got = {}
for e in graph["edges"]:
    key = (names.get(e["from"]), names.get(e["to"]))
    if key in got:
        fail("edge %s -> %s listed twice in the graph" % key)
    got[key] = e["count"]
if mode == "plant":
    for key in (("plant_a", "plant_b"), ("plant_b", "plant_a")):
        if got.pop(key, None) != 1:
            fail("the graph lacks %s -> %s with count 1" % key)
if mode == "ordered":
    # Every worker: plant_a -> plant_b in waves 0..9, the reverse after.
    for key in (("plant_a", "plant_b"), ("plant_b", "plant_a")):
        count = got.pop(key, None)
        if count != 500:
            fail("the graph lacks %s -> %s with count 500 (count %s)" %
                 (key + (count,)))
if mode in ("shared", "early"):
    # plant-ab adds one context to shared_2 -> shared_5; plant-ba makes
    # the reverse edge.
    want[("shared_2", "shared_5")] += 1
    if got.pop(("shared_5", "shared_2"), None) != 1:
        fail("the graph lacks shared_5 -> shared_2 with count 1")
if set(got) != set(want):
    fail("graph edges differ: missing %s, extra %s" % (
        sorted(set(want) - set(got))[:5], sorted(set(got) - set(want))[:5]))
for key in sorted(want):
    if got[key] != want[key]:
        fail("edge %s -> %s: count %d in the graph, %d workers took it" % (
            key + (got[key], want[key])))

if mode == "ordered":
    f = findings[0]
    if f.get("kind") != "lock-order-inversion":
        fail("the finding is a %s, expected lock-order-inversion" % f.get("kind"))
    lnames = sorted(l.get("name") or "?" for l in f["locks"])
    if lnames != ["plant_a", "plant_b"]:
        fail("the finding is over %s, expected plant_a and plant_b" % lnames)
    if f.get("severity") != "warning" or f.get("verdict") != "ordered":
        fail("the finding is %s/%s (threads %s), expected warning/ordered: %s" % (
            f.get("severity"), f.get("verdict"),
            [t.get("name") for t in f.get("threads", [])], f.get("message")))
if mode in ("plant", "shared", "early"):
    pair = ["plant_a", "plant_b"] if mode == "plant" else ["shared_2", "shared_5"]
    f = findings[0]
    if f.get("kind") != "lock-order-inversion":
        fail("the finding is a %s, expected lock-order-inversion" % f.get("kind"))
    if f.get("severity") != "error" or f.get("verdict") != "deadlock-possible":
        fail("the finding is %s/%s, expected error/deadlock-possible: %s" % (
            f.get("severity"), f.get("verdict"), f.get("message")))
    lnames = sorted(l.get("name") or "?" for l in f["locks"])
    if lnames != pair:
        fail("the finding is over %s, expected %s" % (lnames, " and ".join(pair)))
    tnames = {t["id"]: t.get("name") for t in f["threads"]}
    by = {}
    for e in f["edges"]:
        fn = [fr.get("function") for fr in e.get("stack", [])]
        by[tnames.get(e["thread"])] = fn
    if "take_second_then_first" not in by.get("plant-ba", []):
        fail("no edge of the finding is plant-ba's in take_second_then_first: %s" % by)
    other = [t for t in by if t != "plant-ba"]
    if mode in ("plant", "early"):
        # (early: plant-ab is the only thread that took shared_2 ->
        # shared_5 unordered with plant-ba, which ran alone.)
        if other != ["plant-ab"] or "take_first_then_second" not in by["plant-ab"]:
            fail("the other edge is not plant-ab's in take_first_then_second: %s" % by)
    else:
        # Any thread alive beside plant-ba that took shared_2 -> shared_5:
        # plant-ab or a worker of the same wave (w850..w899).
        ok = lambda t: t == "plant-ab" or (t and re.match(r"w(\d+)$", t)
                                           and 850 <= int(t[1:]) < 900)
        if len(other) != 1 or not ok(other[0]):
            fail("the other edge is %s's, not a thread alive beside plant-ba" % other)
want_errors = 0 if mode == "ordered" else want_findings
if end.get("errors") != want_errors:
    fail("end event counts %s errors, expected %d" % (end.get("errors"), want_errors))
EOF
}

for mode in $MODES; do
	case $mode in
	clean | ordered) threads=1000 want_st=0 ;;
	plant | shared | early) threads=1002 want_st=66 ;;
	*) die "unknown mode $mode" ;;
	esac
	run_native "$mode"
	grep -q "^scale_threads $mode: $threads threads in 20 waves\$" "$w/$mode.native" ||
		die "$mode run: not $threads threads"
	case $mode in
	clean) ;;
	ordered) grep -q '^planted sections: 1000$' "$w/$mode.native" || die "$mode run: not 1000 planted sections" ;;
	*) grep -q '^planted sections: 2$' "$w/$mode.native" || die "$mode run: the planted sections did not run" ;;
	esac
	for run in $(seq 1 "$RUNS"); do
		QUIET=
		[ $run -gt 1 ] && QUIET=1
		r=$mode
		[ "$RUNS" -gt 1 ] && r="$mode (run $run of $RUNS)"
		run_shim "$mode"
		verify_run "$mode" "$want_st" "$r"
	done
	echo "$NAME: $mode: pass$([ "$RUNS" -gt 1 ] && echo " ($RUNS runs)")"
done
echo "$NAME: ok"
