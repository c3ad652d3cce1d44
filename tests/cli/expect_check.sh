#!/bin/bash
# The scenario checker must be able to fail: for each directive and each
# built-in rule, a report that breaks it must make build/tests/expect_check
# exit 1 with a line that says so, and unreadable input must exit 2. Built
# from the golden reports (tests/golden/*.jsonl), mutated with sed. Each
# attribute of 'finding' (verdict=, gate=, severity=, instances=), each
# verdict rule (a contract verdict, the severity it implies, 'strict', the
# gate), upgrades (the same id with a new verdict; the last one counts) and
# the end event's repeats/suppressed are shown to fail when broken.
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

# --- verdicts, gates, severities, instances, upgrades, suppressions
V=$G/verdicts.jsonl
ec 0 "" "# 201: guarded; 202: guarded then upgraded, and accounts x20
finding lock-order-inversion lock_a lock_b gate_lock verdict=guarded gate=gate_lock severity=warning
finding lock-order-inversion lock_a lock_b verdict=deadlock-possible severity=error
finding lock-order-inversion *2 verdict=deadlock-possible instances=20
findings 4
suppressed 3" "$V"
ec 0 "" "finding lock-order-inversion lock_a lock_b verdict=deadlock-possible severity=error instances=1" "$A"
ec 0 "" "finding lock-order-inversion verdict=deadlock-possible lock_b lock_a   # attributes anywhere" "$A"
ec 0 "" "finding lock-order-inversion *2 severity=error
suppressed 0" "$A"
ec 1 "missing finding lock-order-inversion {lock_a,lock_b} verdict=guarded" "finding lock-order-inversion lock_a lock_b verdict=guarded" "$A"
ec 1 "saw: lock-order-inversion {lock_a,lock_b} verdict=deadlock-possible severity=error" "finding lock-order-inversion lock_a lock_b verdict=ordered" "$A"
ec 1 "missing finding lock-order-inversion {lock_a,lock_b} severity=warning" "finding lock-order-inversion lock_a lock_b severity=warning" "$A"
ec 1 "missing finding lock-order-inversion with 2 locks instances=2" "finding lock-order-inversion *2 instances=2" "$A"
ec 1 "missing finding lock-order-inversion with 2 locks verdict=deadlock-possible instances=19" "finding lock-order-inversion lock_a lock_b gate_lock verdict=guarded
finding lock-order-inversion lock_a lock_b verdict=deadlock-possible
finding lock-order-inversion *2 verdict=deadlock-possible instances=19
findings 4" "$V"
ec 1 "gate=lock_a" "finding lock-order-inversion lock_a lock_b gate_lock gate=lock_a
finding lock-order-inversion lock_a lock_b
finding lock-order-inversion *2
findings 4" "$V"
# only the last finding of an id in a process counts: 202's guarded one was
# superseded by its upgrade, so a second guarded line has nothing to match
ec 1 "the 1 that match are taken" "finding lock-order-inversion lock_a lock_b gate_lock verdict=guarded
finding lock-order-inversion lock_a lock_b gate_lock verdict=guarded
finding lock-order-inversion lock_a lock_b
finding lock-order-inversion *2
findings 4" "$V"
ec 1 "(superseded)" "finding lock-order-inversion lock_a lock_b gate_lock verdict=guarded
finding lock-order-inversion lock_a lock_b gate_lock verdict=guarded
finding lock-order-inversion lock_a lock_b
finding lock-order-inversion *2
findings 4" "$V"
# 'findings' counts lines, upgrades included
ec 1 "expected 3 findings (one per 'finding' line), saw 4" "finding lock-order-inversion lock_a lock_b gate_lock
finding lock-order-inversion lock_a lock_b
finding lock-order-inversion *2" "$V"
ec 1 "expected 2 suppressed findings (line 2), the end events say 3" "findings 4
suppressed 2" "$V"
ec 1 "expected 1 suppressed finding (line 2), the end events say 0" "findings 1
suppressed 1" "$A"

# built-in verdict rules, on mutated reports
mut noverdict 's/"verdict":"deadlock-possible",//'
ec 1 "has no \"verdict\"" "findings 1" "$t/noverdict.jsonl"
mut badverdict 's/"verdict":"deadlock-possible"/"verdict":"maybe"/'
ec 1 "verdict \"maybe\" is not one of the contract's" "findings 1" "$t/badverdict.jsonl"
mut warnpossible 's/"severity":"error"/"severity":"warning"/'
ec 1 "verdict deadlock-possible with severity warning, should be error" "findings 1" "$t/warnpossible.jsonl"
mut errsingle 's/"verdict":"deadlock-possible"/"verdict":"single-thread"/'
ec 1 "verdict single-thread with severity error, should be warning" "findings 1" "$t/errsingle.jsonl"
# strict: every inversion an error, whatever its verdict
ec 0 "" "strict
finding lock-order-inversion lock_a lock_b verdict=single-thread severity=error" "$t/errsingle.jsonl"
mut warnsingle 's/"verdict":"deadlock-possible"/"verdict":"single-thread"/; s/"severity":"error"/"severity":"warning"/'
ec 0 "" "finding lock-order-inversion lock_a lock_b verdict=single-thread severity=warning
status 0" "$t/warnsingle.jsonl"
ec 1 "verdict single-thread with severity warning, should be error (strict" "strict
findings 1" "$t/warnsingle.jsonl"
ec 0 "" "strict
findings 1" "$A"
mut nogate 's/"verdict":"deadlock-possible"/"verdict":"guarded"/; s/"severity":"error"/"severity":"warning"/'
ec 1 "guarded, but no \"gate\" names the lock" "findings 1" "$t/nogate.jsonl"
mut strangergate 's/"verdict":"deadlock-possible"/"verdict":"guarded","gate":7/; s/"severity":"error"/"severity":"warning"/'
ec 1 "gate = lock 7, which is not in \"locks\"" "findings 1" "$t/strangergate.jsonl"
mut gatedpossible 's/"verdict":"deadlock-possible"/"verdict":"deadlock-possible","gate":1/'
ec 1 "verdict deadlock-possible carries a \"gate\" (lock 1)" "findings 1" "$t/gatedpossible.jsonl"
mut goodgate 's/"verdict":"deadlock-possible"/"verdict":"guarded","gate":1/; s/"severity":"error"/"severity":"warning"/'
ec 0 "" "finding lock-order-inversion lock_a lock_b verdict=guarded gate=lock_a severity=warning" "$t/goodgate.jsonl"
ec 1 "missing finding lock-order-inversion {lock_a,lock_b} verdict=guarded gate=lock_b" "finding lock-order-inversion lock_a lock_b verdict=guarded gate=lock_b" "$t/goodgate.jsonl"
# the same id twice in one process: an upgrade (a new verdict) is allowed,
# and the last line is the one 'finding' lines see; the same verdict twice
# is a duplicate
sed -n 2p "$t/goodgate.jsonl" >"$t/guarded.line"
sed -e "1r $t/guarded.line" "$A" >"$t/upgrade.jsonl"
ec 0 "" "finding lock-order-inversion lock_a lock_b verdict=deadlock-possible
findings 2" "$t/upgrade.jsonl"
ec 1 "missing finding lock-order-inversion {lock_a,lock_b} verdict=guarded" "finding lock-order-inversion lock_a lock_b verdict=guarded
findings 2" "$t/upgrade.jsonl"
ec 1 "reported twice by one process with verdict deadlock-possible (first at line 2)" "findings 2" "$t/twice.jsonl"
sed -e "2r $t/guarded.line" "$t/upgrade.jsonl" >"$t/flipflop.jsonl"
ec 1 "reported twice by one process with verdict guarded (first at line 2)" "findings 3" "$t/flipflop.jsonl"
# the end event's repeats
mut rep1 's/"errors":1}/"errors":1,"repeats":[{"id":"lc1-35f14dba8111ee6c","instances":1}]}/'
ec 1 "counts 1 instance, a repeat needs at least 2" "findings 1" "$t/rep1.jsonl"
mut repdup 's/"errors":1}/"errors":1,"repeats":[{"id":"lc1-35f14dba8111ee6c","instances":3},{"id":"lc1-35f14dba8111ee6c","instances":3}]}/'
ec 1 "repeats lists lc1-35f14dba8111ee6c twice" "findings 1" "$t/repdup.jsonl"
mut repstranger 's/"errors":1}/"errors":1,"repeats":[{"id":"lc1-00000000000000aa","instances":3}]}/'
ec 1 "repeats entry lc1-00000000000000aa is not the id of any finding" "findings 1" "$t/repstranger.jsonl"
# ... unless the process suppressed findings (a suppressed id may repeat)
mut repsuppressed 's/"errors":1}/"errors":1,"suppressed":1,"repeats":[{"id":"lc1-00000000000000aa","instances":3}]}/'
ec 0 "" "findings 1
suppressed 1" "$t/repsuppressed.jsonl"
mut rep3 's/"errors":1}/"errors":1,"repeats":[{"id":"lc1-35f14dba8111ee6c","instances":3}]}/'
ec 0 "" "finding lock-order-inversion lock_a lock_b instances=3" "$t/rep3.jsonl"
ec 1 "saw: lock-order-inversion {lock_a,lock_b} verdict=deadlock-possible severity=error instances=3" "finding lock-order-inversion lock_a lock_b instances=2" "$t/rep3.jsonl"
mut repbad 's/"errors":1}/"errors":1,"repeats":[{"id":"lc1-35f14dba8111ee6c","instances":"3"}]}/'
ec 2 "end: repeats[0]: \"instances\" should be an integer" "findings 1" "$t/repbad.jsonl"
mut suppbad 's/"errors":1}/"errors":1,"suppressed":-1}/'
ec 2 "\"suppressed\" is -1, out of range" "findings 1" "$t/suppbad.jsonl"

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
ec 2 "unknown verdict 'maybe'" "finding lock-order-inversion lock_a lock_b verdict=maybe" "$A"
ec 2 "'severity=fatal': error or warning" "finding lock-order-inversion lock_a lock_b severity=fatal" "$A"
ec 2 "'instances=0': a number >= 1" "finding lock-order-inversion lock_a lock_b instances=0" "$A"
ec 2 "unknown attribute 'color='" "finding lock-order-inversion lock_a lock_b color=red" "$A"
ec 2 "'verdict=': no value after '='" "finding lock-order-inversion lock_a lock_b verdict=" "$A"
ec 2 "a second 'verdict='" "finding lock-order-inversion lock_a lock_b verdict=guarded verdict=ordered" "$A"
ec 2 "for lock-order-inversion only" "finding double-lock lock_a verdict=guarded" "$A"
ec 2 "only a guarded inversion has a gate" "finding lock-order-inversion lock_a lock_b verdict=ordered gate=lock_a" "$A"
ec 2 "'finding' needs a kind and lock names or *N" "finding lock-order-inversion verdict=guarded" "$A"
ec 2 "'*N' stands alone" "finding lock-order-inversion *2 lock_a verdict=guarded" "$A"
ec 2 "'strict' takes no argument" "strict 1" "$A"
ec 2 "a second 'strict' line" "strict
strict" "$A"
ec 2 "'suppressed' takes one number" "suppressed some" "$A"
ec 2 "a second 'suppressed' line" "suppressed 0
suppressed 0" "$A"
printf '%s\n' '{"event":"finding","kind":"priority-inversion","severity":"error","id":"lc1-0000000000000001"}' >"$t/unknown.jsonl"
ec 2 "unknown finding kind" "findings 0" "$t/unknown.jsonl"
"$EC" "$t/x.expect" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: no report files: not a usage error"; fails=$((fails + 1)); }

[ "$fails" -eq 0 ] || { echo "$fails expect_check checks failed"; exit 1; }
echo "expect_check: ok"
