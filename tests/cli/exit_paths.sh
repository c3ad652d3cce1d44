#!/bin/bash
# Processes that end without exit() (issue #17's honest summaries): a
# shell ends by _exit (dash, Debian's /bin/sh, after every `sh -c`: every
# recipe of a make), and so do fork children. preload/exit.c writes their
# graph and end events as exit's handler would:
#  - `lockcheck run -- sh -c '...'`: no process "without an end event";
#  - a vfork child that calls _exit writes nothing (its memory is its
#    parent's), a fork child that calls _exit(5) writes its end event with
#    status 5, and its parent sees 5;
#  - a fork child that made an error finding and calls _exit(0) ends with
#    the findings exit code, as it would at exit(0).
# Run from the repository root.
LC=${LOCKCHECK:-tools/lockcheck}
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/exit_paths.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; for f in "$t"/out; do [ -f "$f" ] && { echo "--- $f"; head -n 30 "$f"; }; done; exit 1; }
cat >"$t/prog.c" <<'C'
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
int main(int argc, char **argv)
{
	int st;
	pthread_mutex_lock(&a);
	pthread_mutex_unlock(&a);
	pid_t v = vfork();
	if (v == 0)
		_exit(7);
	waitpid(v, &st, 0);
	pid_t f = fork();
	if (f == 0) {
		if (argc > 1 && !strcmp(argv[1], "relock"))
			pthread_mutex_unlock(&a); /* a bad-unlock: an error */
		_exit(argc > 1 ? 0 : 5);
	}
	waitpid(f, &st, 0);
	printf("vfork child %d, fork child %d\n", 7, WEXITSTATUS(st));
	return 0;
}
C
cc -O0 -pthread -o "$t/prog" "$t/prog.c" || fail "cannot compile"

"$LC" run --log-dir "$t/sh" -- sh -c "true; true" >"$t/out" 2>&1 || fail "sh -c: exit $?"
grep -q "without an end event" "$t/out" && fail "sh -c: a process without an end event"
grep -q '"event":"end"' "$t"/sh/*.jsonl || fail "sh -c: no end event written"

"$LC" run --log-dir "$t/fork" -- "$t/prog" >"$t/out" 2>&1 || fail "prog: exit $?"
grep -q "vfork child 7, fork child 5" "$t/out" || fail "prog: the fork child's status changed"
grep -q "without an end event" "$t/out" && fail "prog: a process without an end event"
[ "$(ls "$t"/fork/*.jsonl | wc -l)" = 2 ] || fail "prog: expected 2 logs (parent, fork child; none for the vfork child)"
grep -l '"status":5' "$t"/fork/*.jsonl >/dev/null || fail "prog: the fork child's end event lacks status 5"

"$LC" run --log-dir "$t/bad" -- "$t/prog" relock >"$t/out" 2>&1
st=$?
[ $st -eq 66 ] || fail "relock: exit $st (expected 66)"
grep -q "vfork child 7, fork child 66" "$t/out" || fail "relock: the fork child's _exit(0) after an error is not 66"
echo "exit_paths: ok"
