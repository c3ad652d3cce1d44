#!/bin/bash
# daemon_fds: a program that closes the shim's log descriptor (it closes
# every descriptor it did not open, as daemons do) and opens files of its
# own at the same numbers never gets the shim's lines in its files: the shim
# sees that the descriptor is no longer its log and opens the log again by
# name (tests/real/daemon_fds.c), the name it made absolute at start-up (the
# program changes directory to /, and the log_path given is relative); and
# a socket pair it opens at the freed numbers carries its bytes unchanged
# through the shim's stack walks. Checked: stdout (the program prints its
# data file back) and exit status as natively but 66 for the finding,
# nothing on stderr, and the one log holding start, the finding and end.
# Then the same with the log file deleted meanwhile: no file is created
# again, one line on stderr says so, and the finding goes to stderr.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHIM=$ROOT/preload/liblockcheck.so
NAME=daemon_fds
die() { echo "$NAME: $*"; exit 1; }
[ -f "$SHIM" ] || die "no shim at $SHIM (run make)"
command -v python3 >/dev/null || die "python3 is needed to read the JSONL"
w=$(mktemp -d "${TMPDIR:-/tmp}/$NAME.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$w"' EXIT
unset LD_PRELOAD LOCKCHECK_OPTIONS
cc -O1 -g -pthread -o "$w/daemon_fds" "$ROOT/tests/real/daemon_fds.c" || die "cannot build daemon_fds.c"

mkdir "$w/native" "$w/shim" "$w/gone"
timeout 20 "$w/daemon_fds" "$w/native" >"$w/native.out" || die "native run failed"
grep -q '^data file, 38 bytes:$' "$w/native.out" || die "native run: $(head -n 1 "$w/native.out")"
[ "$(grep -c '^socket .: 5 bytes, hello$' "$w/native.out")" -eq 2 ] || die "native run: $(tail -n 2 "$w/native.out")"

# A relative log_path: the program's chdir to / must not move the log.
(cd "$w" && timeout 20 env LD_PRELOAD="$SHIM" LOCKCHECK_OPTIONS="log_path=log:print_findings=0" \
	"$w/daemon_fds" "$w/shim" >"$w/shim.out" 2>"$w/shim.err")
st=$?
[ "$st" -eq 66 ] || die "exit status $st, expected 66 (the finding): $(head -c 300 "$w/shim.err")"
cmp -s "$w/native.out" "$w/shim.out" ||
	die "the program's data file differs from the native run: $(diff "$w/native.out" "$w/shim.out" | head -n 5)"
[ ! -s "$w/shim.err" ] || die "unexpected stderr: $(head -n 2 "$w/shim.err")"
python3 - "$w"/log.*.jsonl <<'PY' || exit 1
import json, sys
if len(sys.argv) != 2:
    print("daemon_fds: expected one log, got %d" % (len(sys.argv) - 1)); sys.exit(1)
events = [json.loads(l)["event"] for l in open(sys.argv[1])]
findings = [e for e in events if e == "finding"]
if events[0] != "start" or events[-1] != "end" or len(findings) != 1:
    print("daemon_fds: the log holds %s, expected start, one finding, ..., end" % events); sys.exit(1)
PY
echo "daemon_fds: taken over: ok (the data file as natively, the finding in the log)"

# The log deleted before the descriptor is taken over: it is not created
# again (a file made then would have no start event); stderr instead. The
# shell's pid is the program's (exec), so it can name the log to delete.
W=$w SHIM=$SHIM timeout 20 bash -c '
	exec env LD_PRELOAD="$SHIM" LOCKCHECK_OPTIONS="log_path=$W/gonelog:print_findings=0" \
		"$W/daemon_fds" "$W/gone" "$W/gonelog.$$.jsonl"
' >"$w/gone.out" 2>"$w/gone.err"
st=$?
[ "$st" -eq 66 ] || die "deleted log: exit status $st, expected 66: $(head -c 300 "$w/gone.err")"
cmp -s "$w/native.out" "$w/gone.out" || die "deleted log: the data file differs from the native run"
n=$(grep -c "^lockcheck: log .*: its descriptor was closed or the file deleted, and it cannot be opened again" "$w/gone.err")
[ "$n" -eq 1 ] || die "deleted log: expected one line saying so, got: $(head -n 3 "$w/gone.err")"
grep -q "lock-order-inversion" "$w/gone.err" || die "deleted log: the finding did not go to stderr"
! ls "$w"/gonelog.* >/dev/null 2>&1 || die "deleted log: a log file was made again: $(ls "$w"/gonelog.*)"
echo "daemon_fds: taken over, log deleted: ok (one line, the finding on stderr)"
