#!/bin/bash
# The output options of `lockcheck report` and `lockcheck graph` beyond the
# golden files: usage errors (exit 2, one line), --kind/--min-severity in
# every format, -o FILE (and an unwritable FILE: exit 1), bad input (one
# stderr line per bad line, the rest still written, exit 1) in each format,
# an empty report, `graph` with nothing to draw, and `graph --format svg`
# (through Graphviz's dot when it is installed; without dot on PATH a
# clear error and exit 1).
LC=${LOCKCHECK:-tools/lockcheck}
G=tests/golden/formats.jsonl
M=tests/golden/malformed.jsonl
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
[ -f "$G" ] || { echo "FAIL: run from the repository root ($G missing)"; exit 1; }
LC=$(cd "$(dirname "$LC")" && pwd)/$(basename "$LC")
t=$(mktemp -d "${TMPDIR:-/tmp}/fmts.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; [ -f "$t/out" ] && head -n 5 "$t/out"; [ -f "$t/err" ] && cat "$t/err"; exit 1; }

# Usage errors: exit 2, one line on stderr, nothing on stdout.
usage() { # words...
	"$LC" "$@" >"$t/out" 2>"$t/err"
	st=$?
	[ "$st" -eq 2 ] || fail "'$*': exit $st, expected 2"
	[ "$(wc -l <"$t/err")" -eq 1 ] || fail "'$*': stderr is not one line"
	[ ! -s "$t/out" ] || fail "'$*': wrote to stdout"
}
usage report --format pdf "$G"
usage report --kind no-such-kind "$G"
usage report --min-severity info "$G"
usage report --format
usage report -o
usage report --format json
usage graph --format png "$G"
usage graph
grep -q "sarif" <("$LC" help report) || fail "help report does not list sarif"
"$LC" help graph | grep -q -- "--format dot|svg" || fail "help graph"
"$LC" --help | grep -q '^  graph ' || fail "graph is not in the command list"

# Filters apply to every format, and to its counts.
"$LC" report --format json --kind double-lock "$G" >"$t/out" 2>"$t/err" || fail "json --kind: exit $?"
[ "$(grep -c '"event":"finding"' "$t/out")" -eq 1 ] || fail "json --kind double-lock: not one finding"
"$LC" report --format junit --min-severity error "$G" >"$t/out" 2>"$t/err" || fail "junit --min-severity"
grep -q 'tests="3" failures="3"' "$t/out" || fail "junit --min-severity error: counts"
grep -q '<system-out>' "$t/out" && fail "junit --min-severity error: a warning is left"
"$LC" report --format junit "$G" >"$t/out" || fail "junit"
[ "$(grep -c '<system-out>' "$t/out")" -eq 2 ] || fail "junit: warnings are not 2 passing testcases with system-out"
"$LC" report --format sarif --kind held-at-exit "$G" >"$t/out" || fail "sarif --kind"
[ "$(grep -c '"ruleId"' "$t/out")" -eq 1 ] || fail "sarif --kind held-at-exit: not one result"
grep -q '"level": "warning"' "$t/out" || fail "sarif: held-at-exit is not a warning"
tests/cli/sarif_validate.py "$t/out" >"$t/check" 2>&1 || { cat "$t/check"; fail "sarif --kind: not valid SARIF 2.1.0 (schema)"; }
"$LC" report --format html --kind double-lock "$G" >"$t/out" || fail "html --kind"
[ "$(grep -c '<section class="finding' "$t/out")" -eq 1 ] || fail "html --kind double-lock: not one section"
grep -q '>lock_a</text>' "$t/out" || fail "html --kind double-lock: the graph events' locks are not drawn"
grep -q 'fill="#ffebee"' "$t/out" && fail "html --kind double-lock: a cycle that was filtered out is still highlighted"
"$LC" report --color never --min-severity error --kind held-at-exit "$G" >"$t/out" || fail "text filters"
grep -qx "lockcheck: no findings in 3 processes, 1 suppressed" "$t/out" || fail "text: everything filtered out"

# -o FILE; an unwritable FILE is exit 1 and one line.
"$LC" report --format json -o "$t/r.json" "$G" >"$t/out" 2>"$t/err" || fail "-o: exit $?"
[ ! -s "$t/out" ] && [ -s "$t/r.json" ] || fail "-o: output not (only) in the file"
"$LC" report --format json -o "$t/no/such/dir/r.json" "$G" >"$t/out" 2>"$t/err"
[ $? -eq 1 ] || fail "-o to a missing directory: not exit 1"
grep -q "cannot write" "$t/err" || fail "-o to a missing directory: no message"

# Bad input: one line per bad line, the rest still written, exit 1.
for f in text json sarif junit html; do
	"$LC" report --color never --format $f "$M" >"$t/out" 2>"$t/err"
	st=$?
	[ "$st" -eq 1 ] || fail "$f of malformed input: exit $st, expected 1"
	[ "$(wc -l <"$t/err")" -eq 6 ] || fail "$f of malformed input: not 6 stderr lines"
	grep -q 'lc1-5b0e7d21c94a3f68' "$t/out" || fail "$f of malformed input: the readable finding is missing"
	if [ $f = sarif ]; then
		tests/cli/sarif_validate.py "$t/out" >"$t/check" 2>&1 || { cat "$t/check"; fail "sarif of malformed input: not valid SARIF 2.1.0 (schema)"; }
	fi
done

# An empty report.
: >"$t/empty.jsonl"
"$LC" report --format json "$t/empty.jsonl" >"$t/out" || fail "empty json"
[ "$(cat "$t/out")" = "[]" ] || fail "empty json is not []"
"$LC" report --format sarif "$t/empty.jsonl" >"$t/out" || fail "empty sarif"
grep -q '"results": \[\]' "$t/out" || fail "empty sarif has results"
tests/cli/sarif_validate.py "$t/out" >"$t/check" 2>&1 || { cat "$t/check"; fail "empty sarif: not valid SARIF 2.1.0 (schema)"; }
"$LC" report --format html "$t/empty.jsonl" >"$t/out" || fail "empty html"
grep -q 'No findings' "$t/out" || fail "empty html does not say so"

# graph: nothing to draw is exit 1 with a message (and an empty digraph).
"$LC" graph "$t/empty.jsonl" >"$t/out" 2>"$t/err"
[ $? -eq 1 ] || fail "graph of nothing: not exit 1"
grep -q "nothing to draw" "$t/err" || fail "graph of nothing: no message"
grep -q '^digraph lockcheck {' "$t/out" || fail "graph of nothing: no digraph"
# Merged across processes by identity: config_lock -> lock_a is 3 + 2.
"$LC" graph -o "$t/g.dot" "$G" 2>"$t/err" || fail "graph -o: exit $?"
grep -qF '"config_lock" -> "lock_a" [label="5"];' "$t/g.dot" || fail "graph: counts not merged by identity"

# graph --format svg without dot on PATH: a clear error, exit 1.
mkdir "$t/bin"
PATH=$t/bin "$LC" graph --format svg "$G" >"$t/out" 2>"$t/err"
st=$?
[ "$st" -eq 1 ] || fail "graph --format svg without dot: exit $st, expected 1"
grep -q "needs Graphviz's dot" "$t/err" && grep -q -- "--format dot" "$t/err" || fail "graph --format svg without dot: message"
[ ! -s "$t/out" ] || fail "graph --format svg without dot: wrote to stdout"
if command -v dot >/dev/null; then
	"$LC" graph --format svg -o "$t/g.svg" "$G" 2>"$t/err" || fail "graph --format svg: exit $?"
	grep -q '<svg' "$t/g.svg" || fail "graph --format svg: no <svg>"
	grep -q '>lock_a<' "$t/g.svg" || fail "graph --format svg: lock_a is not drawn"
else
	echo "note: Graphviz's dot is not installed: graph --format svg itself not run"
fi
exit 0
