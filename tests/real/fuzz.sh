#!/bin/bash
# fuzz: the suite's bounded fuzzing of the input parsers (tests/fuzz/).
#
# Builds the libFuzzer targets (make fuzz-build: clang with ASan and UBSan),
# replays every corpus input and every input that once crashed
# (tests/fuzz/regress/), then fuzzes each target for
# LOCKCHECK_FUZZ_SECONDS (default 10), two at a time, each in a scratch copy
# of its corpus. Fails on any crash, leak, UBSan report, timeout or failed
# parser check, naming the target and where the crashing input was saved
# (build/fuzz/crashes/TARGET/). Without clang it fails with one line saying
# so: CI installs clang and libclang-rt-14-dev (make deps), so a missing
# compiler must not pass as a skipped test.
# Run from anywhere; tests/run runs it from the repository root. Exit 0 means
# pass; on failure the last lines printed say why.

set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
CC_FUZZ=${FUZZ_CC:-clang}
SECS=${LOCKCHECK_FUZZ_SECONDS:-10}

die() {
	echo "fuzz: $*"
	exit 1
}

command -v "$CC_FUZZ" >/dev/null ||
	die "$CC_FUZZ not found: the fuzz targets need clang and libclang-rt-14-dev (make deps installs them)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lc-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

if ! make -s fuzz-build >"$tmp/build.log" 2>&1; then
	tail -n 15 "$tmp/build.log"
	die "building the fuzz targets failed (libFuzzer's runtime is in libclang-rt-14-dev)"
fi

targets=()
for src in tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	[ "$t" = fuzz_warn ] || targets+=("$t")
done
[ ${#targets[@]} -gt 0 ] || die "no fuzz targets in tests/fuzz/"

tests/fuzz/run replay "${targets[@]}" || die "a corpus or regression input crashes"

# Two at a time (the first half and the second), each half one after the other.
half=$(((${#targets[@]} + 1) / 2))
tests/fuzz/run fuzz "$SECS" "${targets[@]:0:$half}" >"$tmp/a.out" 2>&1 &
a=$!
st=0
if [ ${#targets[@]} -gt "$half" ]; then
	tests/fuzz/run fuzz "$SECS" "${targets[@]:$half}" >"$tmp/b.out" 2>&1 || st=1
fi
wait "$a" || st=1
cat "$tmp/a.out" "$tmp/b.out" 2>/dev/null
[ "$st" -eq 0 ] || die "a target crashed or failed a check (inputs in build/fuzz/crashes/)"
echo "fuzz: ${#targets[@]} targets, ${SECS}s each: no crash"
