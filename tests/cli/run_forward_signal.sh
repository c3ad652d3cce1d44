#!/bin/bash
# Signals sent to `lockcheck run` reach the program: SIGTERM to lockcheck
# while it runs `sleep 30` ends the sleep at once; lockcheck survives to
# print its report and exits 143 (128 + SIGTERM) within a few seconds. The
# same for SIGUSR1 (138) and SIGHUP (129). Needs the shim (the log file tells
# the sleep's pid).
LC=${LOCKCHECK:-tools/lockcheck}
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/fwd.XXXXXX") || exit 1
watchdog=
# The watchdog is ended with SIGKILL: a bash subshell that a catchable signal
# reaches before it has reset the traps it was forked with runs this EXIT
# trap, and removed $t under the test (seen once in a loaded full run).
trap 'rm -rf "$t"; [ -n "$watchdog" ] && kill -KILL $watchdog 2>/dev/null' EXIT

forward() { # SIGNAL expected-status
	local sig=$1 want=$2 d=$t/$1
	mkdir "$d"
	"$LC" run --log-dir "$d" -- sleep 30 >"$t/out" 2>"$t/err" </dev/null &
	local lc=$!
	# Wait (at most 5 s) for the program to be running under the shim.
	local i=0 f=
	while [ $i -lt 100 ]; do
		f=$(ls "$d"/lockcheck.*.jsonl 2>/dev/null | head -n 1)
		[ -n "$f" ] && break
		sleep 0.05
		i=$((i + 1))
	done
	if [ -z "$f" ]; then
		kill -KILL $lc 2>/dev/null
		echo "FAIL: $sig: the program never started under the shim"
		cat "$t/err"
		exit 1
	fi
	local child=${f##*/lockcheck.}
	child=${child%.jsonl}
	local start=$(date +%s)
	( sleep 10; kill -KILL $lc 2>/dev/null ) &
	watchdog=$!
	kill -s "$sig" $lc
	wait $lc
	local st=$?
	local took=$(($(date +%s) - start))
	kill -KILL $watchdog 2>/dev/null
	wait $watchdog 2>/dev/null
	watchdog=
	if [ "$st" -ne "$want" ]; then
		echo "FAIL: $sig: lockcheck exited $st, expected $want (after ${took}s)"
		cat "$t/err"
		exit 1
	fi
	if [ "$took" -gt 5 ]; then
		echo "FAIL: $sig: took ${took}s"
		exit 1
	fi
	if kill -0 "$child" 2>/dev/null; then
		echo "FAIL: $sig: the program (pid $child) still runs"
		kill -KILL "$child"
		exit 1
	fi
	# Had lockcheck died of the signal itself, there would be no report.
	if ! grep -q '^lockcheck: no findings in 1 process$' "$t/err"; then
		echo "FAIL: $sig: lockcheck printed no report (killed instead of forwarding?):"
		cat "$t/err"
		exit 1
	fi
}

forward TERM 143
forward USR1 138
forward HUP 129
echo "signal forwarding: ok"
