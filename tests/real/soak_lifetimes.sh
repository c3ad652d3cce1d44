#!/bin/bash
# soak_lifetimes (issue #15): memory follows live locks, not run time.
#
# tests/real/soak_lifetimes.c, a server-shaped program, makes a mutex per
# request (init/destroy, and C++-style reuse without either) in four worker
# threads, taken between two long-lived locks, for SOAK_SECONDS (default
# 30) under the shim. Its resident memory (VmRSS) is sampled every half
# second. Passes when:
#  - the run exits 0 with the native run's stdout and no finding;
#  - the mean of the last third of the samples is within 10% of the mean of
#    the middle third (a checker that kept something per lifetime grows
#    linearly: 30 s of requests are tens of millions of lock lifetimes);
#  - the end event's stats say no dead lock is kept and the live locks are
#    a handful.
# Prints the samples, the requests served and the end event's stats.
set -u
NAME=soak_lifetimes
. "$(dirname "$0")/scale/harness.sh"
SECONDS_RUN=${SOAK_SECONDS:-30}

"$prog" 0.2 >"$w/native.out" 2>/dev/null || die "native run failed"
mkdir -p "$w/log"
env LD_PRELOAD="$SHIM" LOCKCHECK_OPTIONS="log_path=$w/log/log:print_findings=0" \
	"$prog" "$SECONDS_RUN" >"$w/shim.out" 2>"$w/shim.err" &
pid=$!
: >"$w/rss"
while kill -0 "$pid" 2>/dev/null; do
	awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null >>"$w/rss"
	sleep 0.5
done
wait "$pid"
st=$?
[ $st -eq 0 ] || die "exit status $st under the shim: $(head -c 300 "$w/shim.err")"
cmp -s "$w/native.out" "$w/shim.out" || die "stdout differs from the native run"
grep -h . "$w/shim.err" | grep -v '^soak_lifetimes: ' && die "the shim wrote to stderr"
python3 - "$w/rss" "$w"/log/log.*.jsonl "$w/shim.err" <<'PY' || exit 1
import json, sys
rss = [int(x) for x in open(sys.argv[1]).read().split() if x.strip()]
events = [json.loads(l) for l in open(sys.argv[2])]
served = open(sys.argv[3]).read().strip()
def fail(msg):
    print("soak_lifetimes: " + msg)
    sys.exit(1)
if len(rss) < 9:
    fail("only %d memory samples" % len(rss))
third = len(rss) // 3
middle = rss[third:2 * third]
last = rss[2 * third:]
mid_mean = sum(middle) / len(middle)
last_mean = sum(last) / len(last)
print("soak_lifetimes: %s" % served)
print("soak_lifetimes: VmRSS samples (KB): %s" % " ".join(map(str, rss)))
print("soak_lifetimes: middle third mean %.0f KB, last third mean %.0f KB (%+.1f%%)"
      % (mid_mean, last_mean, 100.0 * (last_mean / mid_mean - 1)))
findings = [e for e in events if e.get("event") == "finding"]
if findings:
    fail("%d findings, expected none: %s" % (len(findings), findings[0].get("message")))
end = [e for e in events if e.get("event") == "end"]
if not end:
    fail("no end event")
stats = end[0].get("stats", {})
print("soak_lifetimes: end stats %s" % json.dumps(stats))
if last_mean > 1.10 * mid_mean:
    fail("resident memory grew by more than 10%% from the middle third to the last")
if stats.get("dead_kept", 1) > 64 or stats.get("live_locks", 1 << 30) > 64:
    fail("the checker keeps %s dead and %s live locks at exit, expected a handful"
         % (stats.get("dead_kept"), stats.get("live_locks")))
PY
echo "$NAME: ok"
