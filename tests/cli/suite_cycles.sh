#!/bin/bash
# Suite-wide lock-order cycles (issue 16): cycles whose halves were made in
# different processes, judged over the whole suite. The logs are written by
# tests/cli/suite_logs.py (each scenario a directory of process logs in the
# shim's format, described there by its lock pattern), then:
#   abba         two thread roles of one executable, A->B in one process,
#                B->A in another: one deadlock-possible error naming both
#                processes (pid, argv, exe in text, JSON, SARIF, HTML)
#   run          the same logs dropped into `lockcheck run`'s log directory
#                by the program it runs: exit 66 (and --exitcode 3: 3)
#   main_main    the halves made by the main thread of two processes:
#                a single-thread warning
#   guarded      a gate held on both sides: guarded by the gate, a warning
#   many         a per-object ("many") class in the cycle: class-cycle, a
#                warning, never an error
#   unrelated    two executables (different build-ids), same-named static
#                locks: nothing
#   shards       the halves in two directories, `report DIR1 DIR2`
#   one_process  every choice made whole by one process (which judged it,
#                ordered): no suite finding, the process's own shown
#   supersede    a process judged the cycle single-thread; with another
#                process's half it is deadlock-possible: shown once, as
#                the suite finding
#   library      a shared library's locks (same build-id, two paths) in two
#                executables: one node, so the cycle is found
#   malformed    bad suite-wide fields: one line each, the rest read, exit 1
#   order/graph  `lockcheck order` and `graph` over the suite logs
LC=${LOCKCHECK:-tools/lockcheck}
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
[ -f tests/cli/suite_logs.py ] || { echo "FAIL: run from the repository root"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/suite.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; [ -f "$t/out" ] && tail -n 20 "$t/out"; [ -f "$t/err" ] && cat "$t/err"; exit 1; }

id=$(python3 tests/cli/suite_logs.py "$t/logs") || fail "suite_logs.py"
report() { "$LC" report --no-symbolize --color never "$@" >"$t/out" 2>"$t/err"; }
summary() { tail -n 1 "$t/out"; }
headline() { grep '^==[0-9]*== lockcheck: ' "$t/out"; }

# --- abba: one error naming both processes -------------------------------
report "$t/logs/abba" || fail "abba: exit $?"
[ ! -s "$t/err" ] || fail "abba: stderr"
[ "$(summary)" = "lockcheck: 1 finding (1 error, 0 warnings) in 2 processes" ] || fail "abba: summary"
[ "$(headline)" = "==501== lockcheck: lock-order-inversion (deadlock-possible) [error]" ] || fail "abba: headline"
grep -qx '  seen in pid 501: ./server --role a (exe /opt/app/bin/server)' "$t/out" || fail "abba: process 501 not named"
grep -qx '  seen in pid 502: ./server --role b (exe /opt/app/bin/server)' "$t/out" || fail "abba: process 502 not named"
grep -q "^  id: $id\$" "$t/out" || fail "abba: id is not the one a process gives the cycle ($id)"
grep -q 'lock_a => lock_b => lock_a (across 2 processes)$' "$t/out" || fail "abba: message"
grep -q 'thread T1 (thread worker_a started in start_workers, named worker-a)' "$t/out" || fail "abba: role of T1"
grep -q 'thread T2 (thread worker_b started in start_workers, named worker-b)' "$t/out" || fail "abba: role of T2"

"$LC" report --format json "$t/logs/abba" >"$t/out" 2>"$t/err" || fail "abba json: exit $?"
python3 - "$t/out" "$id" <<'EOF' || fail "abba json"
import json, sys
f, = json.load(open(sys.argv[1]))
assert f["id"] == sys.argv[2] and f["severity"] == "error", f
assert f["verdict"] == "deadlock-possible", f["verdict"]
procs = [e["process"] for e in f["edges"]]
assert [p["pid"] for p in procs] == [501, 502], procs
assert procs[1] == {"pid": 502, "exe": "/opt/app/bin/server",
                    "argv": ["./server", "--role", "b"]}, procs[1]
EOF
"$LC" report --format sarif "$t/logs/abba" >"$t/out" 2>"$t/err" || fail "abba sarif: exit $?"
tests/cli/sarif_validate.py "$t/out" >"$t/err" 2>&1 || { cat "$t/err"; fail "abba sarif: not valid SARIF 2.1.0 (schema)"; }
python3 - "$t/out" <<'EOF' || fail "abba sarif"
import json, sys
r, = json.load(open(sys.argv[1]))["runs"][0]["results"]
assert r["level"] == "error"
msgs = [l["message"]["text"] for l in r["locations"]]
assert "(seen in pid 501: ./server --role a)" in msgs[0], msgs
assert "(seen in pid 502: ./server --role b)" in msgs[1], msgs
assert [p["pid"] for p in r["properties"]["processes"]] == [501, 502]
EOF
"$LC" report --format html "$t/logs/abba" >"$t/out" 2>"$t/err" || fail "abba html: exit $?"
grep -q 'seen in pid 502: ./server --role b (exe /opt/app/bin/server)' "$t/out" || fail "abba html: process not shown"

# --- run: exit 66 when a suite error remains -------------------------------
mkdir "$t/runlogs" "$t/drop"
cp "$t/logs/abba/lockcheck.501.jsonl" "$t/drop/lockcheck.3900501.jsonl"
cp "$t/logs/abba/lockcheck.502.jsonl" "$t/drop/lockcheck.3900502.jsonl"
"$LC" run --no-symbolize --log-dir "$t/runlogs" -- /bin/sh -c 'cp "$0"/*.jsonl "$1"/' "$t/drop" "$t/runlogs" >"$t/out" 2>"$t/err"
st=$?
[ "$st" -eq 66 ] || fail "run: exit $st, expected 66"
grep -q '^==501== lockcheck: lock-order-inversion (deadlock-possible) \[error\]' "$t/err" || fail "run: no suite finding"
rm -f "$t/runlogs"/*
"$LC" run --no-symbolize --exitcode 3 --log-dir "$t/runlogs" -- /bin/sh -c 'cp "$0"/*.jsonl "$1"/' "$t/drop" "$t/runlogs" >"$t/out" 2>"$t/err"
st=$?
[ "$st" -eq 3 ] || fail "run --exitcode 3: exit $st"
rm -f "$t/runlogs"/* "$t/drop"/*
cp "$t/logs/main_main/lockcheck.511.jsonl" "$t/drop/lockcheck.3900511.jsonl"
cp "$t/logs/main_main/lockcheck.512.jsonl" "$t/drop/lockcheck.3900512.jsonl"
"$LC" run --no-symbolize --log-dir "$t/runlogs" -- /bin/sh -c 'cp "$0"/*.jsonl "$1"/' "$t/drop" "$t/runlogs" >"$t/out" 2>"$t/err"
st=$?
[ "$st" -eq 0 ] || fail "run main_main: exit $st, expected 0 (a warning only)"

# --- verdicts that are warnings ---------------------------------------------
report "$t/logs/main_main" || fail "main_main: exit $?"
[ "$(headline)" = "==511== lockcheck: lock-order-inversion (single-thread) [warning]" ] || fail "main_main: headline"
grep -q 'thread T1 (main thread of server)' "$t/out" || fail "main_main: main role"
[ "$(summary)" = "lockcheck: 1 finding (0 errors, 1 warning) in 2 processes" ] || fail "main_main: summary"

report "$t/logs/guarded" || fail "guarded: exit $?"
[ "$(headline)" = "==521== lockcheck: lock-order-inversion (guarded by gate) [warning]" ] || fail "guarded: headline"
grep -q '^    gate: mutex at ' "$t/out" || fail "guarded: gate lock not listed"

report "$t/logs/many" || fail "many: exit $?"
[ "$(headline)" = "==531== lockcheck: lock-order-inversion (class-cycle) [warning]" ] || fail "many: headline"
[ "$(summary)" = "lockcheck: 1 finding (0 errors, 1 warning) in 2 processes" ] || fail "many: summary"

# --- what must stay silent ----------------------------------------------------
report "$t/logs/unrelated" || fail "unrelated: exit $?"
[ "$(cat "$t/out")" = "lockcheck: no findings in 2 processes" ] || fail "unrelated: a cycle over two programs' locks"

report "$t/logs/one_process" || fail "one_process: exit $?"
[ "$(headline)" = "==561== lockcheck: lock-order-inversion (ordered) [warning]" ] || fail "one_process: the processes' own finding is not the one shown"
! grep -q 'across' "$t/out" || fail "one_process: a suite finding for a choice one process made"
grep -qx '  (seen 2 times, in processes 561, 562)' "$t/out" || fail "one_process: seen line"

report "$t/logs/supersede" || fail "supersede: exit $?"
[ "$(headline)" = "==591== lockcheck: lock-order-inversion (deadlock-possible) [error]" ] || fail "supersede: the suite finding is not shown"
[ "$(summary)" = "lockcheck: 1 finding (1 error, 0 warnings) in 2 processes" ] || fail "supersede: not shown once"
grep -q 'seen in pid 592: ./server --role b' "$t/out" || fail "supersede: process 592 not named"

# --- shards, library ----------------------------------------------------------
report "$t/logs/shard1" "$t/logs/shard2" || fail "shards: exit $?"
[ "$(headline)" = "==551== lockcheck: lock-order-inversion (deadlock-possible) [error]" ] || fail "shards: headline"
grep -q 'seen in pid 552: ./server --role b' "$t/out" || fail "shards: second shard's process"
report "$t/logs/shard1" || fail "shard1 alone: exit $?"
[ "$(cat "$t/out")" = "lockcheck: no findings in 1 process" ] || fail "shard1 alone: a finding"

report "$t/logs/library" || fail "library: exit $?"
grep -q 'q_lock => q_stats => q_lock (across 2 processes)' "$t/out" || fail "library: the shared library's locks are not one node"

# --- malformed suite-wide fields -----------------------------------------------
report "$t/logs/malformed"
st=$?
[ "$st" -eq 1 ] || fail "malformed: exit $st, expected 1"
[ "$(wc -l <"$t/err")" -eq 2 ] || fail "malformed: not one line per bad graph"
grep -q 'lockcheck.581.jsonl:2: graph: edges\[0\].contexts\[0\]: "role" 9 is not in "roles"' "$t/err" || fail "malformed: bad role"
grep -q 'lockcheck.582.jsonl:2: graph: classes\[0\]: no "fingerprint" field' "$t/err" || fail "malformed: missing fingerprint"
[ "$(summary)" = "lockcheck: no findings in 3 processes" ] || fail "malformed: the processes were not read"
"$LC" order "$t/logs/malformed" >"$t/out" 2>"$t/err"
grep -qx 'lock_a' "$t/out" && grep -qx 'lock_b' "$t/out" || fail "malformed: order lost the graphs"

# --- order and graph merge by scoped class -----------------------------------
"$LC" order --no-symbolize "$t/logs/abba" >"$t/out" 2>"$t/err" || fail "order abba: exit $?"
grep -q '1 edge against this order' "$t/out" || fail "order abba: the two halves are not one graph"
"$LC" order --no-symbolize "$t/logs/unrelated" >"$t/out" 2>"$t/err" || fail "order unrelated: exit $?"
grep -q '0 edges against this order' "$t/out" || fail "order unrelated: two programs' locks merged"
"$LC" graph "$t/logs/unrelated" >"$t/out" 2>"$t/err" || fail "graph unrelated: exit $?"
grep -q '"lock_a \[server\]"' "$t/out" && grep -q '"lock_a \[tool\]"' "$t/out" || fail "graph unrelated: not two nodes per name"
"$LC" graph "$t/logs/abba" >"$t/out" 2>"$t/err" || fail "graph abba: exit $?"
grep -q '"lock_b" -> "lock_a".*color="#d32f2f"' "$t/out" || fail "graph abba: suite cycle not red"
echo "suite cycles: ok"
