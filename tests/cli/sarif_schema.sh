#!/bin/bash
# `lockcheck report --format sarif` gives SARIF 2.1.0 that GitHub code
# scanning takes: build/tests/sarif_check (tests/sarif_check.c, jansson)
# checks the required properties on the SARIF of every golden input (a
# cycle with source lines, anonymous locks, misuse sites, a run with no
# findings, malformed input), and must itself reject a broken SARIF (so it
# is not a check that passes everything). Also: the locations of the golden
# file point at project sources (relative uri with a startLine), -o writes
# the same document, and every finding kind is a rule.
LC=${LOCKCHECK:-tools/lockcheck}
CHECK=${SARIF_CHECK:-build/tests/sarif_check}
G=tests/golden/formats.jsonl
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
[ -x "$CHECK" ] || { echo "FAIL: $CHECK is not built (make test-build)"; exit 1; }
[ -f "$G" ] || { echo "FAIL: run from the repository root ($G missing)"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/sarif.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; [ -f "$t/check" ] && head -n 20 "$t/check"; exit 1; }

n=0
for f in tests/golden/*.jsonl; do
	[ -L "$f" ] && continue # the same input under another name
	out=$t/$(basename "$f" .jsonl).sarif
	"$LC" report --format sarif "$f" >"$out" 2>"$t/err"
	st=$?
	case $f in *malformed*) want=1 ;; *) want=0 ;; esac
	[ "$st" -eq "$want" ] || fail "$f: exit $st, expected $want"
	"$CHECK" "$out" >"$t/check" 2>&1 || fail "$f: the SARIF does not pass sarif_check"
	n=$((n + 1))
done
[ "$n" -ge 5 ] || fail "only $n golden inputs checked"

# The golden file: 5 results, each with a relative source location.
"$LC" report --format sarif -o "$t/o.sarif" "$G" 2>"$t/err" || fail "-o: exit $?"
"$LC" report --format sarif "$G" >"$t/stdout.sarif" || fail "stdout: exit $?"
cmp -s "$t/o.sarif" "$t/stdout.sarif" || fail "-o FILE and stdout differ"
"$CHECK" "$t/o.sarif" >"$t/check" 2>&1 || fail "formats.jsonl: sarif_check"
grep -qx "$t/o.sarif: ok, 5 results" "$t/check" || fail "formats.jsonl: not 5 results"
grep -q '"uri": "src/cache.cc"' "$t/o.sarif" || fail "the double-lock is not located in src/cache.cc (the first project frame)"
grep -q '"startLine": 77' "$t/o.sarif" || fail "no startLine 77 (Cache::refresh)"
grep -q '"lockcheckFindingId/v1": "lc1-5b0e8c2f71d94a36"' "$t/o.sarif" || fail "no partialFingerprints with the finding id"
for k in lock-order-inversion deadlock double-lock bad-unlock destroy-locked \
	cond-wait-unheld held-at-exit order-violation long-wait; do
	grep -q "\"id\": \"$k\"" "$t/o.sarif" || fail "no rule for $k"
done

# The checker must fail on broken SARIF: a ruleId that names no rule, a
# startLine of 0, a result without a message, a wrong version.
sed -e '0,/"ruleId": "double-lock"/s//"ruleId": "no-such-rule"/' \
	"$t/o.sarif" >"$t/bad1.sarif"
sed -e '0,/"startLine": 77/s//"startLine": 0/' "$t/o.sarif" >"$t/bad2.sarif"
sed -e 's/"version": "2.1.0"/"version": "2.0.0"/' "$t/o.sarif" >"$t/bad3.sarif"
sed -e 's/"uri": "src\/cache.cc"/"uri": ""/' "$t/o.sarif" >"$t/bad4.sarif"
for b in bad1 bad2 bad3 bad4; do
	cmp -s "$t/o.sarif" "$t/$b.sarif" && fail "$b: the edit did not apply"
	"$CHECK" "$t/$b.sarif" >"$t/check" 2>&1 && fail "sarif_check accepted $b.sarif"
done
exit 0
