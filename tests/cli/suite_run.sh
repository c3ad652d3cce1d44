#!/bin/bash
# Suite-wide verdicts (issue #16), end to end: the real shim and the real
# CLI over tests/cli/suite_prog.c, each run doing one half of a cycle, as
# the tests of a suite run a program once each. The cases of the issue:
#  - two thread roles, A->B and B->A, in two processes of one `lockcheck
#    run`: exit 66, one deadlock-possible finding naming both processes
#    (pid and argv in the text and in the JSON of every edge);
#  - the same halves by the main thread of two processes: a single-thread
#    warning, exit 0;
#  - a gate lock held on both sides: guarded; read-read: read-shared;
#  - per-object locks of one class against a static lock: at most a
#    class-cycle warning, never an error;
#  - the halves in two unrelated executables with same-named static locks:
#    nothing at all;
#  - both halves in one process, ordered there by create/join, run twice:
#    no suite finding (the processes judged it, with their clocks);
#  - shards: the halves in two log directories, merged by `report D1 D2`.
# Run from the repository root.
LC=${LOCKCHECK:-tools/lockcheck}
SRC=tests/cli/suite_prog.c
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
[ -f "$SRC" ] || { echo "FAIL: run from the repository root ($SRC missing)"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/suite_run.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; for f in "$t"/out "$t"/err "$t"/json; do [ -f "$f" ] && { echo "--- $f"; head -n 40 "$f"; }; done; exit 1; }
unset DEBUGINFOD_URLS
cc -O0 -g -pthread -Wl,--build-id -o "$t/app" "$SRC" || fail "cannot compile $SRC"
cc -O0 -g -pthread -Wl,--build-id -DVARIANT=1 -o "$t/other1" "$SRC" || fail "cannot compile variant 1"
cc -O0 -g -pthread -Wl,--build-id -DVARIANT=2 -o "$t/other2" "$SRC" || fail "cannot compile variant 2"

# suite NAME CMD...: `lockcheck run` over a shell script of the commands;
# sets st, and leaves the text in out and the JSON report in json.
suite() {
	local name=$1
	shift
	printf '%s\n' "$@" >"$t/$name.sh"
	"$LC" run --log-dir "$t/$name" -- sh "$t/$name.sh" >"$t/out" 2>"$t/err"
	st=$?
	"$LC" report --format json "$t/$name" >"$t/json" 2>>"$t/err" ||
		fail "$name: report --format json: exit $?"
}
# inversions VERDICT: how many lock-order-inversion findings of the JSON
# report have that verdict.
inversions() {
	python3 -c '
import json, sys
fs = json.load(open(sys.argv[1]))
fs = fs["findings"] if isinstance(fs, dict) else fs
print(sum(1 for f in fs if f.get("kind") == "lock-order-inversion"
          and f.get("verdict") == sys.argv[2]))' "$t/json" "$1"
}
all_inversions() {
	python3 -c '
import json, sys
fs = json.load(open(sys.argv[1]))
fs = fs["findings"] if isinstance(fs, dict) else fs
print(sum(1 for f in fs if f.get("kind") == "lock-order-inversion"))' "$t/json"
}

suite roles "$t/app role-a" "$t/app role-b"
[ $st -eq 66 ] || fail "roles: exit $st (expected 66)"
[ "$(all_inversions)" = 1 ] || fail "roles: expected exactly one inversion"
[ "$(inversions deadlock-possible)" = 1 ] || fail "roles: the inversion is not deadlock-possible"
python3 - "$t/json" <<'PY' || fail "roles: the edges do not name both processes"
import json, sys
fs = json.load(open(sys.argv[1]))
fs = fs["findings"] if isinstance(fs, dict) else fs
f = [f for f in fs if f.get("kind") == "lock-order-inversion"][0]
procs = [e.get("process") for e in f["edges"]]
assert all(procs), procs
assert len({p["pid"] for p in procs}) == 2, procs
args = sorted(p["argv"][-1] for p in procs)
assert args == ["role-a", "role-b"], args
assert all(p["exe"].endswith("/app") for p in procs), procs
assert f["severity"] == "error"
PY
grep -q 'role-a' "$t/out" && grep -q 'role-b' "$t/out" ||
	fail "roles: the text report does not show the two processes' argv"

suite main "$t/app main-a" "$t/app main-b"
[ $st -eq 0 ] || fail "main: exit $st (expected 0)"
[ "$(all_inversions)" = 1 ] && [ "$(inversions single-thread)" = 1 ] ||
	fail "main: expected one single-thread warning"

suite gate "$t/app gate-a" "$t/app gate-b"
[ $st -eq 0 ] || fail "gate: exit $st (expected 0)"
[ "$(inversions guarded)" -ge 1 ] && [ "$(inversions deadlock-possible)" = 0 ] ||
	fail "gate: expected guarded and no error"
grep -q 'lock_g' "$t/json" || fail "gate: the gate lock_g is not named"

suite read "$t/app read-a" "$t/app read-b"
[ $st -eq 0 ] || fail "read: exit $st (expected 0)"
[ "$(inversions read-shared)" = 1 ] || fail "read: expected one read-shared warning"

suite objects "$t/app obj-a" "$t/app obj-b"
[ $st -eq 0 ] || fail "objects: exit $st (expected 0)"
[ "$(inversions deadlock-possible)" = 0 ] || fail "objects: per-object locks made an error"
[ "$(inversions class-cycle)" = 1 ] || fail "objects: expected one class-cycle warning"

suite unrelated "$t/other1 role-a" "$t/other2 role-b"
[ $st -eq 0 ] || fail "unrelated: exit $st (expected 0)"
[ "$(all_inversions)" = 0 ] || fail "unrelated: two executables' locks made a cycle"

suite ordered "$t/app both" "$t/app both"
[ $st -eq 0 ] || fail "ordered: exit $st (expected 0)"
[ "$(inversions deadlock-possible)" = 0 ] || fail "ordered: a suite error over halves one process ordered"
[ "$(inversions ordered)" = 1 ] || fail "ordered: the processes' own ordered verdict is gone"

"$LC" run --log-dir "$t/shard1" -- "$t/app" role-a >/dev/null 2>&1 || fail "shard 1: exit $?"
"$LC" run --log-dir "$t/shard2" -- "$t/app" role-b >/dev/null 2>&1 || fail "shard 2: exit $?"
"$LC" report --format json "$t/shard1" "$t/shard2" >"$t/json" 2>"$t/err" || fail "shards: report exit $?"
[ "$(inversions deadlock-possible)" = 1 ] || fail "shards: report D1 D2 did not find the cycle"
"$LC" report "$t/shard1" >/dev/null 2>&1
"$LC" report --format json "$t/shard1" >"$t/json" 2>"$t/err"
[ "$(all_inversions)" = 0 ] || fail "shards: one shard alone made a cycle"
echo "suite_run: ok"
