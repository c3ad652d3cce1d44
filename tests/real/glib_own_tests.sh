#!/bin/bash
# GLib's own lock tests under `lockcheck run` (issue 20), from Debian's
# libglib2.0-tests (installed tests of the GLib the system has): GMutex
# (tests/mutex.c, its functional cases), GCond (tests/cond.c, all: waits,
# g_cond_wait_until, contended and interrupted) and GRWLock
# (tests/rwlock.c, all: 100 threads over 48 locks in the last cases).
# Each must pass as natively (every TAP line "ok"), its lock calls must be
# seen and counted by kind, and the findings must be exactly the ones the
# tests make on purpose, read from GLib's source:
#   mutex.c test_mutex3: g_mutex_trylock of a GMutex the thread holds
#     (g_assert (!g_mutex_trylock (&mutex))): one double-lock;
#   rwlock.c test_rwlock3: g_rw_lock_writer_trylock of a lock the thread
#     holds for writing, and test_rwlock6: g_rw_lock_reader_trylock of one
#     it holds for writing: two double-locks (a try that can never succeed
#     until the caller releases the lock);
#   cond.c: none.
# Needs libglib2.0-tests (TEST_DEPS).
LC=${LOCKCHECK:-tools/lockcheck}
dir=/usr/libexec/installed-tests/glib
[ -x "$dir/mutex" ] || { echo "FAIL: $dir/mutex is missing (libglib2.0-tests)"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/glibtests.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; tail -20 "$t/err"; exit 1; }

# run NAME WANT_STATUS KIND-OF-CALLS FINDINGS ARGS...: FINDINGS is the
# sorted list of finding kinds expected, space-separated ("" for none).
run() {
	local name=$1 want=$2 kind=$3 findings=$4
	shift 4
	(cd "$t" && "$OLDPWD/$LC" run --log-dir "$t/logs.$name" -- "$dir/$name" "$@") \
		>"$t/out" 2>"$t/err" </dev/null
	local rc=$?
	[ "$rc" -eq "$want" ] || fail "$name: exit $rc, not $want"
	grep -q '^not ok' "$t/out" && fail "$name: GLib's test failed under the shim"
	grep -q '^ok ' "$t/out" || fail "$name: no test ran"
	grep -Eq "^lockcheck: [0-9]+ lock calls seen in 1 process \(.*$kind [0-9]+" "$t/err" ||
		fail "$name: no $kind calls counted"
	local got
	got=$(cat "$t/logs.$name"/*.jsonl | grep '"event":"finding"' |
		sed 's/.*"kind":"\([a-z-]*\)".*/\1/' | sort | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$findings" ] || fail "$name: findings [$got], expected [$findings]"
	echo "$name: $(grep -E '^lockcheck: [0-9]+ lock calls' "$t/err" | sed 's/^lockcheck: //'); findings [$got]"
}

run mutex 66 gmutex "double-lock" -p /thread/mutex1 -p /thread/mutex2 \
	-p /thread/mutex3 -p /thread/mutex4 -p /thread/mutex5
run cond 0 gmutex ""
run rwlock 66 rwlock "double-lock double-lock"
echo "glib own tests: ok"
