#!/bin/bash
# stress_locks (issue #9, scenario a): 64 threads, 1,000 mutexes, rwlocks
# and conditions, every lock, try, timed and clock call and every condition
# operation, always in one ascending order (tests/stress/locks.c).
#  1. clean: natively and under the shim: same status, same stdout, no
#     finding, a well-formed log (tests/stress/harness.sh).
#  2. trap: the same run plus one planted AB-BA between two of the 64
#     workers: exactly one deadlock-possible inversion over trap_a/trap_b,
#     status 66 under the shim, the native stdout.
# Size from LOCKCHECK_STRESS=quick|long (quick: 1,500 rounds per thread;
# long: 40,000). Run from anywhere after `make`; exit 0 means pass.
set -u
NAME=stress_locks
SRC=locks
. "$(dirname "$0")/../stress/harness.sh"
build
stress_run clean none
pass_line clean
stress_run trap inversion:trap_a,trap_b trap
pass_line trap
