#!/bin/bash
# stress_fork (issue #9, scenario c): 1,000 forks (long: 5,000) from a
# process whose four other threads lock throughout; each child takes the
# locks it may (one the program guards with pthread_atfork, one its forking
# thread held, its own) and ends by exit() or _exit(); the parent waits for
# each with a deadline, so a child that hangs fails the run
# (tests/stress/fork.c). Natively and under the shim: same status and
# stdout, no finding in any log (the parent's, and every child's: those
# that exit(), and those that _exit(), which preload/exit.c makes write
# their end event too), each log well-formed, each with its end event.
# Run from anywhere after `make`; exit 0 means pass.
set -u
NAME=stress_fork
SRC=fork
. "$(dirname "$0")/../stress/harness.sh"
build
stress_run clean none
# One log per process: the parent's and every child's, by exit() or by
# _exit() alike, each ended by its end event.
n=$(ls "$w/clean.log" | wc -l)
forks=$(sed -n 's/^fork: \([0-9]*\) children.*/\1/p' "$w/clean.native")
[ "$n" -eq $((forks + 1)) ] || die "$n log files, expected $((forks + 1)) (the parent's and one per child)"
ends=$(cat "$w"/clean.log/* | grep -c '"event":"end"')
[ "$ends" -eq $((forks + 1)) ] || die "$ends end events, expected $((forks + 1))"
pass_line clean
