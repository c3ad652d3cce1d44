#!/bin/bash
# The log bound (issue 17): with log_limit_mb=1, a process making far more
# than 1 MiB of findings (tests/cli/health_prog.c "findings": 5000 distinct
# bad-unlock findings) keeps its log under 1 MiB, says the limit once (a
# "log-size" limit event, and in the end event's limits), still writes its
# end event, and `lockcheck report` says how many findings were not written.
# Needs tools/lockcheck, preload/liblockcheck.so and a C compiler.
LC=${LOCKCHECK:-tools/lockcheck}
SHIM=${SHIM:-preload/liblockcheck.so}
CC=${CC:-cc}
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/loglim.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
"$CC" -O1 -g -pthread -Ilib -o "$t/prog" tests/cli/health_prog.c ||
	{ echo "FAIL: cannot build tests/cli/health_prog.c"; exit 1; }
fail() { echo "FAIL: $*"; exit 1; }

run() { # log_limit_mb value, directory
	mkdir "$t/$2"
	LD_PRELOAD=$PWD/$SHIM LOCKCHECK_OPTIONS=log_path=$t/$2/l:print_findings=0:exitcode=0:log_limit_mb=$1 \
		"$t/prog" findings 5000 || fail "the program failed under the shim"
}
run 1 bounded
log=$(echo "$t"/bounded/l.*.jsonl)
size=$(stat -c %s "$log")
[ "$size" -le 1048576 ] || fail "log of $size bytes, bound 1 MiB"
[ "$(grep -c '"event":"limit","pid":[0-9]*,"limit":"log-size"' "$log")" = 1 ] ||
	fail "the log-size limit is not said exactly once"
tail -n 1 "$log" | grep -q '^{"event":"end",.*"findings":5000,.*"limits":\["log-size"\]}$' ||
	fail "the last line is not the end event with the limit: $(tail -c 300 "$log")"
"$LC" report "$t/bounded" >"$t/out" 2>&1
grep -q '^lockcheck: [0-9]* more findings were found but not written to the log (log_limit_mb reached in 1 process)$' "$t/out" ||
	{ cat "$t/out" | tail -5; fail "report: the unwritten findings are not said"; }
grep -q 'log-size (1 process; raise log_limit_mb, 0 for no bound)' "$t/out" ||
	{ cat "$t/out" | tail -5; fail "report: the limit line does not say what to change"; }

# 0: no bound; every finding is written.
run 0 unbounded
log=$(echo "$t"/unbounded/l.*.jsonl)
[ "$(grep -c '"event":"finding"' "$log")" = 5000 ] || fail "log_limit_mb=0 dropped findings"
if grep -q '"log-size"' "$log"; then fail "log_limit_mb=0 reached a limit"; fi
echo "log limit: ok"
