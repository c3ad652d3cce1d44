# tests/real/scale/harness.sh: what every tests/real/scale_*.sh shares, sourced
# after it sets NAME (and SRC, the program's source name, when it is not NAME):
# ROOT, SHIM and a die() that prints one line of reason; a work directory $w,
# removed on exit; the program built from tests/real/$SRC.c into $prog as a
# user would (no link to the shim); and two runners:
#   run_native MODE        the program natively, stdout in $w/MODE.native
#   run_shim MODE [OPTS]   under the shim, logging to $w/MODE.log; sets st and
#                          log (the one JSONL file) and prints the wall time,
#                          the peak RSS, the end event, its stats and the
#                          shim's stderr lines (QUIET=1: only the first two)
# SCALE_LIB names this directory, for the checks' `from scalelog import ...`
# (scalelog.py: reading the log). Both live below tests/real so that
# tests/run, which runs tests/real/*.sh, does not take them for tests.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHIM=$ROOT/preload/liblockcheck.so
CC=${CC:-cc}
LIMIT=${SCALE_TIMEOUT:-15}

die() {
	echo "$NAME: $*"
	exit 1
}

[ -f "$SHIM" ] || die "no shim at $SHIM (run make)"
command -v python3 >/dev/null || die "python3 is needed to read the JSONL"
w=$(mktemp -d "${TMPDIR:-/tmp}/$NAME.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$w"' EXIT
unset LD_PRELOAD LOCKCHECK_OPTIONS
export SCALE_LIB=$ROOT/tests/real/scale

SRC=${SRC:-$NAME}
prog=$w/$SRC
$CC -O1 -g -pthread -I"$ROOT/lib" -o "$prog" "$ROOT/tests/real/$SRC.c" 2>"$w/cc.err" ||
	{ cat "$w/cc.err"; die "cannot build $SRC.c"; }

TIME=()
[ -x /usr/bin/time ] && TIME=(/usr/bin/time -o "$w/time" -f '%e %M')

# run_native MODE: stdout in $w/MODE.native; must exit 0.
run_native() {
	timeout -k 5 "$LIMIT" "$prog" "$1" >"$w/$1.native" 2>"$w/$1.native.err"
	local st=$?
	[ $st -eq 0 ] || die "native $1 run exited $st (124: timed out): $(head -c 300 "$w/$1.native.err")"
}

# run_shim MODE [OPTIONS]: sets st and log (the one JSONL file); prints the
# time, the peak RSS, the end event and the shim's stderr lines.
run_shim() {
	local m=$1 opts=${2:-}
	rm -rf "$w/$m.log"
	mkdir -p "$w/$m.log"
	rm -f "$w/time"
	local t0 t1 rss
	t0=$(date +%s%N)
	timeout -k 5 "$LIMIT" "${TIME[@]}" env LD_PRELOAD="$SHIM" \
		LOCKCHECK_OPTIONS="log_path=$w/$m.log/log:print_findings=0${opts:+:$opts}" \
		"$prog" "$m" >"$w/$m.out" 2>"$w/$m.err"
	st=$?
	t1=$(date +%s%N)
	[ $st -eq 124 ] && die "$m run under the shim timed out after ${LIMIT}s"
	local logs=("$w/$m.log"/log.*.jsonl)
	[ -e "${logs[0]}" ] || die "$m run: exit $st and no log (stderr: $(head -c 300 "$w/$m.err"))"
	[ ${#logs[@]} -eq 1 ] || die "$m run: ${#logs[@]} log files, expected 1"
	log=${logs[0]}
	if [ -s "$w/time" ]; then
		rss="$(tail -n 1 "$w/time" | awk '{print $2}') KB (/usr/bin/time)"
	else
		rss="$(sed -n 's/.*peak_rss_kb=\([0-9]*\).*/\1/p' "$w/$m.err") KB (getrusage at end of main)"
	fi
	echo "$NAME: $m: exit $st, $(((t1 - t0) / 1000000)) ms, peak RSS $rss"
	[ -n "${QUIET:-}" ] && return
	python3 - "$log" "$NAME: $m: " <<'EOF'
import json, sys
end = None
for line in open(sys.argv[1]):
    if line.startswith('{"event":"end"'):
        end = json.loads(line)
if end is None:
    print(sys.argv[2] + "no end event")
else:
    stats = end.pop("stats", None)
    print(sys.argv[2] + "end event " + json.dumps(end, separators=(",", ":")))
    if stats is not None:
        print(sys.argv[2] + "stats " + json.dumps(stats, separators=(",", ":")))
EOF
	echo "$NAME: $m: shim stderr lines: $(grep -c 'lockcheck:' "$w/$m.err")"
	grep 'lockcheck:' "$w/$m.err" | head -n 5 | sed "s/^/$NAME: $m:   /"
}


# verify_run MODE WANT_ST [LABEL]: after run_shim MODE, the run must have
# exited WANT_ST, printed exactly what the native run printed, said nothing
# on stderr, and its log must pass the script's check_log MODE LOG.
verify_run() {
	local m=$1 want=$2 label=${3:-$1 run}
	local msg lc
	msg=$(check_log "$m" "$log")
	lc=$?
	[ "$st" -eq "$want" ] || die "$label under the shim exited $st, expected $want$([ "$want" -eq 66 ] && echo ' (the findings exit code)')${msg:+; and: $msg}"
	cmp -s "$w/$m.native" "$w/$m.out" ||
		{ diff "$w/$m.native" "$w/$m.out" | head; die "$label: stdout differs from the native run"; }
	! grep -q 'lockcheck:' "$w/$m.err" || die "$label: the shim warned: $(grep -m1 'lockcheck:' "$w/$m.err")"
	[ $lc -eq 0 ] || die "$label: $msg"
}
