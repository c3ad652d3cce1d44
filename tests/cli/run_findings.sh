#!/bin/bash
# `lockcheck run` on a program with an AB-BA inversion: the merged report on
# stderr, the findings exit code (66, --exitcode N, -o exitcode=N, 0 = the
# program's own status), a finding made only by a child process, --halt, and
# a kept --log-dir used twice (the first run's findings not reported again).
# Needs cc, tools/lockcheck and preload/liblockcheck.so.
LC=${LOCKCHECK:-tools/lockcheck}
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/runf.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT

cat >"$t/abba.c" <<'C'
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static sem_t first_done;
__attribute__((noinline)) void a_then_b(void)
{
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
}
__attribute__((noinline)) void b_then_a(void)
{
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_a);
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
}
static void *t1(void *p) { a_then_b(); sem_post(&first_done); return p; }
static void *t2(void *p) { sem_wait(&first_done); b_then_a(); return p; }
int main(int argc, char **argv)
{
	pthread_t x, y;
	sem_init(&first_done, 0, 0);
	pthread_create(&x, NULL, t1, NULL);
	pthread_create(&y, NULL, t2, NULL);
	pthread_join(x, NULL);
	pthread_join(y, NULL);
	puts("abba: done");
	return argc > 1 ? atoi(argv[1]) : 0;
}
C
cc -O1 -g -pthread -o "$t/abba" "$t/abba.c" || { echo "FAIL: cannot compile the test program"; exit 1; }

# run WANT-STATUS DESCRIPTION lockcheck-run-arguments...
run() {
	local want=$1 what=$2
	shift 2
	"$LC" run "$@" >"$t/out" 2>"$t/err" </dev/null
	local st=$?
	if [ "$st" -ne "$want" ]; then
		echo "FAIL: $what: exit $st, expected $want"
		cat "$t/err"
		exit 1
	fi
}
expect_err() { # DESCRIPTION fixed-string: stderr has a line that is exactly it
	grep -qxF -- "$2" "$t/err" || { echo "FAIL: $1: no line '$2' on stderr:"; cat "$t/err"; exit 1; }
}

run 66 "default findings exit code" -- "$t/abba"
grep -q '^==[0-9]*== lockcheck: lock-order-inversion (deadlock-possible) \[error\]$' "$t/err" || { echo "FAIL: no headline:"; cat "$t/err"; exit 1; }
grep -q '^  Cycle of 2 locks: lock_[ab] => lock_[ab] => lock_[ab]$' "$t/err" || { echo "FAIL: no cycle line:"; cat "$t/err"; exit 1; }
expect_err "summary" "lockcheck: 1 finding (1 error, 0 warnings) in 1 process"
[ "$(cat "$t/out")" = "abba: done" ] || { echo "FAIL: program stdout: $(cat "$t/out")"; exit 1; }
if grep -q 'lockcheck' "$t/out"; then echo "FAIL: report on stdout"; exit 1; fi
# print_findings=0: the shim's live text is not printed, only the merged
# report: the headline appears exactly once.
[ "$(grep -c 'lockcheck: lock-order-inversion (' "$t/err")" -eq 1 ] || { echo "FAIL: headline not exactly once:"; cat "$t/err"; exit 1; }

run 7 "--exitcode 7" --exitcode 7 -- "$t/abba"
run 9 "-o exitcode=9" -o exitcode=9 -- "$t/abba"
run 5 "--exitcode 0 keeps the program's status" --exitcode 0 -- "$t/abba" 5
run 0 "--exitcode 0 keeps the program's status 0" --exitcode 0 -- "$t/abba"
run 66 "a finding made by a child process" -- sh -c "\"$t/abba\"; exit 0"
expect_err "child summary" "lockcheck: 1 finding (1 error, 0 warnings) in 2 processes"

run 66 "--halt" --halt -- "$t/abba"
[ ! -s "$t/out" ] || { echo "FAIL: --halt: the program ran on: $(cat "$t/out")"; exit 1; }

mkdir "$t/logs"
run 66 "--log-dir, first run" --log-dir "$t/logs" -- "$t/abba"
run 66 "--log-dir, second run" --log-dir "$t/logs" -- "$t/abba"
expect_err "second run summary" "lockcheck: 1 finding (1 error, 0 warnings) in 1 process"
if grep -q 'seen 2 times' "$t/err"; then echo "FAIL: the first run's finding was reported again:"; cat "$t/err"; exit 1; fi
n=$(ls "$t/logs" | grep -c '^lockcheck\.[0-9]*\.jsonl$')
[ "$n" -eq 2 ] || { echo "FAIL: $n report files in the log dir, expected 2: $(ls "$t/logs")"; exit 1; }
# ... while `lockcheck report` on the directory merges both runs.
"$LC" report --color never "$t/logs" >"$t/out" 2>"$t/err" || { echo "FAIL: report on the log dir: exit $?"; cat "$t/err"; exit 1; }
grep -q '^  (seen 2 times, in processes [0-9]*, [0-9]*)$' "$t/out" || { echo "FAIL: report did not merge the two runs:"; tail -5 "$t/out"; exit 1; }
# Two processes of one run, the same problem in each: one merged finding.
"$LC" run -- sh -c "\"$t/abba\"; \"$t/abba\"" >"$t/out" 2>"$t/err"
st=$?
[ "$st" -eq 66 ] || { echo "FAIL: two processes: status $st, expected 66"; cat "$t/err"; exit 1; }
n=$(grep -c '^==[0-9]*== lockcheck: lock-order-inversion' "$t/err")
[ "$n" -eq 1 ] || { echo "FAIL: two processes: $n finding blocks, expected 1 merged:"; cat "$t/err"; exit 1; }
grep -q '^  (seen 2 times, in processes [0-9]*, [0-9]*)$' "$t/err" ||
	{ echo "FAIL: two processes: not merged:"; cat "$t/err"; exit 1; }
grep -q 'lockcheck: 1 finding (1 error, 0 warnings) in 3 processes' "$t/err" ||
	{ echo "FAIL: two processes: summary:"; tail -3 "$t/err"; exit 1; }
echo "run findings: ok"
