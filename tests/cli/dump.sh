#!/bin/bash
# `lockcheck dump PID` on a live, blocked program under the shim.
#
# tests/cli/dump_target.c (built here) runs with
# LOCKCHECK_OPTIONS=log_path=...:dump_signal=12: T2 "holder" holds lock_a
# and sleeps, T3 "waiter" holds lock_b and blocks on lock_a, T1 joins T3.
# `lockcheck dump PID` must exit 0 and print both named threads, what each
# holds and that T3 waits for lock_a held by T2 (and T1 to join T3); the
# program must still be running afterwards (the dump does not disturb it),
# and the text of the dump is the same when asked twice. The shim marks a
# thread as waiting only after ~10 ms, so the dump is retried (up to 4 s)
# until T3 shows as waiting. Needs the shim with dump_signal support.
# Run from the repository root; LOCKCHECK overrides the binary under test.
LC=${LOCKCHECK:-tools/lockcheck}
SHIM=$PWD/preload/liblockcheck.so
CC=${CC:-cc}
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
[ -f "$SHIM" ] || { echo "FAIL: no shim at $SHIM"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/dump.XXXXXX") || exit 1
pid=
trap '[ -n "$pid" ] && kill -KILL $pid 2>/dev/null; rm -rf "$t"' EXIT

"$CC" -O1 -g -pthread -o "$t/dump_target" tests/cli/dump_target.c ||
	{ echo "FAIL: cannot build tests/cli/dump_target.c"; exit 1; }

env LD_PRELOAD="$SHIM" \
	LOCKCHECK_OPTIONS="log_path=$t/log:dump_signal=12:print_findings=0" \
	"$t/dump_target" >"$t/out" 2>"$t/err" </dev/null &
pid=$!
disown $pid

i=0
until grep -qx ready "$t/out"; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 $pid 2>/dev/null; then
		echo "FAIL: dump_target never got ready under the shim"
		cat "$t/err"
		exit 1
	fi
	sleep 0.05
done

# has FILE TEXT: the fixed string TEXT is in FILE.
has() { grep -qF -- "$2" "$1"; }

want=(
	"lockcheck dump of process $pid (dump_target): 3 threads"
	"T2 (holder)"
	"T3 (waiter)"
	"holds lock_a (mutex at 0x"
	"holds lock_b (mutex at 0x"
	"waits for lock_a (mutex at 0x"
	"held by T2 (holder), at:"
	"waits to join T3 (waiter) for "
	"hold_for_ever"
	"wait_behind_holder"
)
ok=
for try in $(seq 1 20); do
	sleep 0.2
	"$LC" dump --timeout 5 "$pid" >"$t/dump" 2>"$t/dump.err"
	st=$?
	if [ $st -ne 0 ]; then
		echo "FAIL: lockcheck dump exited $st:"
		cat "$t/dump.err"
		echo "--- program stderr:"
		tail -n 20 "$t/err"
		exit 1
	fi
	has "$t/dump" "waits for lock_a" && has "$t/dump" "waits to join" &&
		{ ok=1; break; }
done
if [ -z "$ok" ]; then
	echo "FAIL: after 20 dumps, T3 never shows as waiting for lock_a:"
	cat "$t/dump"
	exit 1
fi
for w in "${want[@]}"; do
	if ! has "$t/dump" "$w"; then
		echo "FAIL: the dump does not say '$w':"
		cat "$t/dump"
		exit 1
	fi
done
if [ -s "$t/dump.err" ]; then
	echo "FAIL: lockcheck dump wrote on stderr:"
	cat "$t/dump.err"
	exit 1
fi
# T2's section holds lock_a and is not waiting; T3's holds lock_b.
awk '/^T2 /{s=2} /^T3 /{s=3} /^T1 /{s=1} /^$/{s=0}
     s==2 && /holds lock_a/ {a=1} s==2 && /not waiting/ {n=1}
     s==3 && /holds lock_b/ {b=1}
     END {exit !(a && n && b)}' "$t/dump" || {
	echo "FAIL: the holds are attributed to the wrong threads:"
	cat "$t/dump"
	exit 1
}
if grep -q '^Found a deadlock' "$t/dump"; then
	echo "FAIL: a deadlock named where there is none:"
	cat "$t/dump"
	exit 1
fi

# Asked again: the same text but for the wait times; the program lives on.
"$LC" dump "$pid" >"$t/dump2" 2>&1 || { echo "FAIL: second dump:"; cat "$t/dump2"; exit 1; }
norm() { sed -E 's/ for [0-9]+ ms/ for N ms/' "$1"; }
if ! diff <(norm "$t/dump") <(norm "$t/dump2") >"$t/diff"; then
	echo "FAIL: a second dump differs:"
	cat "$t/diff"
	exit 1
fi
kill -0 $pid 2>/dev/null || { echo "FAIL: the program died of the dump"; cat "$t/err"; exit 1; }
# Two dump events in the log, no finding.
n=$(grep -c '"event":"dump"' "$t"/log.$pid.jsonl)
[ "$n" -ge 2 ] || { echo "FAIL: $n dump events in the log, expected 2 or more"; exit 1; }
if grep -q '"event":"finding"' "$t"/log.$pid.jsonl; then
	echo "FAIL: the shim made a finding:"
	grep '"event":"finding"' "$t"/log.$pid.jsonl | head -c 2000
	exit 1
fi
echo "dump: ok"
