#!/bin/bash
# contention_100: tests/scenarios/contention_no_deadlock, 100 times under the
# shim.
#
# The scenario (four threads, one lock order over three mutexes and a
# rwlock, 30 ms holds) makes many waits that outlast the shim's grace and
# enter the wait-for graph; a wait-for check that reads stale state reports
# a deadlock only now and then, so one run proves little. Each of 100 runs
# must exit 0, print exactly what the native run printed, and leave a log
# with a start event, an end event and no finding. The first failing run is
# shown (its status, stdout diff or findings) and ends the test.
# Run from anywhere after `make test-build`; exit 0 means pass.

set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHIM=$ROOT/preload/liblockcheck.so
BIN=$ROOT/build/tests/scenarios/contention_no_deadlock
RUNS=${CONTENTION_RUNS:-100}

die() {
	echo "contention_100: $*"
	exit 1
}

[ -f "$SHIM" ] || die "no shim at $SHIM (run make)"
[ -x "$BIN" ] || die "no $BIN (run make test-build)"

work=$(mktemp -d "${TMPDIR:-/tmp}/contention_100.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT

timeout 60 "$BIN" >"$work/native.out" 2>"$work/native.err"
st=$?
[ $st -eq 0 ] || die "the native run exited $st: $(head -c 500 "$work/native.err")"

for i in $(seq 1 "$RUNS"); do
	d=$work/$i
	mkdir "$d"
	timeout 60 env LD_PRELOAD="$SHIM" \
		LOCKCHECK_OPTIONS="log_path=$d/log:print_findings=0" \
		"$BIN" >"$d/out" 2>"$d/err"
	st=$?
	logs=("$d"/log.*.jsonl)
	if [ $st -ne 0 ]; then
		echo "contention_100: run $i of $RUNS exited $st (124: timed out); stderr:"
		head -n 20 "$d/err"
		grep -h '"event":"finding"' "${logs[@]}" 2>/dev/null | head -c 3000
		exit 1
	fi
	if ! cmp -s "$work/native.out" "$d/out"; then
		echo "contention_100: run $i of $RUNS: stdout differs from the native run:"
		diff -u "$work/native.out" "$d/out"
		exit 1
	fi
	[ -e "${logs[0]}" ] || die "run $i of $RUNS: the shim wrote no log"
	if grep -q '"event":"finding"' "${logs[@]}"; then
		echo "contention_100: run $i of $RUNS made findings:"
		grep -h '"event":"finding"' "${logs[@]}" | head -c 3000
		echo
		exit 1
	fi
	grep -q '"event":"start"' "${logs[@]}" || die "run $i of $RUNS: no start event"
	grep -q '"event":"end"' "${logs[@]}" || die "run $i of $RUNS: no end event"
	rm -rf "$d"
done
echo "contention_100: $RUNS runs, no finding, same output as natively"
