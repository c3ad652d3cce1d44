#!/bin/bash
# `lockcheck order`: usage errors are one line and exit 2; -o writes the
# file (and nothing on stdout); an unreadable input is exit 1 after the rest
# is used; `help order` and `order --help` print the usage.
LC=${LOCKCHECK:-tools/lockcheck}
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/order_usage.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
G=tests/golden/order_two_cycle.jsonl
[ -f "$G" ] || { echo "FAIL: no $G (run from the repository root)"; exit 1; }

usage() { # ARGS...: exit 2 and one line on stderr
	"$LC" "$@" >"$t/out" 2>"$t/err"
	local st=$?
	[ "$st" -eq 2 ] || { echo "FAIL: lockcheck $*: exit $st, expected 2"; exit 1; }
	[ "$(wc -l <"$t/err")" -eq 1 ] || { echo "FAIL: lockcheck $*: not one line:"; cat "$t/err"; exit 1; }
	[ ! -s "$t/out" ] || { echo "FAIL: lockcheck $*: wrote stdout"; exit 1; }
}
usage order
usage order -o
usage order --bogus "$G"
usage order --output

"$LC" help order | grep -q '^usage: lockcheck order' || { echo "FAIL: help order"; exit 1; }
"$LC" order --help | grep -q '^usage: lockcheck order' || { echo "FAIL: order --help"; exit 1; }
"$LC" --help | grep -q '^  order ' || { echo "FAIL: order is not in the command list"; exit 1; }

# -o FILE: the file, nothing on stdout, the same text as stdout would be
# (but for the path named in the header).
"$LC" order -o "$t/a.order" "$G" >"$t/out" 2>"$t/err" || { echo "FAIL: -o: exit $?"; cat "$t/err"; exit 1; }
[ ! -s "$t/out" ] || { echo "FAIL: -o also wrote stdout"; exit 1; }
"$LC" order "$G" >"$t/b.order" 2>/dev/null
cmp -s <(grep -v order_file= "$t/a.order") <(grep -v order_file= "$t/b.order") || { echo "FAIL: -o FILE differs from stdout"; exit 1; }
grep -q "order_file=$t/a.order" "$t/a.order" || { echo "FAIL: the header does not name the file"; exit 1; }

# A missing input: one complaint, the rest used, exit 1.
"$LC" order "$t/missing.jsonl" "$G" >"$t/out" 2>"$t/err"
st=$?
[ "$st" -eq 1 ] || { echo "FAIL: missing input: exit $st, expected 1"; exit 1; }
grep -q 'missing.jsonl: cannot open' "$t/err" || { echo "FAIL: missing input not named:"; cat "$t/err"; exit 1; }
grep -qx lock_a "$t/out" || { echo "FAIL: missing input: the rest was not used"; exit 1; }

# An unwritable -o: exit 1.
"$LC" order -o "$t/no/such/dir/x.order" "$G" >/dev/null 2>"$t/err"
[ $? -eq 1 ] || { echo "FAIL: unwritable -o: not exit 1"; exit 1; }
grep -q 'cannot write' "$t/err" || { echo "FAIL: unwritable -o: no message"; cat "$t/err"; exit 1; }
echo "order usage: ok"
