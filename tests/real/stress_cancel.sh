#!/bin/bash
# stress_cancel (issue #9, scenario e): threads blocked in
# pthread_cond_wait, _timedwait, _clockwait (holding a rwlock for reading
# around it, some of them) and in pthread_join are cancelled, 400 waves of
# eight (long: 4,000); cleanup handlers unlock what the thread holds
# (tests/stress/cancel.c). Natively and under the shim: same status and
# stdout (the program checks that every unlock succeeded and every lock is
# free after), no finding (no bad-unlock, no held-at-exit), a well-formed
# log. Run from anywhere after `make`; exit 0 means pass.
set -u
NAME=stress_cancel
SRC=cancel
. "$(dirname "$0")/../stress/harness.sh"
build
stress_run clean none
pass_line clean
