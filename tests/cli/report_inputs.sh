#!/bin/bash
# `lockcheck report` inputs: a directory (its *.jsonl files in name order,
# numbers compared as numbers), several files merged and de-duplicated, a
# missing file (one line, exit 1, the rest still printed), an empty
# directory, and the colour modes.
LC=${LOCKCHECK:-tools/lockcheck}
G=tests/golden/abba.jsonl
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
[ -f "$G" ] || { echo "FAIL: run from the repository root ($G missing)"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/repin.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; [ -f "$t/out" ] && tail -n 5 "$t/out"; [ -f "$t/err" ] && cat "$t/err"; exit 1; }

mkdir "$t/d" "$t/empty"
sed 's/4242/99/g' "$G" >"$t/d/lockcheck.99.jsonl"
sed 's/4242/101/g' "$G" >"$t/d/lockcheck.101.jsonl"
echo 'not a report' >"$t/d/notes.txt"
echo 'not a report either' >"$t/d/.hidden.jsonl"

"$LC" report --color never "$t/d" >"$t/out" 2>"$t/err" || fail "report DIR: exit $?"
[ ! -s "$t/err" ] || fail "report DIR wrote to stderr"
[ "$(grep -c '^==[0-9]*== lockcheck: ' "$t/out")" -eq 1 ] || fail "report DIR: not exactly one finding block"
head -n 1 "$t/out" | grep -q '^==99== ' || fail "report DIR: lockcheck.99.jsonl is not read first"
grep -qx '  (seen 2 times, in processes 99, 101)' "$t/out" || fail "report DIR: no seen line"
tail -n 1 "$t/out" | grep -qx 'lockcheck: 1 finding (1 error, 0 warnings) in 2 processes' || fail "report DIR: summary"

# Files in the order given: the first given is the one shown.
"$LC" report --color never "$t/d/lockcheck.101.jsonl" "$t/d/lockcheck.99.jsonl" >"$t/out" 2>"$t/err" || fail "report F F: exit $?"
head -n 1 "$t/out" | grep -q '^==101== ' || fail "report F F: order of the arguments not kept"

# A missing file: one line naming it, exit 1, the readable rest printed.
"$LC" report --color never "$t/nope.jsonl" "$G" >"$t/out" 2>"$t/err"
st=$?
[ "$st" -eq 1 ] || fail "missing file: exit $st, expected 1"
[ "$(wc -l <"$t/err")" -eq 1 ] && grep -q "nope.jsonl" "$t/err" || fail "missing file: stderr should be one line naming it"
tail -n 1 "$t/out" | grep -qx 'lockcheck: 1 finding (1 error, 0 warnings) in 1 process' || fail "missing file: the rest was not printed"

# An empty directory is no error.
"$LC" report --color never "$t/empty" >"$t/out" 2>"$t/err" || fail "empty dir: exit $?"
[ "$(cat "$t/out")" = "lockcheck: no findings in 0 processes" ] || fail "empty dir: output"

# Colour: never and auto (stdout is not a terminal here) give none, always some.
esc=$(printf '\033')
"$LC" report --color always "$G" >"$t/out" 2>&1 && grep -q "$esc" "$t/out" || fail "--color always: no escape codes"
"$LC" report --color=never "$G" >"$t/out" 2>&1 && ! grep -q "$esc" "$t/out" || fail "--color=never: escape codes"
"$LC" report "$G" >"$t/out" 2>&1 && ! grep -q "$esc" "$t/out" || fail "--color auto into a file: escape codes"
echo "report inputs: ok"
