#!/bin/bash
# A real GLib-based program runs unchanged under the shim (issue 20):
# Debian's gst-launch-1.0 plays a GStreamer pipeline of five elements in
# three streaming threads (a tee into two queues, one with a 8-buffer
# limit so that its threads block and wake on each other all the time)
# over 20,000 buffers. GStreamer's object locks are GMutexes (futexes, seen
# through preload/glib.c), its stream locks GRecMutexes (pthread mutexes
# inside GLib), its queues wait on GConds. The run must end as natively
# (status 0, every buffer through: the identity element counts them), with
# no finding, and the summary must count the GMutex calls (at least one
# per buffer: a blind run proves nothing) beside the pthread ones.
# Needs gst-launch-1.0 (gstreamer1.0-tools, TEST_DEPS).
LC=${LOCKCHECK:-tools/lockcheck}
command -v gst-launch-1.0 >/dev/null ||
	{ echo "FAIL: gst-launch-1.0 is not installed (gstreamer1.0-tools)"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/gst.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; tail -20 "$t/err"; exit 1; }

buffers=20000
pipeline="fakesrc num-buffers=$buffers sizetype=fixed sizemax=64 ! tee name=t
	! queue ! identity name=counted silent=false ! fakesink sync=false
	t. ! queue max-size-buffers=8 ! fakesink sync=false"
# GStreamer's registry is built once per user, by a helper process: built
# here first, outside the measured run, so the run is the pipeline alone.
export GST_REGISTRY="$t/registry.bin"
gst-inspect-1.0 fakesrc >/dev/null 2>&1 || fail "gst-inspect-1.0 cannot load fakesrc"

"$LC" run --log-dir "$t/logs" -- gst-launch-1.0 -v $pipeline >"$t/out" 2>"$t/err" </dev/null
rc=$?
[ "$rc" -eq 0 ] || fail "gst-launch-1.0 under the shim: exit $rc"
# identity (silent=false) prints a line per buffer it passes.
passed=$(grep -c 'counted.*chain' "$t/out")
[ "$passed" -eq "$buffers" ] || fail "$passed of $buffers buffers went through"
grep -q '^lockcheck: no findings in 1 process$' "$t/err" || fail "findings (or no summary)"
calls=$(sed -n 's/^lockcheck: [0-9]* lock calls seen in 1 process (\(.*\))$/\1/p' "$t/err")
gmutex=$(echo "$calls" | tr ',' '\n' | sed -n 's/^ *gmutex \([0-9]*\)$/\1/p')
mutex=$(echo "$calls" | tr ',' '\n' | sed -n 's/^ *mutex \([0-9]*\)$/\1/p')
[ -n "$gmutex" ] && [ "$gmutex" -ge "$buffers" ] ||
	fail "GMutex calls not counted, or fewer than one per buffer: ($calls)"
[ -n "$mutex" ] && [ "$mutex" -gt 0 ] || fail "no pthread mutex calls counted: ($calls)"
echo "gst pipeline: $buffers buffers, no findings; lock calls: $calls"
