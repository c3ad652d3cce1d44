#!/bin/bash
# durability: what was found survives the process.
#   killed      tests/real/durability.c SIGKILLs itself the moment the lock
#               call that found an AB-BA returns: the log holds the start
#               line and the whole finding line, nothing else, every line
#               complete, and `lockcheck report` shows the finding (exit 0:
#               a log without an end event is a process that died, not an
#               error of the report)
#   one write   under strace, every write(2) to the log is exactly one whole
#               line, so no reader (or crash) ever sees half of one
#   cut short   the log cut in the middle of a second finding line, as a
#               process killed mid-write leaves it: the report reads every
#               line before it and warns once about the cut line (exit 0)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHIM=$ROOT/preload/liblockcheck.so
LC=$ROOT/tools/lockcheck
NAME=durability
die() { echo "$NAME: $*"; exit 1; }
[ -f "$SHIM" ] && [ -x "$LC" ] || die "build first (make)"
command -v python3 >/dev/null || die "python3 is needed to read the JSONL"
command -v strace >/dev/null || die "strace is needed (Debian package strace)"
w=$(mktemp -d "${TMPDIR:-/tmp}/$NAME.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$w"' EXIT
unset LD_PRELOAD LOCKCHECK_OPTIONS
cc -O1 -g -pthread -o "$w/durability" "$ROOT/tests/real/durability.c" || die "cannot build durability.c"

# (In a subshell, whose stderr takes the shell's own "Killed" notice.)
( timeout 20 env LD_PRELOAD="$SHIM" LOCKCHECK_OPTIONS="log_path=$w/killed:print_findings=0" \
	"$w/durability" >/dev/null; exit $? ) 2>"$w/killed.err"
st=$?
[ "$st" -eq 137 ] || die "killed: exit status $st, expected 137 (SIGKILL)"
log=$(ls "$w"/killed.*.jsonl 2>/dev/null)
[ -n "$log" ] || die "killed: no log file"
python3 - "$log" <<'EOF' || exit 1
import json, sys
data = open(sys.argv[1], "rb").read()
if not data.endswith(b"\n"):
    print("durability: killed: the log does not end with a whole line"); sys.exit(1)
events = [json.loads(l) for l in data.decode().splitlines()]
kinds = [(e["event"], e.get("kind")) for e in events]
if kinds != [("start", None), ("finding", "lock-order-inversion")]:
    print("durability: killed: expected start and the finding, got %s" % kinds); sys.exit(1)
EOF
"$LC" report --color never "$log" >"$w/report.out" 2>"$w/report.err"
st=$?
[ "$st" -eq 0 ] || die "killed: lockcheck report exit $st: $(head -n 2 "$w/report.err")"
grep -q "lock-order-inversion" "$w/report.out" || die "killed: the report does not show the finding"

# One write(2) per line: strace shows each write to the log's descriptor
# (opened, then moved up by F_DUPFD_CLOEXEC).
( timeout 60 strace -f -qq -s 1000000 -e trace=openat,fcntl,write -o "$w/trace" \
	-E LD_PRELOAD="$SHIM" -E LOCKCHECK_OPTIONS="log_path=$w/traced:print_findings=0" \
	"$w/durability" >/dev/null 2>&1; exit $? ) 2>/dev/null
python3 - "$w/trace" "$w/traced." <<'EOF' || exit 1
import re, sys
trace, prefix = sys.argv[1], sys.argv[2]
fd, writes = None, []
for line in open(trace, errors="replace"):
    m = re.search(r'openat\([^,]+, "([^"]*)", [^)]*\) = (\d+)', line)
    if m and m.group(1).startswith(prefix):
        fd = m.group(2)
        continue
    m = re.search(r'fcntl\((\d+), F_DUPFD_CLOEXEC, \d+\) *= (\d+)', line)
    if fd and m and m.group(1) == fd:
        fd = m.group(2)
        continue
    m = re.search(r'write\((\d+), "(.*)", (\d+)\) = (-?\d+)', line)
    if fd and m and m.group(1) == fd:
        writes.append((m.group(2), int(m.group(3)), int(m.group(4))))
if len(writes) != 2:
    print("durability: one write: expected 2 writes to the log (start, finding), got %d" % len(writes)); sys.exit(1)
for text, size, done in writes:
    if done != size or not text.endswith("\\n") or text[:-2].count("\\n"):
        print("durability: one write: a write is not exactly one whole line: %r" % text[:120]); sys.exit(1)
EOF

# Cut short: a second finding cut in half after the first, whole one.
{ cat "$log"; sed -n 2p "$log" | sed 's/"id":"lc1-[0-9a-f]*"/"id":"lc1-00000000000000ff"/' | head -c 300; } >"$w/cut.jsonl"
"$LC" report --color never "$w/cut.jsonl" >"$w/cut.out" 2>"$w/cut.err"
st=$?
[ "$st" -eq 0 ] || die "cut short: lockcheck report exit $st: $(head -n 2 "$w/cut.err")"
grep -q "lock-order-inversion" "$w/cut.out" || die "cut short: the whole finding before the cut line is missing"
[ "$(grep -c 'warning: truncated last line' "$w/cut.err")" -eq 1 ] && [ "$(wc -l <"$w/cut.err")" -eq 1 ] ||
	die "cut short: expected one warning line, got: $(head -n 3 "$w/cut.err")"
echo "$NAME: ok (killed after the finding, one write per line, cut-short log read with a warning)"
