#!/bin/bash
# `lockcheck report --format sarif` gives SARIF 2.1.0 that GitHub code
# scanning takes. Every SARIF written here is validated against the official
# SARIF 2.1.0 JSON schema by a real validator (tests/cli/sarif_validate.py:
# python3-jsonschema and the OASIS schema file beside it), and checked by
# build/tests/sarif_check (tests/sarif_check.c: what the schema cannot say,
# e.g. a ruleId naming a rule of the driver). Inputs: every golden input (a
# cycle with source lines, anonymous locks, misuse sites, a run with no
# findings, malformed input) and the golden SARIF itself. Both checkers must
# reject broken SARIF (so neither passes everything). Also: the locations of
# the golden file point at project sources (relative uri with a startLine)
# that exist under --source-root, -o writes the same document, every
# finding kind is a rule, and a system library's relative DWARF path
# (glibc's nptl/pthread_create.c, sarif_nptl.jsonl) never wins over the
# user's frame, whether or not such a file exists under the root.
LC=${LOCKCHECK:-tools/lockcheck}
CHECK=${SARIF_CHECK:-build/tests/sarif_check}
VALIDATE=tests/cli/sarif_validate.py
G=tests/golden/formats.jsonl
SRC=tests/golden/formats_src
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
[ -x "$CHECK" ] || { echo "FAIL: $CHECK is not built (make test-build)"; exit 1; }
python3 -c 'import jsonschema' 2>/dev/null ||
	{ echo "FAIL: python3-jsonschema is missing (make deps)"; exit 1; }
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
	"$VALIDATE" "$out" >"$t/check" 2>&1 || fail "$f: the SARIF does not pass the schema"
	n=$((n + 1))
done
[ "$n" -ge 5 ] || fail "only $n golden inputs checked"
"$VALIDATE" tests/golden/formats_sarif.txt >"$t/check" 2>&1 ||
	fail "the golden SARIF does not pass the schema"

# The golden file: 5 results, each with a relative source location.
"$LC" report --format sarif --source-root "$SRC" -o "$t/o.sarif" "$G" 2>"$t/err" || fail "-o: exit $?"
"$LC" report --format sarif --source-root "$SRC" "$G" >"$t/stdout.sarif" || fail "stdout: exit $?"
cmp -s "$t/o.sarif" "$t/stdout.sarif" || fail "-o FILE and stdout differ"
"$CHECK" "$t/o.sarif" >"$t/check" 2>&1 || fail "formats.jsonl: sarif_check"
grep -qx "$t/o.sarif: ok, 5 results" "$t/check" || fail "formats.jsonl: not 5 results"
"$VALIDATE" "$t/o.sarif" >"$t/check" 2>&1 || fail "formats.jsonl: schema"
grep -qx "$t/o.sarif: ok, 5 results" "$t/check" || fail "formats.jsonl: the validator did not see 5 results"
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
# The schema validator must fail on what the schema forbids: a startLine of
# 0, a wrong version, an unknown level, an unknown baselineState, a result
# without a message, a property the schema does not know.
sed -e '0,/"level": "error"/s//"level": "fatal"/' "$t/o.sarif" >"$t/bad5.sarif"
sed -e '0,/"level": "error",/s//"level": "error", "baselineState": "gone",/' \
	"$t/o.sarif" >"$t/bad6.sarif"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); del d["runs"][0]["results"][0]["message"]; json.dump(d,open(sys.argv[2],"w"))' \
	"$t/o.sarif" "$t/bad7.sarif"
sed -e '0,/"ruleIndex": /s//"ruleIdx": /' "$t/o.sarif" >"$t/bad8.sarif"
for b in bad2 bad3 bad5 bad6 bad7 bad8; do
	cmp -s "$t/o.sarif" "$t/$b.sarif" && fail "$b: the edit did not apply"
	"$VALIDATE" "$t/$b.sarif" >"$t/check" 2>&1 && fail "the schema validator accepted $b.sarif"
	grep -q "$b\.sarif: .*: " "$t/check" || fail "$b: the validator gave no reason"
done

# A system library's relative DWARF path: the double-lock's relocking stack
# is start_thread (libc, nptl/pthread_create.c:442) above worker
# (src/transfer.c:77); the other site has the libc frame alone.
N=tests/cli/sarif_nptl.jsonl
nptl_check() { # ROOT-ARGS...: the result is at src/transfer.c:77, never at nptl/
	"$LC" report --no-symbolize --format sarif "$@" "$N" >"$t/n.sarif" 2>"$t/err" ||
		fail "nptl $*: exit $?"
	"$VALIDATE" "$t/n.sarif" >"$t/check" 2>&1 || fail "nptl $*: schema"
	"$CHECK" "$t/n.sarif" >"$t/check" 2>&1 || fail "nptl $*: sarif_check"
	python3 - "$t/n.sarif" >"$t/check" 2>&1 <<'EOF' || fail "nptl $*: locations"
import json, sys
res = json.load(open(sys.argv[1]))["runs"][0]["results"]
assert len(res) == 1, res
locs = [l["physicalLocation"] for l in res[0]["locations"]]
first = locs[0]
assert first["artifactLocation"] == {"uri": "src/transfer.c", "uriBaseId": "%SRCROOT%"}, first
assert first["region"] == {"startLine": 77}, first
# The libc-only site: the library as a binary, no relative uri, no line.
assert locs[1]["artifactLocation"]["uri"] == "file:///usr/lib/x86_64-linux-gnu/libc.so.6", locs[1]
assert "region" not in locs[1] and "address" in locs[1], locs[1]
assert '"uri": "nptl/' not in open(sys.argv[1]).read(), "a location at nptl/"
EOF
}
nptl_check --source-root "$SRC"
# Even with an nptl/pthread_create.c under the root, libc's frame loses to
# the program's own.
mkdir -p "$t/root/src" "$t/root/nptl"
echo 'int x;' >"$t/root/src/transfer.c"
echo 'int y;' >"$t/root/nptl/pthread_create.c"
nptl_check --source-root "$t/root"
# The default root is the current directory.
lc_abs=$(realpath "$LC") && n_abs=$(realpath "$N") || fail "realpath"
(cd "$t/root" && "$lc_abs" report --no-symbolize --format sarif "$n_abs") >"$t/cwd.sarif" ||
	fail "nptl from the root: exit $?"
grep -q '"uri": "src/transfer.c"' "$t/cwd.sarif" || fail "the current directory is not the default source root"
# Without src/transfer.c under the root, nothing is in the project: the
# user's frame is shown by its module, and nptl/ still never.
mkdir "$t/empty"
"$LC" report --no-symbolize --format sarif --source-root "$t/empty" "$N" >"$t/none.sarif" ||
	fail "nptl, empty root: exit $?"
"$VALIDATE" "$t/none.sarif" >"$t/check" 2>&1 || fail "nptl, empty root: schema"
grep -q '"uri": "file:///srv/app/bin/server"' "$t/none.sarif" || fail "nptl, empty root: not at the program's module"
grep -q 'nptl/pthread\|%SRCROOT%' "$t/none.sarif" && fail "nptl, empty root: a project location"
# --source-root must be a directory.
"$LC" report --format sarif --source-root "$t/nonexistent" "$N" >/dev/null 2>"$t/err"
[ $? -eq 2 ] || fail "--source-root of a missing directory: not a usage error"
[ "$(wc -l <"$t/err")" -eq 1 ] || fail "--source-root error is not one line"
exit 0
