#!/bin/bash
# One bug, one finding (issue #17), end to end: tests/cli/fold_cycles.c
# makes a 2-cycle deadlock and then a 3-cycle that contains it.
#  - the shim's stderr shows the 2-cycle's block once and the 3-cycle as
#    one line naming the 2-cycle's id; the 3-cycle's JSON line carries
#    "folded_into" with that id;
#  - `lockcheck run` and `report` show one finding (exit 66 for the error),
#    with the 3-cycle under it as "Also through", in text and in JSON.
# Run from the repository root.
LC=${LOCKCHECK:-tools/lockcheck}
SHIM=${SHIM:-preload/liblockcheck.so}
SRC=tests/cli/fold_cycles.c
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
[ -f "$SRC" ] || { echo "FAIL: run from the repository root ($SRC missing)"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/fold_cycles.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; for f in "$t"/err "$t"/out; do [ -f "$f" ] && { echo "--- $f"; head -n 30 "$f"; }; done; exit 1; }
cc -O0 -g -pthread -o "$t/app" "$SRC" || fail "cannot compile $SRC"

LOCKCHECK_OPTIONS="log_path=$t/log:print_findings=1" LD_PRELOAD=$PWD/$SHIM "$t/app" 2>"$t/err"
[ "$(grep -c '^==[0-9]*== lockcheck: lock-order-inversion' "$t/err")" = 1 ] || fail "stderr: not exactly one finding block"
grep -q 'Cycle of 2 locks: a => c => a' "$t/err" || fail "stderr: the block is not the 2-cycle"
short=$(grep -o 'id: lc1-[0-9a-f]*' "$t/err" | head -n1 | cut -c5-)
grep -q "cycle of 3 locks: a => b => c => a (.*): the same bug as $short" "$t/err" ||
	fail "stderr: the 3-cycle is not one line naming $short"
grep -q "\"folded_into\":\"$short\"" "$t"/log.*.jsonl || fail "log: no folded_into $short"

"$LC" run --log-dir "$t/logs" -- "$t/app" >"$t/out" 2>&1
st=$?
[ $st -eq 66 ] || fail "run: exit $st (expected 66)"
grep -q "lockcheck: 1 finding (1 error, 0 warnings)" "$t/out" || fail "run: not one finding"
grep -q "Also through: a => b => c => a (lc1-[0-9a-f]*), the same bug" "$t/out" || fail "run: no Also through"
"$LC" report --format json "$t/logs" >"$t/out" 2>&1 || fail "report --format json: exit $?"
python3 - "$t/out" "$short" <<'PY' || fail "json: not one finding with also_through"
import json, sys
fs = json.load(open(sys.argv[1]))
fs = fs["findings"] if isinstance(fs, dict) else fs
assert len(fs) == 1, fs
assert fs[0]["id"] == sys.argv[2]
assert [a["cycle"] for a in fs[0]["also_through"]] == ["a => b => c => a"], fs[0]
PY
echo "fold_cycles: ok"
