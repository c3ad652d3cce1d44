#!/bin/bash
# The scenario checker must be able to fail: for each directive and each
# built-in rule, a report that breaks it must make build/tests/expect_check
# exit 1 with a line that says so, and unreadable input must exit 2. Built
# from the golden reports (tests/golden/*.jsonl), mutated with sed.
EC=${EXPECT_CHECK:-build/tests/expect_check}
G=tests/golden
[ -x "$EC" ] || { echo "FAIL: $EC is not built (make build/tests/expect_check)"; exit 1; }
[ -f "$G/abba.jsonl" ] || { echo "FAIL: run from the repository root"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/ec.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fails=0

# ec WANT-STATUS "fragment of the output" "expect file text" FILE...
# (fragment "" with status 0: the output must be empty)
ec() {
	local want=$1 frag=$2
	printf '%s\n' "$3" >"$t/x.expect"
	shift 3
	"$EC" "$t/x.expect" "$@" >"$t/out" 2>&1
	local st=$?
	if [ "$st" -ne "$want" ]; then
		echo "FAIL: exit $st, expected $want, for: $(tr '\n' ';' <"$t/x.expect") on $*"
		cat "$t/out"
		fails=$((fails + 1))
	elif [ -z "$frag" ] && [ -s "$t/out" ]; then
		echo "FAIL: output on success for: $(tr '\n' ';' <"$t/x.expect")"
		cat "$t/out"
		fails=$((fails + 1))
	elif [ -n "$frag" ] && ! grep -qF -- "$frag" "$t/out"; then
		echo "FAIL: no '$frag' in the output for: $(tr '\n' ';' <"$t/x.expect") on $*"
		cat "$t/out"
		fails=$((fails + 1))
	fi
}

A=$G/abba.jsonl
# --- what must pass
ec 0 "" "# AB-BA
finding lock-order-inversion lock_a lock_b
stack-function take_a_then_b
stack-function take_b_then_a
held-function take_a_then_b
held-function take_b_then_a
status 66
options strict_order=0:stack_depth=8" "$A"
ec 0 "" "finding lock-order-inversion lock_b lock_a   # order free" "$A"
ec 0 "" "finding lock-order-inversion *2" "$A"
ec 0 "" "findings 1" "$A"
ec 0 "" "finding lock-order-inversion *3" "$G/abc_cycle.jsonl"
# one finding per process, three processes in one file: no duplicate
ec 0 "" "findings 4" "$G/dedupe.jsonl"
ec 0 "" "finding lock-order-inversion config_lock queue_lock
finding lock-order-inversion queue_lock config_lock
finding lock-order-inversion config_lock queue_lock
finding lock-order-inversion log_lock rotate_lock" "$G/dedupe.jsonl"

# --- directives that do not hold
ec 1 "missing finding lock-order-inversion {lock_a,lock_c}" "finding lock-order-inversion lock_a lock_c" "$A"
ec 1 "missing finding lock-order-inversion {lock_a}" "finding lock-order-inversion lock_a" "$A"
ec 1 "missing finding deadlock {lock_a,lock_b}" "finding deadlock lock_a lock_b" "$A"
ec 1 "missing finding lock-order-inversion with 3 locks" "finding lock-order-inversion *3" "$A"
ec 1 "expected 0 findings" "" "$A"
ec 1 "expected 0 findings" "# only comments" "$A"
ec 1 "expected 2 findings" "findings 2" "$A"
ec 1 "taken by other 'finding' lines" "finding lock-order-inversion lock_a lock_b
finding lock-order-inversion lock_b lock_a" "$A"
ec 1 "no lock-order-inversion edge has nothere in its stack" "findings 1
stack-function nothere" "$A"
ec 1 "no lock-order-inversion edge has thread1 in its held_stack" "findings 1
held-function thread1" "$A"
# an anonymous lock matches no name
ec 1 "missing finding" "finding lock-order-inversion index_lock stats_lock M3" "$G/abc_cycle.jsonl"
# a finding seen in another file still counts once per line
ec 1 "expected 1 finding" "finding lock-order-inversion lock_a lock_b" "$A" "$A"

# --- built-in rules, on mutated reports
mut() { # name sed-script
	sed -e "$2" "$A" >"$t/$1.jsonl"
	cmp -s "$A" "$t/$1.jsonl" && { echo "FAIL: mutation $1 changed nothing"; fails=$((fails + 1)); }
}
ok="finding lock-order-inversion lock_a lock_b"
mut badid 's/lc1-35f14dba8111ee6c/lc1-35F14DBA8111EE6C/'
ec 1 "is not lc1- and 16 hex digits" "$ok" "$t/badid.jsonl"
mut shortid 's/lc1-35f14dba8111ee6c/lc1-35f14dba8111ee6/'
ec 1 "is not lc1- and 16 hex digits" "$ok" "$t/shortid.jsonl"
mut order 's/"cycle":\[1,2\]/"cycle":[2,1]/'
ec 1 "edge 0 goes 1 -> 2, the cycle says 2 -> 1" "$ok" "$t/order.jsonl"
mut onelock 's/"cycle":\[1,2\]/"cycle":[1]/'
ec 1 "cycle has 1 lock, needs at least 2" "$ok" "$t/onelock.jsonl"
mut repeat 's/"cycle":\[1,2\]/"cycle":[1,2,1]/'
ec 1 "2 edges for a cycle of 3 locks" "$ok" "$t/repeat.jsonl"
ec 1 "lock 1 appears twice in the cycle" "$ok" "$t/repeat.jsonl"
mut nolock 's/"cycle":\[1,2\]/"cycle":[1,5]/; s/"from":2,"to":1/"from":5,"to":1/; s/"from":1,"to":2/"from":1,"to":5/'
ec 1 "cycle[1] = lock 5, which is not in \"locks\"" "$ok" "$t/nolock.jsonl"
mut nothread 's/"thread":3,/"thread":9,/'
ec 1 "edge 1: thread 9 is not in \"threads\"" "$ok" "$t/nothread.jsonl"
mut noheld 's/"held_stack":\[[^]]*\]/"held_stack":[]/'
ec 1 "edge 0 has an empty held_stack" "$ok" "$t/noheld.jsonl"
mut nostack 's/"stack":\[[^]]*\]/"stack":[]/2'
ec 1 "has an empty stack" "$ok" "$t/nostack.jsonl"
mut nonames 's/"function":"[^"]*"/"function":null/g'
ec 1 "no frame of its stack names a function" "$ok" "$t/nonames.jsonl"
ec 1 "no frame of its held_stack names a function" "$ok" "$t/nonames.jsonl"
sed -e 2p "$A" >"$t/twice.jsonl"
ec 1 "reported twice by one process" "findings 2" "$t/twice.jsonl"

# --- input that is no test result: exit 2
ec 2 "malformed.jsonl:3" "findings 1" "$G/malformed.jsonl"
ec 2 "unknown directive 'findng'" "findng lock-order-inversion lock_a" "$A"
ec 2 "'hangs' takes no argument" "hangs 5" "$A"
ec 0 "" "hangs
findings 1" "$A"
ec 2 "unknown finding kind 'lock-order'" "finding lock-order lock_a lock_b" "$A"
ec 2 "'*N' stands alone" "finding lock-order-inversion *2 lock_a" "$A"
ec 2 "a second 'findings' line" "findings 1
findings 1" "$A"
ec 2 "'findings' takes one number" "findings many" "$A"
ec 2 "cannot open" "findings 1" "$t/no-such.jsonl"
printf '%s\n' '{"event":"finding","kind":"priority-inversion","severity":"error","id":"lc1-0000000000000001"}' >"$t/unknown.jsonl"
ec 2 "unknown finding kind" "findings 0" "$t/unknown.jsonl"
"$EC" "$t/x.expect" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: no report files: not a usage error"; fails=$((fails + 1)); }

[ "$fails" -eq 0 ] || { echo "$fails expect_check checks failed"; exit 1; }
echo "expect_check: ok"
