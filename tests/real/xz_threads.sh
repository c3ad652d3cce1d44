#!/bin/bash
# xz_threads: a real, unmodified Debian program under the shim.
#
# xz -T2 compresses with two worker threads that hand blocks back and forth
# through pthread mutexes and condition variables, and xz -T2 -d decompresses
# the same way (xz 5.4). The lock pattern is sound, so the shim must find
# nothing and change nothing:
#   - compressing ~20 MB of generated text (deterministic, about 40%
#     compressible) gives byte-identical .xz output natively and under the
#     shim, with the same exit status;
#   - decompressing it under the shim gives the original data back, byte for
#     byte, with the same exit status as natively;
#   - each shim run's PREFIX.<pid>.jsonl has a start event, an end event and
#     no finding event.
# Run from anywhere; tests/run runs it from the repository root. Exit 0 means
# pass; on failure the last lines printed say why.

set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHIM=$ROOT/preload/liblockcheck.so

die() {
	echo "xz_threads: $*"
	exit 1
}

[ -f "$SHIM" ] || die "no shim at $SHIM (run make)"
command -v xz >/dev/null || die "xz is not installed (apt-get install xz-utils)"

work=$(mktemp -d "${TMPDIR:-/tmp}/xz_threads.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT

# 20 MiB of lines of words and numbers from a Park-Miller generator: the same
# bytes on every machine and every awk (all products stay below 2^53).
awk 'BEGIN {
	n = split("lock mutex thread order cycle graph edge wait held acquire " \
		  "release deadlock report stack frame symbol", w, " ");
	s = 42; total = 0; target = 20 * 1024 * 1024;
	while (total < target) {
		line = "";
		for (k = 0; k < 8; k++) {
			s = (s * 16807) % 2147483647;
			if (s % 3 == 0)
				line = line w[1 + s % n] " ";
			else
				line = line sprintf("%d ", s % 100000);
		}
		print line;
		total += length(line) + 1;
	}
}' >"$work/data" || die "generating the input failed"

# check_log PREFIX WHAT: the shim's JSONL for one run has a start event, an
# end event and no finding.
check_log() {
	local prefix=$1 what=$2 logs f starts ends findings
	logs=("$prefix".*.jsonl)
	[ -e "${logs[0]}" ] || die "$what: the shim wrote no $prefix.<pid>.jsonl"
	starts=0 ends=0 findings=0
	for f in "${logs[@]}"; do
		starts=$((starts + $(grep -cE '"event" *: *"start"' "$f")))
		ends=$((ends + $(grep -cE '"event" *: *"end"' "$f")))
		findings=$((findings + $(grep -cE '"event" *: *"finding"' "$f")))
	done
	[ "$starts" -ge 1 ] || die "$what: no start event in ${logs[*]}"
	[ "$ends" -ge 1 ] || die "$what: no end event in ${logs[*]}"
	if [ "$findings" -ne 0 ]; then
		grep -hE '"event" *: *"finding"' "${logs[@]}" | cut -c1-400 | head -n 5
		die "$what: $findings finding(s) under the shim, expected none"
	fi
	grep -qE '"exe" *: *"[^"]*xz"' "${logs[@]}" ||
		die "$what: the start event does not name xz as the program"
}

# Compression.
xz -T2 -3 -c <"$work/data" >"$work/native.xz"
nst=$?
LD_PRELOAD=$SHIM LOCKCHECK_OPTIONS="log_path=$work/compress" \
	xz -T2 -3 -c <"$work/data" >"$work/shim.xz" 2>"$work/compress.err"
sst=$?
[ "$nst" -eq 0 ] || die "native xz -T2 -3 failed with status $nst"
[ "$sst" -eq "$nst" ] || {
	tail -n 10 "$work/compress.err"
	die "xz -T2 -3 exited $sst under the shim, $nst natively"
}
cmp -s "$work/native.xz" "$work/shim.xz" ||
	die "compressed output differs under the shim ($(stat -c %s "$work/native.xz") vs $(stat -c %s "$work/shim.xz") bytes)"
check_log "$work/compress" "xz -T2 -3"

# Decompression (the round trip).
xz -T2 -d -c <"$work/native.xz" >"$work/native.out"
nst=$?
LD_PRELOAD=$SHIM LOCKCHECK_OPTIONS="log_path=$work/decompress" \
	xz -T2 -d -c <"$work/native.xz" >"$work/shim.out" 2>"$work/decompress.err"
sst=$?
[ "$nst" -eq 0 ] || die "native xz -T2 -d failed with status $nst"
[ "$sst" -eq "$nst" ] || {
	tail -n 10 "$work/decompress.err"
	die "xz -T2 -d exited $sst under the shim, $nst natively"
}
cmp -s "$work/data" "$work/native.out" || die "native round trip lost data"
cmp -s "$work/data" "$work/shim.out" || die "round trip under the shim lost data"
check_log "$work/decompress" "xz -T2 -d"

echo "xz_threads: ok ($(stat -c %s "$work/data") bytes -> $(stat -c %s "$work/native.xz"), identical under the shim, no findings)"
exit 0
