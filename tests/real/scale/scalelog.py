"""scalelog: reading a lockcheck JSONL log in the scale tests' checks.

Each tests/real/scale_*.sh checks its log in an embedded Python script; this
is the part they share: the log must be JSON line by line, begin with a start
event and hold exactly one graph and one end event. The harness
(scale/harness.sh) puts this directory in SCALE_LIB.
"""
import json
import sys


def fail(msg):
    """One line of reason, then exit 1 (the test fails)."""
    print(msg)
    sys.exit(1)


def load(path):
    """Returns (end, graph, findings) of the log at path, or fails."""
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
    return ends[0], graphs[0], findings


def check_inversion(f, severity, verdict, edge_functions):
    """f must be a lock-order-inversion of that severity and verdict over the
    locks named in edge_functions, {(from name, to name): function}, each
    edge's stack passing through its function; else fails."""
    if f.get("kind") != "lock-order-inversion":
        fail("the finding is a %s, expected lock-order-inversion" % f.get("kind"))
    if f.get("severity") != severity or f.get("verdict") != verdict:
        fail("the finding is %s/%s, expected %s/%s: %s" % (
            f.get("severity"), f.get("verdict"), severity, verdict,
            f.get("message")))
    want = sorted({n for pair in edge_functions for n in pair})
    lnames = sorted(l.get("name") or "?" for l in f["locks"])
    if lnames != want:
        fail("the finding is over %s, expected %s" % (lnames, want))
    names = {l["id"]: l.get("name") for l in f["locks"]}
    fns = {}
    for e in f["edges"]:
        fns[(names.get(e["from"]), names.get(e["to"]))] = [
            fr.get("function") for fr in e.get("stack", [])]
    for pair, fn in edge_functions.items():
        if fn not in fns.get(pair, []):
            fail("the finding's edge %s -> %s is not made in %s: %s" % (
                pair[0], pair[1], fn, fns))
