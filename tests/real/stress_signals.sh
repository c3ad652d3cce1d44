#!/bin/bash
# stress_signals (issue #9, scenario d): eight threads lock, time out, wait
# on conditions while SIGALRM (an interval timer, every 100 us) and SIGUSR1
# (pthread_kill) interrupt them, to handlers that lock a handler-only mutex
# or try-lock a shared one (tests/stress/signals.c). Natively and under the
# shim: same status and stdout, no finding, a well-formed log; the
# interrupted calls return what they must (the program checks).
# Run from anywhere after `make`; exit 0 means pass.
set -u
NAME=stress_signals
SRC=signals
. "$(dirname "$0")/../stress/harness.sh"
build
stress_run clean none
pass_line clean
echo "$NAME ($MODE): under the shim, $(cat "$w/clean.err")"
