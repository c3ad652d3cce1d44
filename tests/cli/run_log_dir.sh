#!/bin/bash
# `lockcheck run --log-dir D -- true` leaves D/lockcheck.<pid>.jsonl whose
# first line is the start event of that pid, and keeps D. Needs the shim.
LC=${LOCKCHECK:-tools/lockcheck}
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
LC_ABS=$(cd "$(dirname "$LC")" && pwd)/$(basename "$LC")
t=$(mktemp -d "${TMPDIR:-/tmp}/logdir.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT

"$LC" run --log-dir "$t/D" -- true >"$t/out" 2>"$t/err"
st=$?
[ "$st" -eq 0 ] || { echo "FAIL: exit $st"; cat "$t/err"; exit 1; }
files=("$t"/D/lockcheck.*.jsonl)
if [ ! -f "${files[0]}" ]; then
	echo "FAIL: no $t/D/lockcheck.<pid>.jsonl; D holds: $(ls -A "$t/D" 2>&1)"
	cat "$t/err"
	exit 1
fi
[ ${#files[@]} -eq 1 ] || { echo "FAIL: ${#files[@]} files for one process: ${files[*]}"; exit 1; }
pid=${files[0]##*/lockcheck.}
pid=${pid%.jsonl}
first=$(head -n 1 "${files[0]}")
case $first in
*'"event":"start"'*) ;;
*) echo "FAIL: first line is not a start event: $first"; exit 1 ;;
esac
case $first in
*"\"pid\":$pid,"* | *"\"pid\":$pid}"*) ;;
*) echo "FAIL: start event is not for pid $pid: $first"; exit 1 ;;
esac
# The file reads back without complaint.
"$LC" report --color never "$t/D" >"$t/out" 2>"$t/err" || { echo "FAIL: report D: exit $?"; cat "$t/err"; exit 1; }
[ ! -s "$t/err" ] || { echo "FAIL: report D complained:"; cat "$t/err"; exit 1; }
grep -qx 'lockcheck: no findings in 1 process' "$t/out" || { echo "FAIL: report D:"; cat "$t/out"; exit 1; }

# --log-dir=D spelling, relative path, program that changes directory.
(cd "$t" && "$LC_ABS" run --log-dir=rel -- sh -c 'cd / && true') >/dev/null 2>&1
ls "$t"/rel/lockcheck.*.jsonl >/dev/null 2>&1 || { echo "FAIL: relative --log-dir=rel got no report"; exit 1; }
echo "log dir: ok"
