#!/bin/bash
# `lockcheck run` exits with the program's own status when nothing was found,
# prints its summary on stderr, and removes the temporary log directory it
# made (under $TMPDIR). Needs tools/lockcheck and preload/liblockcheck.so.
LC=${LOCKCHECK:-tools/lockcheck}
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/runst.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
mkdir "$t/tmp"

check() { # expected-status description, then the program
	local want=$1 what=$2
	shift 2
	TMPDIR=$t/tmp "$LC" run -- "$@" >"$t/out" 2>"$t/err" </dev/null
	local st=$?
	if [ "$st" -ne "$want" ]; then
		echo "FAIL: $what: exit $st, expected $want"
		cat "$t/err"
		exit 1
	fi
	if [ -n "$(ls -A "$t/tmp")" ]; then
		echo "FAIL: $what: left behind in TMPDIR: $(ls -A "$t/tmp")"
		exit 1
	fi
	if ! grep -q '^lockcheck: no findings in 1 process$' "$t/err"; then
		echo "FAIL: $what: no summary line on stderr:"
		cat "$t/err"
		exit 1
	fi
}

check 3 "sh -c 'exit 3'" sh -c 'exit 3'
check 0 "true" true
check 1 "false" false
check 143 "sh -c 'kill -TERM \$\$'" sh -c 'kill -TERM $$'
check 137 "sh -c 'kill -KILL \$\$'" sh -c 'kill -KILL $$'

# The program's stdout is its own: nothing of lockcheck's goes there.
TMPDIR=$t/tmp "$LC" run -- echo hello >"$t/out" 2>"$t/err"
[ "$(cat "$t/out")" = hello ] || { echo "FAIL: stdout of the program changed: $(cat "$t/out")"; exit 1; }

# An existing LD_PRELOAD is kept (after the shim), LOCKCHECK_OPTIONS extended.
LD_PRELOAD=libm.so.6 LOCKCHECK_OPTIONS=stack_depth=8 TMPDIR=$t/tmp \
	"$LC" run -- sh -c 'echo "$LD_PRELOAD|$LOCKCHECK_OPTIONS"' >"$t/out" 2>"$t/err"
case $(cat "$t/out") in
*liblockcheck.so:libm.so.6\|stack_depth=8:log_path=*/lockcheck:print_findings=0) ;;
*) echo "FAIL: environment given to the program: $(cat "$t/out")"; exit 1 ;;
esac
echo "run exit status: ok"
