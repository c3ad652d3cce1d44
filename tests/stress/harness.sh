# tests/stress/harness.sh: what every tests/real/stress_*.sh shares.
#
# The stress tests (issue #9) hold the shim to its first promise: it never
# crashes, hangs or changes the behaviour of the program it watches, and
# under load it still reports what it must. Each test builds one program
# from tests/stress/ as a user would (no link to the shim, only -Ilib for the
# optional annotations), runs it natively and under the shim with the same
# arguments, and compares. Sourced after the script sets NAME (the test) and
# SRC (the program's source name, without .c); then the script calls
#   build [CC ARGS...]          compile $SRC.c into $prog
#   stress_run LABEL EXPECT [PROGRAM ARGS...]
# stress_run runs $prog natively, then under the shim (log_path into a fresh
# directory, print_findings=0), each under `timeout` (a hang fails), and
# requires: no crash or timeout, the same exit status as natively (66, the
# findings exit code, when EXPECT names an error finding), byte-identical
# stdout, no "lockcheck:" line on stderr, and logs that check_logs accepts
# (below). EXPECT is "none" (zero findings, the clean programs) or
# "inversion:NAME1,NAME2" (exactly one finding in the whole run: a
# lock-order-inversion, error, deadlock-possible, over the locks so named).
# On success it sets NATIVE_MS, SHIM_MS and SUMMARY (the stdout line that
# begins with the program's name, where it states its sizes), and the script prints one line from
# them; on failure die() prints one line of reason plus the log's tail.
#
# Size: LOCKCHECK_STRESS=quick (the default, what `make test` runs: all
# stress tests together well under a minute on 2 cores) or long (`make
# stress`); the programs read the same variable. STRESS_TIMEOUT overrides the
# per-run limit (quick 30 s, long 300 s).
#
# This file is not named *.sh below tests/real, so tests/run does not take it
# for a test.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHIM=$ROOT/preload/liblockcheck.so
CC=${CC:-cc}
SRC=${SRC:-$NAME}
MODE=${LOCKCHECK_STRESS:-quick}
case $MODE in
quick) LIMIT=${STRESS_TIMEOUT:-30} ;;
long) LIMIT=${STRESS_TIMEOUT:-300} ;;
*)
	echo "$NAME: LOCKCHECK_STRESS must be quick or long, not '$MODE'"
	exit 1
	;;
esac
export LOCKCHECK_STRESS=$MODE

die() {
	echo "$NAME ($MODE): $*"
	exit 1
}

# die_tail REASON FILE: one line of reason, then the last lines of FILE.
die_tail() {
	echo "$NAME ($MODE): $1"
	tail -n 15 "$2" 2>/dev/null | sed 's/^/    /'
	exit 1
}

[ -f "$SHIM" ] || die "no shim at $SHIM (run make)"
command -v python3 >/dev/null || die "python3 is needed to read the JSONL"
w=$(mktemp -d "${TMPDIR:-/tmp}/$NAME.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$w"' EXIT
unset LD_PRELOAD LOCKCHECK_OPTIONS

prog=$w/$SRC
build() {
	$CC -O1 -g -pthread -I"$ROOT/lib" -o "$prog" "$ROOT/tests/stress/$SRC.c" "$@" \
		2>"$w/cc.err" || { cat "$w/cc.err"; die "cannot build $SRC.c"; }
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# describe STATUS: "status N", a signal's name, or the timeout.
describe() {
	if [ "$1" -eq 124 ] || [ "$1" -eq 137 ]; then
		echo "timed out after ${LIMIT}s (status $1)"
	elif [ "$1" -gt 128 ]; then
		echo "killed by signal $(($1 - 128)) ($(kill -l $(($1 - 128)) 2>/dev/null))"
	else
		echo "status $1"
	fi
}

# check_logs DIR EXPECT: every line of every DIR/log.*.jsonl is JSON and each
# file begins with a start event; the process's own log (the one whose
# parent wrote none: fork children write log.<childpid>.jsonl, started with
# their parent's pid as ppid) has exactly one end event; a child's log, if it
# ended normally, one; the findings over all logs are what EXPECT says, and
# so is the root's end event. Prints one reason and exits 1 on failure.
check_logs() {
	python3 - "$1" "$2" <<'EOF'
import glob, json, os, sys
d, expect = sys.argv[1:3]
def fail(msg):
    print(msg)
    sys.exit(1)
logs = {}
for path in sorted(glob.glob(os.path.join(d, "log.*.jsonl"))):
    events = []
    with open(path, "rb") as f:
        data = f.read()
    if data and not data.endswith(b"\n"):
        fail("%s: the last line is cut short" % os.path.basename(path))
    for n, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        try:
            events.append(json.loads(line))
        except ValueError as e:
            fail("%s line %d is not JSON (%s): %.200s" % (os.path.basename(path), n, e, line))
    if not events or events[0].get("event") != "start":
        fail("%s does not begin with a start event" % os.path.basename(path))
    logs[events[0].get("pid")] = (os.path.basename(path), events)
if not logs:
    fail("no log written")
roots = [p for p, (_, ev) in logs.items() if ev[0].get("ppid") not in logs]
if len(roots) != 1:
    fail("%d logs have no parent among the logs, expected 1" % len(roots))
root = roots[0]
findings = []
for pid, (name, events) in logs.items():
    ends = [e for e in events if e.get("event") == "end"]
    if pid == root and len(ends) != 1:
        fail("%s (the process's own log): %d end events, expected 1" % (name, len(ends)))
    if len(ends) > 1:
        fail("%s: %d end events" % (name, len(ends)))
    fs = [e for e in events if e.get("event") == "finding"]
    if ends and ends[0].get("findings") != len(fs):
        fail("%s: the end event counts %s findings, the log holds %d" % (name, ends[0].get("findings"), len(fs)))
    findings += [(name, f) for f in fs]
def show(fs):
    return "; ".join("%s: %s %s" % (n, f.get("kind"), f.get("message", "")) for n, f in fs)[:600]
if expect == "none":
    if findings:
        fail("%d finding(s) in a clean run: %s" % (len(findings), show(findings)))
elif expect.startswith("inversion:"):
    want = sorted(expect.split(":", 1)[1].split(","))
    if len(findings) != 1:
        fail("%d findings, expected exactly 1 inversion over %s: %s" % (len(findings), want, show(findings)))
    f = findings[0][1]
    got = sorted(l.get("name") or "?" for l in f.get("locks", []))
    if (f.get("kind"), f.get("severity"), f.get("verdict"), got) != (
            "lock-order-inversion", "error", "deadlock-possible", want):
        fail("the finding is %s/%s/%s over %s, expected lock-order-inversion/error/deadlock-possible over %s" % (
            f.get("kind"), f.get("severity"), f.get("verdict"), got, want))
else:
    fail("bad EXPECT %r" % expect)
EOF
}

# stress_run LABEL EXPECT [ARGS...]: see the top of this file.
stress_run() {
	local label=$1 expect=$2
	shift 2
	local t0 t1 nst sst want msg
	t0=$(now_ms)
	# (In a subshell: bash's own "Segmentation fault" notice stays out.)
	(timeout -k 5 "$LIMIT" "$prog" "$@" >"$w/$label.native" 2>"$w/$label.native.err") 2>/dev/null
	nst=$?
	t1=$(now_ms)
	NATIVE_MS=$((t1 - t0))
	case $nst in
	124 | 137) die_tail "$label: the native run $(describe $nst)" "$w/$label.native.err" ;;
	esac
	[ "$nst" -gt 128 ] && die_tail "$label: the native run was $(describe $nst)" "$w/$label.native.err"

	rm -rf "$w/$label.log"
	mkdir -p "$w/$label.log"
	t0=$(now_ms)
	(timeout -k 5 "$LIMIT" env LD_PRELOAD="$SHIM" \
		LOCKCHECK_OPTIONS="log_path=$w/$label.log/log:print_findings=0" \
		"$prog" "$@" >"$w/$label.out" 2>"$w/$label.err") 2>/dev/null
	sst=$?
	t1=$(now_ms)
	SHIM_MS=$((t1 - t0))
	[ "$sst" -eq 124 ] || [ "$sst" -eq 137 ] || [ "$sst" -gt 128 ] &&
		die_tail "$label: under the shim: $(describe $sst) (native: status $nst in ${NATIVE_MS} ms)" "$w/$label.err"

	want=$nst
	[ "$expect" != none ] && want=66
	msg=$(check_logs "$w/$label.log" "$expect")
	local lc=$?
	[ "$sst" -eq "$want" ] ||
		die_tail "$label: exit status $sst under the shim, expected $want (native $nst)${msg:+; and: $msg}" "$w/$label.err"
	if ! cmp -s "$w/$label.native" "$w/$label.out"; then
		diff "$w/$label.native" "$w/$label.out" >"$w/$label.diff"
		die_tail "$label: stdout under the shim differs from the native run" "$w/$label.diff"
	fi
	! grep -q 'lockcheck:' "$w/$label.err" ||
		die "$label: the shim wrote to stderr: $(grep -m1 'lockcheck:' "$w/$label.err")"
	[ $lc -eq 0 ] || die "$label: $msg"
	SUMMARY=$(grep -m1 "^$SRC[ :(]" "$w/$label.native" || tail -n 1 "$w/$label.native")
}

# pass_line LABEL: the one line of a passed run: the program's own summary
# and both wall times.
pass_line() {
	echo "$NAME ($MODE) $1: pass: $SUMMARY; native ${NATIVE_MS} ms, shim ${SHIM_MS} ms"
}
