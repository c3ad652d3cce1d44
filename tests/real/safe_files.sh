#!/bin/bash
# safe_files: the shim's report file cannot be turned against anyone.
#
# The log is PREFIX.<pid>.jsonl, usually in a shared directory, so its name
# can be predicted and something planted there first. Each case runs the
# AB-BA scenario (one error finding) and checks that the program's own
# stdout and exit status (66, the finding) are unchanged and that the finding
# still reaches stderr when no file can be used:
#   plain        the file is created with mode 0600 whatever the umask
#   symlink      a symlink planted at the name is refused with one clear line;
#                its target is never created or written
#   fifo         a FIFO planted there is refused without hanging the program
#   hardlink     a second name for someone's file is refused, the file intact
#   unwritable   a log_path in a missing directory: one warning, then stderr
#   setgid       a set-group-ID program (AT_SECURE) takes no options from the
#                environment and writes no file (needs root to make one)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHIM=$ROOT/preload/liblockcheck.so
PROG=$ROOT/build/tests/scenarios/abba
NAME=safe_files
die() { echo "$NAME: $*"; exit 1; }
[ -f "$SHIM" ] && [ -x "$PROG" ] || die "build first (make test-build)"
w=$(mktemp -d "${TMPDIR:-/tmp}/$NAME.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$w"' EXIT
unset LD_PRELOAD LOCKCHECK_OPTIONS
"$PROG" >"$w/native.out" || die "native run failed"

# run CASE PLANT [LOG_PATH]: runs the program under the shim with
# log_path=$w/CASE (or LOG_PATH) after running PLANT, a shell command given
# $LOG, the file name the process will use. The shell's pid becomes the
# program's (exec, env exec), and only the program gets the shim.
run() {
	local case=$1 plant=$2 prefix=${3:-$w/$1}
	W=$w SHIM=$SHIM PROG=$PROG PLANT=$plant PREFIX=$prefix timeout 20 bash -c '
		umask 022
		LOG=$PREFIX.$$.jsonl
		eval "$PLANT"
		exec env LD_PRELOAD="$SHIM" \
			LOCKCHECK_OPTIONS="log_path=$PREFIX:print_findings=0" "$PROG"
	' >"$w/$case.out" 2>"$w/$case.err"
	st=$?
	[ "$st" -eq 66 ] || die "$case: exit status $st, expected 66 (the finding); stderr: $(head -c 300 "$w/$case.err")"
	cmp -s "$w/native.out" "$w/$case.out" || die "$case: stdout differs from the native run"
}
# refused CASE WHY: the one-line refusal and the finding on stderr instead.
refused() {
	local n
	n=$(grep -c "^lockcheck: cannot open log .*$2" "$w/$1.err")
	[ "$n" -eq 1 ] || die "$1: expected one line saying '$2', got: $(head -n 3 "$w/$1.err")"
	grep -q "lock-order-inversion" "$w/$1.err" ||
		die "$1: the finding did not fall back to stderr"
}

run plain ":"
f=$(ls "$w"/plain.*.jsonl 2>/dev/null | head -n 1)
[ -n "$f" ] || die "plain: no log file"
[ "$(stat -c %a "$f")" = 600 ] || die "plain: log mode $(stat -c %a "$f"), expected 600"
grep -q '"kind":"lock-order-inversion"' "$f" || die "plain: no finding in the log"
grep -q '"limits":\[\]' "$f" || die "plain: the end event lists no limits field (or a limit)"
[ ! -s "$w/plain.err" ] || die "plain: unexpected stderr: $(head -n 2 "$w/plain.err")"

run symlink 'ln -s "$W/victim" "$LOG"'
refused symlink "it is a symbolic link (refused)"
[ ! -e "$w/victim" ] || die "symlink: the symlink's target was created"

run fifo 'mkfifo "$LOG"'
refused fifo "not a regular file (refused)"

echo "precious" >"$w/precious"
run hardlink 'ln "$W/precious" "$LOG"'
refused hardlink "it has other hard links (refused)"
[ "$(cat "$w/precious")" = precious ] || die "hardlink: the linked file was written"

run unwritable ":" "$w/missing/dir/x"
refused unwritable "No such file or directory"
[ "$(grep -c '^lockcheck:' "$w/unwritable.err")" -eq 1 ] ||
	die "unwritable: expected exactly one lockcheck line, got: $(grep '^lockcheck:' "$w/unwritable.err")"

# AT_SECURE: LD_PRELOAD is ignored for a setgid program unless the library
# is itself installed setuid, so the program is linked to the shim by its
# absolute path instead (DT_NEEDED, which secure mode still honours).
if [ "$(id -u)" -ne 0 ]; then
	echo "$NAME: ok, but the setgid case needs root (skipped)"
	exit 0
fi
cc -O1 -g -pthread -o "$w/abba_setgid" "$ROOT/tests/scenarios/abba.c" "$SHIM" ||
	die "cannot link the setgid program"
chgrp nogroup "$w/abba_setgid" && chmod 2755 "$w/abba_setgid" || die "cannot make it setgid"
chmod 755 "$w"
( export LOCKCHECK_OPTIONS="log_path=$w/secure:print_findings=0:exitcode=0"
  exec timeout 20 "$w/abba_setgid" ) >"$w/setgid.out" 2>"$w/setgid.err"
st=$?
[ "$st" -eq 66 ] || die "setgid: exit status $st, expected 66 (options ignored, so exitcode stays 66)"
cmp -s "$w/native.out" "$w/setgid.out" || die "setgid: stdout differs from the native run"
grep -q "^lockcheck: set-user-ID or set-group-ID program: LOCKCHECK_OPTIONS is ignored" "$w/setgid.err" ||
	die "setgid: no line saying the options are ignored: $(head -n 3 "$w/setgid.err")"
grep -q "lock-order-inversion" "$w/setgid.err" || die "setgid: the finding is not on stderr"
ls "$w"/secure* >/dev/null 2>&1 && die "setgid: a log file was written"
echo "$NAME: ok (plain, symlink, fifo, hardlink, unwritable, setgid)"
