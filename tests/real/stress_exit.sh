#!/bin/bash
# stress_exit (issue #9, scenario g): the process ends (exit(7) from main,
# return 9 from main, exit(5) from another thread) while threads hold locks
# and park in condition waits, others are blocked on those locks (lock,
# timedlock, clocklock, rdlock, join) and others lock busily
# (tests/stress/exit.c). Under the shim as natively: the program's own
# status, its stdout (atexit handlers' lines included), no finding, a log
# with its end event, and promptly: within 5 s. Each way runs 3 times
# (long: 20 times, with 4 times the threads).
# Run from anywhere after `make`; exit 0 means pass.
set -u
NAME=stress_exit
SRC=exit
. "$(dirname "$0")/../stress/harness.sh"
build
runs=3
[ "$MODE" = long ] && runs=20
for how in exit return thread; do
	worst=0
	for i in $(seq 1 $runs); do
		stress_run "$how" none "$how"
		[ "$SHIM_MS" -lt 5000 ] || die "$how (run $i): the process took ${SHIM_MS} ms to end under the shim"
		[ "$SHIM_MS" -gt "$worst" ] && worst=$SHIM_MS
	done
	SUMMARY="$SUMMARY; $runs runs, the slowest under the shim ${worst} ms"
	pass_line "$how"
done
