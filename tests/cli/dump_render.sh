#!/bin/bash
# `lockcheck dump`: the text layout and the error cases, without the shim.
#
# A stand-in for a process under the shim: a bash that was started with
# LOCKCHECK_OPTIONS=...:dump_signal=12:log_path=PREFIX and traps SIGUSR2 by
# appending a fixed "dump" event (after an unrelated finding line) to
# PREFIX.<pid>.jsonl, as the shim does. At its start it writes an older
# dump, which must not be taken for the answer. The dump shows T1 joining
# T4, a cycle T2 <-> T3 over lock_a and an anonymous rwlock M7 that T3 and
# T5 hold for reading while T2 waits to write it (so both block T2), a frame
# without a symbol, threads out of order; the printed text must be exactly
# the one below. Then the errors, each one line on stderr with its
# exit status: no such process (2), no LOCKCHECK_OPTIONS (1), no
# dump_signal (1), the signal not caught (1, and the process lives on), no
# answer within --timeout (1), a malformed dump (1); and without log_path
# the signal is sent, a note printed, exit 0.
# Run from the repository root; LOCKCHECK overrides the binary under test.
LC=${LOCKCHECK:-tools/lockcheck}
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/dump_render.XXXXXX") || exit 1
pids=()
trap 'for p in "${pids[@]}"; do kill -KILL $p 2>/dev/null; done; rm -rf "$t"' EXIT
fails=0

F='{"pc":"0x%x","module":"/opt/app/bin/server","offset":"0x%x","function":"%s"}'
frame() { printf "$F" "$((0x555555554000 + $1))" "$1" "$2"; }
LA='{"id":3,"address":"0x5555555580a0","type":"mutex","name":"lock_a"}'
M7='{"id":7,"address":"0x7ffff0001000","type":"rwlock","name":null}'
cat >"$t/dump.json" <<JSON
{"event":"dump","pid":@PID@,"threads":[
{"id":3,"name":"reader","held":[{"lock":$M7,"mode":"read","acquired":[$(frame 0x1300 read_table),$(frame 0x1400 reader_main)]}],"waiting":{"for":"lock","lock":$LA,"thread":null,"mode":null,"since_ms":1500,"stack":[$(frame 0x1310 read_table),{"pc":"0x7ffff7a00000","module":null,"offset":null,"function":null}]}},
{"id":1,"name":null,"held":[],"waiting":{"for":"join","lock":null,"thread":4,"mode":null,"since_ms":2000,"stack":[$(frame 0x1100 main)]}},
{"id":2,"name":"writer","held":[{"lock":$LA,"mode":null,"acquired":[$(frame 0x1200 update)]}],"waiting":{"for":"lock","lock":$M7,"thread":null,"mode":"write","since_ms":1499,"stack":[$(frame 0x1210 update)]},"extra":"ignored"},
{"id":4,"name":null,"held":[],"waiting":null},
{"id":5,"name":"reader2","held":[{"lock":$M7,"mode":"read","acquired":[]}],"waiting":null}
]}
JSON
tr -d '\n' <"$t/dump.json" >"$t/dump.line"
echo >>"$t/dump.line"

# fake OPTIONS LINEFILE: a bash under those options that answers SIGUSR2 by
# appending LINEFILE (with @PID@ replaced) to PREFIX.<pid>.jsonl. Sets $fpid.
fake() {
	env LOCKCHECK_OPTIONS="$1" bash -c '
		log=$0.$$.jsonl
		echo "{\"event\":\"dump\",\"pid\":$$,\"threads\":[]}" >>"$log"
		trap "echo \"{\\\"event\\\":\\\"finding\\\",\\\"pid\\\":$$}\" >>\"\$log\";
		      sed s/@PID@/$$/ \"$1\" >>\"\$log\"" USR2
		echo ready >"$0.ready"
		while :; do sleep 0.05; done' "$t/log" "$2" </dev/null >/dev/null 2>"$t/fake.err" &
	fpid=$!
	pids+=($fpid)
	disown $fpid
	local i=0
	until [ -f "$t/log.ready" ]; do
		sleep 0.02
		i=$((i + 1))
		[ $i -gt 250 ] && { echo "FAIL: the stand-in never started"; exit 1; }
	done
	rm -f "$t/log.ready"
}

fake "color=never:log_path=$t/log,dump_signal=12" "$t/dump.line"
"$LC" dump --timeout 5 $fpid >"$t/out" 2>"$t/err"
st=$?
sed "s/@PID@/$fpid/" >"$t/want" <<'TEXT'
lockcheck dump of process @PID@ (bash): 5 threads

T1
    holds no lock
    waits to join T4 for 2000 ms, at:
        #0 main  (server+0x1100)

T2 (writer)
    holds lock_a (mutex at 0x5555555580a0), acquired at:
        #0 update  (server+0x1200)
    waits for M7 (rwlock at 0x7ffff0001000, write) for 1499 ms, held by T3 (reader), T5 (reader2), at:
        #0 update  (server+0x1210)

T3 (reader)
    holds M7 (rwlock at 0x7ffff0001000, read), acquired at:
        #0 read_table  (server+0x1300)
        #1 reader_main  (server+0x1400)
    waits for lock_a (mutex at 0x5555555580a0) for 1500 ms, held by T2 (writer), at:
        #0 read_table  (server+0x1310)
        #1 <unknown>  (0x7ffff7a00000)

T4
    holds no lock
    not waiting

T5 (reader2)
    holds M7 (rwlock at 0x7ffff0001000, read), acquired at:
        <no stack>
    not waiting

Found a deadlock: T2 (writer) waits for M7 held by T3 (reader); T3 (reader) waits for lock_a held by T2 (writer)
TEXT
if [ $st -ne 0 ] || [ -s "$t/err" ] || ! cmp -s "$t/want" "$t/out"; then
	echo "FAIL: the dump text (exit $st):"
	cat "$t/err"
	diff -u "$t/want" "$t/out"
	fails=$((fails + 1))
fi
kill -KILL $fpid

# started CMD...: runs CMD in the background (pid in $bgpid) and gives env
# the time to exec it, so that /proc/PID/environ is the command's own.
started() {
	"$@" </dev/null >/dev/null 2>&1 &
	bgpid=$!
	pids+=($bgpid)
	disown $bgpid
	sleep 0.2
}

# error CASE STATUS PATTERN ARGS...: exit STATUS, one stderr line matching
# PATTERN, nothing on stdout.
error() {
	local what=$1 want=$2 pat=$3
	shift 3
	"$LC" dump "$@" >"$t/out" 2>"$t/err" </dev/null
	local st=$?
	if [ $st -ne "$want" ] || [ "$(wc -l <"$t/err")" -ne 1 ] ||
	   [ -s "$t/out" ] || ! grep -q -- "$pat" "$t/err"; then
		echo "FAIL: $what: exit $st (expected $want), stderr:"
		cat "$t/err"
		echo "stdout:"
		cat "$t/out"
		fails=$((fails + 1))
	fi
}

started sleep 30
kill -KILL $bgpid
sleep 0.1
error "no such process" 2 "no process with pid $bgpid" $bgpid

started sleep 30
error "no options" 1 "no LOCKCHECK_OPTIONS" $bgpid

started env LOCKCHECK_OPTIONS=log_path=$t/x sleep 30
error "no dump_signal" 1 "without dump_signal" $bgpid

started env LOCKCHECK_OPTIONS=dump_signal=12:log_path=$t/x sleep 30
error "not caught" 1 "does not catch signal 12" $bgpid
kill -0 $bgpid 2>/dev/null || { echo "FAIL: the uncaught signal was sent"; fails=$((fails + 1)); }

: >"$t/nothing"
fake "log_path=$t/log:dump_signal=12" "$t/nothing"
error "no answer" 1 "no dump from process $fpid in 0.3 s" --timeout 0.3 $fpid
kill -KILL $fpid

echo '{"event":"dump","pid":@PID@,"threads":[{"id":1,"name":null,"held":[{"lock":{"id":1,"address":"0x10","type":"mutex","name":null},"mode":"shared","acquired":[]}],"waiting":null}]}' >"$t/bad"
fake "log_path=$t/log:dump_signal=12" "$t/bad"
error "malformed" 1 'threads\[0\].held\[0\]: "mode" is "shared"' $fpid
kill -KILL $fpid

fake "dump_signal=12" "$t/dump.line"
"$LC" dump $fpid >"$t/out" 2>"$t/err"
st=$?
if [ $st -ne 0 ] || [ -s "$t/err" ] ||
   ! grep -q "^lockcheck dump: sent signal 12 to process $fpid; it writes no log file" "$t/out"; then
	echo "FAIL: no log_path: exit $st:"
	cat "$t/out" "$t/err"
	fails=$((fails + 1))
fi

[ $fails -eq 0 ] && echo "dump_render: ok"
[ $fails -eq 0 ]
