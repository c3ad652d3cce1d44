#!/bin/bash
# The all-asleep check end to end (issue 18): `lockcheck run --halt` on a
# hang made of condition waits fails fast with the finding in every output
# format, the report comes within a second of the hang, asleep_check=0
# turns it off (no finding, and no thread of the shim's own in the
# process), and a bad value is one warning. Uses the scenario binaries
# (make test-build). Needs tools/lockcheck, preload/liblockcheck.so, bash.
LC=${LOCKCHECK:-tools/lockcheck}
SHIM=$PWD/preload/liblockcheck.so
BIN=build/tests/scenarios
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
[ -x "$BIN/asleep_rwlock_recursive_read" ] || { echo "FAIL: scenarios not built"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/asleep.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; cat "$t/err" 2>/dev/null | head -20; exit 1; }

# 1. lockcheck run --halt: exit 66, the text report names both condition
# variables and the reader's stack, the JSON and SARIF say all-asleep.
start=$(date +%s%N)
timeout 20 "$LC" run --halt --log-dir "$t/logs" -- "$BIN/asleep_rwlock_recursive_read" \
	>"$t/out" 2>"$t/err"
st=$?
end=$(date +%s%N)
[ $st -eq 66 ] || fail "run --halt: exit $st, expected 66"
grep -q 'every thread is asleep' "$t/err" || fail "no all-asleep report"
grep -q 'readers_ok' "$t/err" && grep -q 'writer_ok' "$t/err" ||
	fail "the condition variables are not named"
grep -q 'read_twice' "$t/err" || fail "the sleeper's stack is not walked"
# The hang begins 0.1 s after start; the report must follow within a
# second of it (the run's own start-up and report included: 3 s).
ms=$(( (end - start) / 1000000 ))
[ $ms -lt 3000 ] || fail "the run took $ms ms"
"$LC" report --format json "$t/logs" >"$t/json" 2>"$t/err" || fail "report --format json: exit $?"
grep -q '"detail": *"all-asleep"' "$t/json" || fail "JSON report lacks detail all-asleep"
"$LC" report --format sarif "$t/logs" >"$t/sarif" 2>"$t/err" || fail "report --format sarif: exit $?"
grep -q 'deadlock' "$t/sarif" || fail "SARIF lacks the deadlock"

# 2. asleep_check=0: the hang stays a hang (killed by timeout), nothing is
# reported, and the process has only its own two threads.
LOCKCHECK_OPTIONS=asleep_check=0:halt_on_error=1 LD_PRELOAD=$SHIM \
	"$BIN/asleep_rwlock_recursive_read" >"$t/out" 2>"$t/err" &
pid=$!
sleep 1.5
threads=$(ls /proc/$pid/task 2>/dev/null | wc -l)
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
[ "$threads" -eq 2 ] || fail "asleep_check=0: $threads threads, expected the program's 2"
grep -q 'lockcheck: deadlock' "$t/err" && fail "asleep_check=0: reported anyway"

# 3. A bad value: one warning, and the default (on) stays.
timeout 10 env LOCKCHECK_OPTIONS=asleep_check=2:halt_on_error=1 LD_PRELOAD="$SHIM" \
	"$BIN/asleep_rwlock_recursive_read" >"$t/out" 2>"$t/err"
st=$?
[ $st -eq 66 ] || fail "asleep_check=2: exit $st, expected 66 (the check still on)"
[ "$(grep -c 'asleep_check=2' "$t/err")" -eq 1 ] || fail "asleep_check=2: not one warning"
echo "ok"
