#!/bin/bash
# stress_churn (issue #9, scenario b): thread create/exit churn: 10,000
# threads (long: 100,000) in waves of 100, half joined, half detached, each
# taking two or three shared mutexes in order, a rwlock, and a mutex of its
# own made and destroyed on its stack (tests/stress/churn.c). Natively and
# under the shim: same status and stdout, no finding, a well-formed log.
# Run from anywhere after `make`; exit 0 means pass.
set -u
NAME=stress_churn
SRC=churn
. "$(dirname "$0")/../stress/harness.sh"
build
stress_run clean none
pass_line clean
