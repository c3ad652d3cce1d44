#!/bin/bash
# `lockcheck report --format html`: one self-contained page that a browser
# renders. The HTML of a report with cycles (tests/golden/formats.jsonl: a
# deadlock-possible AB-BA, a guarded warning cycle, a cycle known only from
# a finding) must hold the inline <svg> lock graph naming the locks, the
# cycle edges in red and orange, every finding's text in a <pre>, and no
# script or outside resource. Then headless Chromium must render it to a
# PNG screenshot of the window size and of a non-trivial size (the picture
# itself is looked at by eye, not decoded).
#
# Chromium is a test dependency: when it is missing this test FAILS (it
# does not skip), saying so.
LC=${LOCKCHECK:-tools/lockcheck}
G=tests/golden/formats.jsonl
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
[ -f "$G" ] || { echo "FAIL: run from the repository root ($G missing)"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/html.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; [ -f "$t/err" ] && head -n 20 "$t/err"; exit 1; }

"$LC" report --format html -o "$t/report.html" "$G" 2>"$t/err" || fail "report --format html: exit $?"
h=$t/report.html
head -n 1 "$h" | grep -qx '<!DOCTYPE html>' || fail "not an HTML document"
grep -q '<svg xmlns="http://www.w3.org/2000/svg" class="lc-graph"' "$h" || fail "no inline <svg> graph"
# The lock names, drawn in the svg (between <svg and </svg>).
sed -n '/<svg /,/<\/svg>/p' "$h" >"$t/svg"
for lock in lock_a lock_b stats_lock log_lock config_lock queue_lock @pool_create @make_account; do
	grep -q ">$lock</text>" "$t/svg" || fail "the svg does not draw lock $lock"
done
grep -q 'stroke="#d32f2f"' "$t/svg" || fail "no red (deadlock-possible) edge"
grep -q 'stroke="#ef6c00"' "$t/svg" || fail "no orange (warning) edge"
grep -q 'stroke-dasharray' "$t/svg" || fail "no dashed edge (known only from a finding)"
[ "$(grep -c '<section class="finding' "$h")" -eq 5 ] || fail "not 5 finding sections"
[ "$(grep -c '<pre>' "$h")" -eq 5 ] || fail "not 5 <pre> text blocks"
grep -q 'lock_a =&gt; lock_b =&gt; lock_a' "$h" || fail "finding text not escaped (=> as =&gt;)"
grep -qi '<script' "$h" && fail "the page has a script"
grep -qiE '<link|<img|<iframe|src=|url\((["'"'"']?)(https?:|//)' "$h" && fail "the page loads an outside resource"
grep -oE 'https?://[^"]*' "$h" | grep -qv '^http://www.w3.org/2000/svg$' && fail "the page names a URL other than the SVG namespace"

# Render it.
browser=$(command -v chromium || command -v chromium-browser)
if [ -z "$browser" ]; then
	echo "FAIL: chromium is not installed: this test renders the HTML report in headless Chromium (Debian package: chromium; make deps installs it)"
	exit 1
fi
profile=$(mktemp -d "$t/profile.XXXXXX")
timeout 90 "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
	--no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --user-data-dir="$profile" \
	--screenshot="$t/shot.png" --window-size=1200,900 \
	"file://$t/report.html" >"$t/chromium.log" 2>&1
st=$?
[ -f "$t/shot.png" ] || { cp "$t/chromium.log" "$t/err"; fail "chromium wrote no screenshot (exit $st)"; }
size=$(stat -c %s "$t/shot.png")
[ "$size" -gt 20000 ] || fail "the screenshot is only $size bytes: a blank page?"
# PNG signature, then the IHDR width and height (big-endian at bytes 16..23).
[ "$(od -An -tx1 -N8 "$t/shot.png" | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "the screenshot is not a PNG"
dims=$(od -An -tu1 -j16 -N8 "$t/shot.png" | awk '{ print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8 }')
[ "$dims" = 1200x900 ] || fail "the screenshot is $dims, not 1200x900"
# Keep it for a person to look at when asked to.
[ -n "${LOCKCHECK_KEEP_SCREENSHOT:-}" ] && cp "$t/shot.png" "$LOCKCHECK_KEEP_SCREENSHOT"
exit 0
