#!/bin/bash
# --baseline PATH of `lockcheck run` and `lockcheck report`, on a real
# program (tests/cli/baseline_prog.c: an AB-BA; with "new" a second, C-D):
#   - run: old findings only -> the program's own status (3), even though
#     the shim alone would have exited 66; a new error finding -> 66 (or
#     --exitcode N); with --halt, only a new error finding stops it; the text says which are new and "N new, M unchanged,
#     K fixed"; --sarif FILE is SARIF 2.1.0 (schema-validated) with
#     baselineState new/unchanged, located at the program's source;
#   - report: each baseline form (log directory, log file, JSON report),
#     exit 66 on a new error and 0 on old ones, absent results and "fixed"
#     for findings gone, "baseline" in the JSON, filters applied alike;
#   - suite-wide cycles (tests/golden/suite_abba.jsonl) are matched by id;
#   - bad baselines: one line, exit 2 (missing) or 1 (unreadable, not a
#     report), and `run` starts nothing.
# Needs cc, tools/lockcheck, preload/liblockcheck.so, python3-jsonschema.
LC=${LOCKCHECK:-tools/lockcheck}
VALIDATE=tests/cli/sarif_validate.py
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
[ -f tests/cli/baseline_prog.c ] || { echo "FAIL: run from the repository root"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/baseline.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; for f in "$t/err" "$t/check"; do [ -s "$f" ] && tail -n 15 "$f"; done; exit 1; }
summary() { grep '^lockcheck: .* finding' "$1" | tail -n 1; }

# Compiled from the repository root, so its DWARF path is relative to it.
cc -g -O1 -pthread -o "$t/prog" tests/cli/baseline_prog.c || fail "cc"

# --- run ---------------------------------------------------------------
"$LC" run --log-dir "$t/base" -- "$t/prog" 2>"$t/err"
[ $? -eq 66 ] || fail "the baseline run: not 66"
"$LC" run --baseline "$t/base" -- "$t/prog" 2>"$t/err"
st=$?
[ $st -eq 3 ] || fail "old findings only: exit $st, not the program's own 3"
[ "$(summary "$t/err")" = "lockcheck: 1 finding (1 error, 0 warnings) in 1 process; 0 new, 1 unchanged, 0 fixed" ] ||
	fail "old findings only: summary '$(summary "$t/err")'"
grep -qx '  (unchanged: in the baseline)' "$t/err" || fail "old finding not marked unchanged"

"$LC" run --baseline "$t/base" --sarif "$t/run.sarif" -- "$t/prog" new 2>"$t/err"
st=$?
[ $st -eq 66 ] || fail "a new error: exit $st, not 66"
[ "$(summary "$t/err")" = "lockcheck: 2 findings (2 errors, 0 warnings) in 1 process; 1 new, 1 unchanged, 0 fixed" ] ||
	fail "a new error: summary '$(summary "$t/err")'"
grep -qx '  (new: not in the baseline)' "$t/err" || fail "the new finding is not marked new"
"$VALIDATE" "$t/run.sarif" >"$t/check" 2>&1 || fail "run --sarif: not valid SARIF 2.1.0"
python3 - "$t/run.sarif" >"$t/check" 2>&1 <<'EOF' || fail "run --sarif: baselineState or locations"
import json, sys
res = json.load(open(sys.argv[1]))["runs"][0]["results"]
states = {r["message"]["text"]: r["baselineState"] for r in res}
assert states == {"cycle of 2 locks: lock_a => lock_b => lock_a": "unchanged",
                  "cycle of 2 locks: lock_c => lock_d => lock_c": "new"}, states
for r in res:
    for loc in r["locations"]:
        art = loc["physicalLocation"]["artifactLocation"]
        # The program's own source under the current directory, never glibc's.
        assert art == {"uri": "tests/cli/baseline_prog.c", "uriBaseId": "%SRCROOT%"}, art
EOF
"$LC" run --baseline "$t/base" --exitcode 9 -- "$t/prog" new 2>"$t/err"
[ $? -eq 9 ] || fail "a new error with --exitcode 9: not 9"
# --halt stops at the first NEW error only (the shim gets the baseline's
# ids, known_ids=): old findings let the program run to its own end (its
# last line is on stdout), a new one halts it with 66; the ids file is gone
# after the run.
"$LC" run --halt --baseline "$t/base" -- "$t/prog" >"$t/out" 2>"$t/err"
st=$?
[ $st -eq 3 ] || fail "--halt on an old finding: exit $st, not the program's own 3"
grep -q 'baseline_prog: done' "$t/out" || fail "--halt on an old finding: the program was stopped"
"$LC" run --halt --baseline "$t/base" --log-dir "$t/halt" -- "$t/prog" new >"$t/out" 2>"$t/err"
st=$?
[ $st -eq 66 ] || fail "--halt on a new finding: exit $st, not 66"
grep -q 'baseline_prog: done' "$t/out" && fail "--halt on a new finding: the program ran to its end"
[ -e "$t/halt/known.ids" ] && fail "--halt: known.ids left in the log directory"

# --- report --------------------------------------------------------------
"$LC" run --log-dir "$t/both" -- "$t/prog" new 2>"$t/err"
[ $? -eq 66 ] || fail "the run with both cycles: not 66"
"$LC" report --format json "$t/base" >"$t/base.json" 2>"$t/err" || fail "report --format json"
base_file=$(ls "$t"/base/*.jsonl | head -n 1)
for b in "$t/base" "$base_file" "$t/base.json"; do
	"$LC" report --baseline "$b" "$t/both" >"$t/out" 2>"$t/err"
	st=$?
	[ $st -eq 66 ] || fail "report --baseline $b with a new error: exit $st, not 66"
	[ "$(summary "$t/out")" = "lockcheck: 2 findings (2 errors, 0 warnings) in 1 process; 1 new, 1 unchanged, 0 fixed" ] ||
		fail "report --baseline $b: summary '$(summary "$t/out")'"
	"$LC" report --baseline "$b" "$t/base" >"$t/out" 2>"$t/err" ||
		fail "report --baseline $b with old findings only: exit $?, not 0"
done
# Findings gone since the baseline: "fixed", absent results.
"$LC" report --baseline "$t/both" "$t/base" >"$t/out" 2>"$t/err" || fail "fixed: exit $?"
[ "$(summary "$t/out")" = "lockcheck: 1 finding (1 error, 0 warnings) in 1 process; 0 new, 1 unchanged, 1 fixed" ] ||
	fail "fixed: summary '$(summary "$t/out")'"
"$LC" report --format sarif --baseline "$t/both" "$t/base" >"$t/fixed.sarif" 2>"$t/err" || fail "fixed sarif: exit $?"
"$VALIDATE" "$t/fixed.sarif" >"$t/check" 2>&1 || fail "fixed sarif: not valid SARIF 2.1.0"
python3 - "$t/fixed.sarif" >"$t/check" 2>&1 <<'EOF' || fail "fixed sarif: baselineState"
import json, sys
res = json.load(open(sys.argv[1]))["runs"][0]["results"]
got = sorted((r["baselineState"], r["message"]["text"]) for r in res)
assert got == [("absent", "cycle of 2 locks: lock_c => lock_d => lock_c"),
               ("unchanged", "cycle of 2 locks: lock_a => lock_b => lock_a")], got
for r in res:
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "tests/cli/baseline_prog.c", r
EOF
"$LC" report --format json --baseline "$t/base" "$t/both" >"$t/out" 2>"$t/err"
[ $? -eq 66 ] || fail "json with a new error: not 66"
python3 - "$t/out" >"$t/check" 2>&1 <<'EOF' || fail "json: baseline states"
import json, sys
got = sorted((f["baseline"], f["message"]) for f in json.load(open(sys.argv[1])))
assert got == [("new", "cycle of 2 locks: lock_c => lock_d => lock_c"),
               ("unchanged", "cycle of 2 locks: lock_a => lock_b => lock_a")], got
EOF
# Filters apply to the baseline too: no inversion kept, nothing fixed.
"$LC" report --kind double-lock --baseline "$t/both" "$t/base" >"$t/out" 2>"$t/err" || fail "--kind: exit $?"
[ "$(summary "$t/out")" = "lockcheck: no findings in 1 process; 0 new, 0 unchanged, 0 fixed" ] ||
	fail "--kind with a baseline: summary '$(summary "$t/out")'"
# Without --baseline nothing changes: exit 0, no counts.
"$LC" report "$t/both" >"$t/out" 2>"$t/err" || fail "report without a baseline: exit $?"
grep -q 'new\|unchanged\|fixed' "$t/out" && fail "report without a baseline speaks of one"

# --- suite-wide cycles, by id ----------------------------------------------
S=tests/golden/suite_abba.jsonl
"$LC" report --no-symbolize --baseline "$S" "$S" >"$t/out" 2>"$t/err" || fail "suite vs itself: exit $?"
[ "$(summary "$t/out")" = "lockcheck: 1 finding (1 error, 0 warnings) in 2 processes; 0 new, 1 unchanged, 0 fixed" ] ||
	fail "suite vs itself: summary '$(summary "$t/out")'"
"$LC" report --no-symbolize --format json "$S" >"$t/suite.json" 2>"$t/err" || fail "suite json"
"$LC" report --no-symbolize --baseline "$t/suite.json" "$S" >"$t/out" 2>"$t/err" || fail "suite vs its JSON report: exit $?"
grep -v '"pid":502' "$S" >"$t/half.jsonl"
"$LC" report --no-symbolize --baseline "$t/half.jsonl" "$S" >"$t/out" 2>"$t/err"
[ $? -eq 66 ] || fail "a suite cycle new since a baseline of one process: not 66"

# --- bad baselines: one line, nothing run ------------------------------------
: >"$t/empty"
echo 'not json' >"$t/garbage.jsonl"
echo '{"a":1}' >"$t/noevent.json"
echo '[1,2]' >"$t/numbers.json"
mkdir "$t/nologs"
bad() { # WANT-STATUS BASELINE
	"$LC" report --baseline "$2" "$t/base" >"$t/out" 2>"$t/err"
	st=$?
	[ $st -eq "$1" ] || fail "report --baseline $2: exit $st, expected $1"
	[ "$(wc -l <"$t/err")" -eq 1 ] || fail "report --baseline $2: not one line on stderr"
	grep -q -- '--baseline' "$t/err" || fail "report --baseline $2: the message does not name --baseline"
	[ -s "$t/out" ] && fail "report --baseline $2: a report was printed"
	rm -f "$t/ran"
	"$LC" run --baseline "$2" -- sh -c ': >"$0"' "$t/ran" >"$t/out" 2>"$t/err"
	st=$?
	[ $st -eq "$1" ] || fail "run --baseline $2: exit $st, expected $1"
	[ "$(wc -l <"$t/err")" -eq 1 ] || fail "run --baseline $2: not one line on stderr"
	[ -e "$t/ran" ] && fail "run --baseline $2: the program was started"
}
bad 2 "$t/no/such/file"
bad 1 "$t/empty"
bad 1 "$t/garbage.jsonl"
bad 1 "$t/noevent.json"
bad 1 "$t/numbers.json"
bad 1 "$t/nologs"
"$LC" report --baseline >"$t/out" 2>"$t/err"
[ $? -eq 2 ] || fail "--baseline without a value: not a usage error"
exit 0
