#!/bin/bash
# A program that cannot be executed: one line naming it, exit 127 (not
# found) or 126 (not executable), like a shell, and no directory left behind.
LC=${LOCKCHECK:-tools/lockcheck}
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/execf.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
mkdir "$t/tmp"
printf 'not a program\n' >"$t/data.txt"

check() { # expected-status program
	TMPDIR=$t/tmp "$LC" run -- "$2" >"$t/out" 2>"$t/err" </dev/null
	local st=$?
	[ "$st" -eq "$1" ] || { echo "FAIL: $2: exit $st, expected $1"; cat "$t/err"; exit 1; }
	[ "$(wc -l <"$t/err")" -eq 1 ] || { echo "FAIL: $2: expected one line on stderr:"; cat "$t/err"; exit 1; }
	grep -qF "$2" "$t/err" || { echo "FAIL: $2: message does not name it: $(cat "$t/err")"; exit 1; }
	[ -z "$(ls -A "$t/tmp")" ] || { echo "FAIL: $2: left behind: $(ls -A "$t/tmp")"; exit 1; }
}
check 127 /nonexistent/lockcheck-no-such-program
check 127 lockcheck-no-such-program-in-path
check 126 "$t/data.txt"
echo "exec failure: ok"
