#!/bin/bash
# lockcheck confirm (issue 21): predicted deadlocks made to happen.
# tests/cli/confirm_prog.c and confirm_prog_cxx.cc (built here) have real
# cycles that a normal run survives by timing (their halves 2 ms apart,
# nothing ordering them): each is run once under `lockcheck run` to get its
# report, then `lockcheck confirm` must make the deadlock happen within 5
# runs (exit 66, "CONFIRMED", the deadlock report over the cycle's locks):
# pthread mutexes, a cycle of three threads, rwlock modes, C11 mtx_t, two
# instances of one heap lock class, C++ std::mutex, a program with its own
# watchdog, the program started by a shell (the cycle in a child) and
# the program rebuilt with other offsets since its report;
# and the scenarios that deadlock even natively (tests/scenarios' `hangs`).
# Then what must never be confirmed: the guarded, ordered, single-thread
# and read-shared verdicts are refused with their reason (exit 0, nothing
# run), and scenarios/abba (its halves ordered by a semaphore the shim
# does not model: its deadlock cannot happen) is "not confirmed" with both
# edges reached and the pauses timed out. A program that stops making
# progress for another reason is killed at --timeout and said so. Usage
# errors exit 2 with one line.
LC=${LOCKCHECK:-tools/lockcheck}
CC=${CC:-cc}
CXX=${CXX:-c++}
SCEN=build/tests/scenarios
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/confirm.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; [ -f "$t/out" ] && tail -30 "$t/out"; exit 1; }
"$CC" -O1 -g -pthread -o "$t/prog" tests/cli/confirm_prog.c ||
	fail "cannot build tests/cli/confirm_prog.c"
"$CXX" -std=c++17 -O1 -g -pthread -o "$t/cxxprog" tests/cli/confirm_prog_cxx.cc ||
	fail "cannot build tests/cli/confirm_prog_cxx.cc"

# record NAME PROGRAM ARGS...: a normal run's report in $t/logs.NAME; it
# must end (it survives by timing) and find the inversion.
record() {
	local name=$1
	shift
	"$LC" run --log-dir "$t/logs.$name" -- "$@" >"$t/out" 2>&1 </dev/null
	local rc=$?
	[ "$rc" -eq 66 ] || fail "$name: the recording run exited $rc, not 66"
	grep -q 'lock-order-inversion (deadlock-possible)' "$t/out" ||
		fail "$name: no deadlock-possible inversion recorded"
}

# confirmed NAME LOCK... -- PROGRAM ARGS...
confirmed() {
	local name=$1
	shift
	local locks=()
	while [ "$1" != -- ]; do locks+=("$1"); shift; done
	shift
	"$LC" confirm "$t/logs.$name" -- "$@" >"$t/out" 2>&1 </dev/null
	local rc=$?
	[ "$rc" -eq 66 ] || fail "$name: confirm exited $rc, not 66"
	grep -q 'CONFIRMED: the deadlock happened in run [1-5] of 5' "$t/out" ||
		fail "$name: not confirmed"
	grep -q 'lockcheck: deadlock (threads are blocked on each other)' "$t/out" ||
		fail "$name: no deadlock report"
	grep -q 'closed the cycle: all paused threads released together' "$t/out" ||
		fail "$name: no schedule"
	for l in "${locks[@]}"; do
		grep -q "^    $l: " "$t/out" || fail "$name: the deadlock does not name $l"
	done
	echo "$name: $(grep -o 'CONFIRMED.*' "$t/out")"
}

for m in mutex cycle3 rwlock mtx heap watchdog; do
	record "$m" "$t/prog" "$m"
done
record cxx "$t/cxxprog"
confirmed mutex lock_a lock_b -- "$t/prog" mutex
confirmed cycle3 lock_a lock_b lock_c -- "$t/prog" cycle3
confirmed rwlock lock_a table -- "$t/prog" rwlock
confirmed mtx mtx_a mtx_b -- "$t/prog" mtx
confirmed heap -- "$t/prog" heap
confirmed watchdog lock_a lock_b -- "$t/prog" watchdog
confirmed cxx cache_lock index_lock -- "$t/cxxprog"
confirmed mutex lock_a lock_b -- sh -c "\"$t/prog\" mutex; true"

# The scenarios whose deadlocks happen even natively (each hangs without
# the shim): recorded with --halt, confirmed as well (the annotated
# spinlock's through the watch thread's check of annotated waits).
record abba_racy "$SCEN/abba_racy"
confirmed abba_racy lock_a lock_b -- "$SCEN/abba_racy"
for name in abba_real_deadlock glib_real_deadlock annot_spin_deadlock; do
	"$LC" run --halt --log-dir "$t/logs.$name" -- "$SCEN/$name" >/dev/null 2>&1 </dev/null
	[ $? -eq 66 ] || fail "$name: the recording run did not halt with 66"
	confirmed "$name" -- "$SCEN/$name"
done

# The program rebuilt since its report (-O2: every offset moves): the
# sites match by function, and the deadlock is still made to happen.
mkdir -p "$t/rebuilt"
"$CC" -O2 -g -pthread -o "$t/rebuilt/prog" tests/cli/confirm_prog.c ||
	fail "cannot rebuild tests/cli/confirm_prog.c"
cmp -s "$t/prog" "$t/rebuilt/prog" && fail "the rebuild is the same binary"
confirmed mutex lock_a lock_b -- "$t/rebuilt/prog" mutex

# JSON: one object per finding.
"$LC" confirm --json "$t/logs.mutex" -- "$t/prog" mutex >"$t/out" 2>&1
[ $? -eq 66 ] || fail "json: exit status"
python3 - "$t/out" <<'PY' || fail "json: not the object expected"
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
assert len(lines) == 1, lines
o = json.loads(lines[0])
assert o["state"] == "confirmed" and o["verdict"] == "deadlock-possible", o
assert 1 <= o["run"] <= 5 and o["edges_reached"][0] >= 1, o
assert "deadlock" in o["deadlock"] and "released together" in o["schedule"], o
PY

# Never confirmed: the other verdicts are refused, nothing run.
refused() {
	local name=$1 verdict=$2
	"$LC" run --log-dir "$t/logs.$name" -- "$SCEN/$name" >/dev/null 2>&1 </dev/null
	"$LC" confirm "$t/logs.$name" -- "$SCEN/$name" >"$t/out" 2>&1 </dev/null
	local rc=$?
	[ "$rc" -eq 0 ] || fail "$name: confirm exited $rc, not 0"
	grep -q "($verdict)" "$t/out" && grep -q '^  refused: ' "$t/out" ||
		fail "$name: not refused"
	grep -q 'CONFIRMED\|run 1' "$t/out" && fail "$name: it ran"
	echo "$name: $(grep -o 'refused: .*' "$t/out" | cut -c1-70)..."
}
refused gate_lock_guarded guarded
refused single_thread_abba single-thread
refused read_read_cycle read-shared
"$LC" run --log-dir "$t/logs.ordered" -- "$t/prog" ordered >/dev/null 2>&1
"$LC" confirm "$t/logs.ordered" -- "$t/prog" ordered >"$t/out" 2>&1
[ $? -eq 0 ] && grep -q '(ordered)' "$t/out" && grep -q '^  refused: thread creation and joins' "$t/out" ||
	fail "ordered: not refused"

# A deadlock that cannot happen: not confirmed, and how far it got.
"$LC" run --log-dir "$t/logs.abba" -- "$SCEN/abba" >/dev/null 2>&1 </dev/null
"$LC" confirm --runs 2 "$t/logs.abba" -- "$SCEN/abba" >"$t/out" 2>&1 </dev/null
rc=$?
[ "$rc" -eq 0 ] || fail "abba: confirm exited $rc, not 0"
grep -q '^  not confirmed in 2 runs: edge 1 reached in 2, edge 2 reached in 2; [1-9][0-9]* pauses timed out$' "$t/out" ||
	fail "abba: not the 'not confirmed' line expected"
echo "abba: $(grep -o 'not confirmed.*' "$t/out")"

# A program that stops for a reason of its own: killed at --timeout.
start=$(date +%s)
CONFIRM_STALL=1 "$LC" confirm --runs 2 --timeout 2 "$t/logs.mutex" -- "$t/prog" mutex >"$t/out" 2>&1
rc=$?
took=$(( $(date +%s) - start ))
[ "$rc" -eq 0 ] || fail "stall: confirm exited $rc, not 0"
grep -q '2 runs did not end within 2 s (--timeout) and were killed' "$t/out" ||
	fail "stall: the timeout is not said"
[ "$took" -le 15 ] || fail "stall: took ${took}s"

# Usage errors: one line, exit 2.
usage() {
	"$LC" confirm "$@" >"$t/out" 2>&1
	local rc=$?
	[ "$rc" -eq 2 ] || fail "usage '$*': exit $rc, not 2"
	[ "$(wc -l <"$t/out")" -eq 1 ] || fail "usage '$*': not one line"
}
usage "$t/logs.mutex"
usage --runs 0 "$t/logs.mutex" -- "$t/prog" mutex
usage --timeout x "$t/logs.mutex" -- "$t/prog" mutex
usage --id lc1-0000000000000000 "$t/logs.mutex" -- "$t/prog" mutex
usage -- "$t/prog" mutex
# A log directory LOCKCHECK_OPTIONS cannot carry: refused, nothing run.
usage --log-dir "$t/a:b" "$t/logs.mutex" -- "$t/prog" mutex
[ -e "$t/a:b/lc1-19e3ab7198603a16" ] && fail "separator: a run was made"
ls "$t/a:b" 2>/dev/null | grep -q . && fail "separator: something was run in $t/a:b"
echo 'not json' >"$t/bad.jsonl"
"$LC" confirm "$t/bad.jsonl" -- "$t/prog" mutex >"$t/out" 2>&1
[ $? -eq 2 ] || fail "bad report: not exit 2"
echo "confirm: ok"
