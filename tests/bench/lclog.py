#!/usr/bin/env python3
"""lclog.py PREFIX: sums up the lockcheck logs PREFIX.<pid>.jsonl of one run.

tests/bench/run (make bench) runs each real program with
LOCKCHECK_OPTIONS=log_path=PREFIX:print_findings=0 and calls this to read
back what the shim saw. Prints, on the first line,
    "<lock_calls> <findings> <processes>"
where lock_calls is the sum of "stats"."lock_calls" over the end events of
all the run's processes, or "n/a" when any process's end event lacks it (or a
process wrote no end event): a partial sum would be a made-up figure. Then
one line per finding: "finding <kind> <severity>: <message>". A line that is
not JSON (a log cut short by a kill) is counted on stderr and skipped, so one
bad line does not hide the rest. JSON is parsed, not grepped, because a
finding's message may itself contain the words looked for.
"""
import glob
import json
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: lclog.py PREFIX")
    files = sorted(glob.glob(glob.escape(sys.argv[1]) + ".*.jsonl"))
    calls, complete, bad = 0, bool(files), 0
    findings = []
    for path in files:
        ended = False
        with open(path, errors="replace") as f:
            for line in f:
                try:
                    ev = json.loads(line)
                except ValueError:
                    bad += 1
                    continue
                if not isinstance(ev, dict):
                    continue
                if ev.get("event") == "finding":
                    findings.append(ev)
                elif ev.get("event") == "end":
                    ended = True
                    stats = ev.get("stats")
                    n = stats.get("lock_calls") if isinstance(stats, dict) else None
                    if isinstance(n, int) and not isinstance(n, bool):
                        calls += n
                    else:
                        complete = False
        if not ended:
            complete = False
    if bad:
        print(f"lclog: {bad} malformed line(s) under {sys.argv[1]}", file=sys.stderr)
    print(calls if complete else "n/a", len(findings), len(files))
    for ev in findings:
        msg = " ".join(str(ev.get("message", "")).split())
        print(f"finding {ev.get('kind')} {ev.get('severity')}: {msg}")


main()
