#!/bin/bash
# learn_order: from runs to an order file to a CI gate, end to end.
#
# tests/real/learn_order_app.c (built here) takes lock_a, lock_b, lock_c in
# that order, except once: rare_path takes lock_a while holding lock_c.
#  1. `lockcheck run --log-dir D -- app` (the inversion it makes is `ordered`,
#     a warning: exit 0);
#  2. `lockcheck order -o D/app.order D`: the file must list lock_a, lock_b,
#     lock_c in that order and name lock_c -> lock_a in rare_path as the edge
#     against it, on stderr too;
#  3. the app again with order_file=D/app.order: exit 66 and exactly one
#     order-violation, over lock_a and lock_c, with rare_path in its stack;
#  4. the app with --skip-rare (and with LEARN_ORDER_SKIP_RARE=1) under the
#     same file: exit 0, no finding at all.
# Run from anywhere after `make`; exit 0 means pass.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LC=$ROOT/tools/lockcheck
CC=${CC:-cc}

die() {
	echo "learn_order: $*"
	exit 1
}

[ -x "$LC" ] || die "no $LC (run make)"
[ -f "$ROOT/preload/liblockcheck.so" ] || die "no shim (run make)"
w=$(mktemp -d "${TMPDIR:-/tmp}/learn_order.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$w"' EXIT

app=$w/learn_order_app
$CC -O1 -g -pthread -o "$app" "$ROOT/tests/real/learn_order_app.c" 2>"$w/cc.err" ||
	{ cat "$w/cc.err"; die "cannot build learn_order_app"; }

# 1. Learn.
"$LC" run --log-dir "$w/D" -- "$app" >"$w/run1.out" 2>"$w/run1.err"
st=$?
[ "$st" -eq 0 ] || { cat "$w/run1.err"; die "learning run: exit $st, expected 0 (an ordered inversion is a warning)"; }
grep -q '"event":"graph"' "$w"/D/*.jsonl || die "learning run wrote no graph event"

# 2. The order file.
"$LC" order -o "$w/D/app.order" "$w/D" 2>"$w/order.err"
st=$?
[ "$st" -eq 0 ] || { cat "$w/order.err"; die "lockcheck order: exit $st"; }
order=$(grep -v '^#' "$w/D/app.order" | grep -v '^$' | tr '\n' ' ')
[ "$order" = "lock_a lock_b lock_c " ] ||
	{ cat "$w/D/app.order"; die "the order file lists '$order', expected 'lock_a lock_b lock_c '"; }
against=$(grep -c '^# against this order: ' "$w/D/app.order")
[ "$against" -eq 1 ] || { cat "$w/D/app.order"; die "$against edges against the order, expected 1"; }
grep -q '^# against this order: lock_c -> lock_a, 1 time, thread T1: taken in rare_path ' "$w/D/app.order" ||
	{ cat "$w/D/app.order"; die "the edge against the order is not lock_c -> lock_a in rare_path"; }
grep -q '^  lock_c -> lock_a, .*rare_path' "$w/order.err" ||
	{ cat "$w/order.err"; die "stderr does not name lock_c -> lock_a in rare_path as the fix"; }

# 3. Enforce: the one edge against the file is an order-violation.
"$LC" run --log-dir "$w/E" -o order_file="$w/D/app.order" -- "$app" >"$w/run2.out" 2>"$w/run2.err"
st=$?
[ "$st" -eq 66 ] || { cat "$w/run2.err"; die "enforcing run: exit $st, expected 66"; }
cmp -s "$w/run1.out" "$w/run2.out" || die "the enforcing run printed something else"
grep -h '"kind":"order-violation"' "$w"/E/*.jsonl >"$w/ov" || true
n=$(grep -c . "$w/ov")
[ "$n" -eq 1 ] || { cat "$w/run2.err"; die "$n order-violation findings, expected 1"; }
grep -q '"name":"lock_a"' "$w/ov" && grep -q '"name":"lock_c"' "$w/ov" &&
	! grep -q '"name":"lock_b"' "$w/ov" ||
	{ cat "$w/ov"; die "the order-violation is not over lock_a and lock_c"; }
grep -q '"function":"rare_path"' "$w/ov" || { cat "$w/ov"; die "rare_path is not in the order-violation's stacks"; }
grep -q '^==[0-9]*== lockcheck: order-violation' "$w/run2.err" ||
	{ cat "$w/run2.err"; die "the report does not show the order-violation"; }

# 4. Without the rare path: nothing to report, by argument and by environment.
"$LC" run --log-dir "$w/F" -o order_file="$w/D/app.order" -- "$app" --skip-rare >"$w/run3.out" 2>"$w/run3.err"
st=$?
[ "$st" -eq 0 ] || { cat "$w/run3.err"; die "--skip-rare run: exit $st, expected 0"; }
! grep -q '"event":"finding"' "$w"/F/*.jsonl || { cat "$w/run3.err"; die "--skip-rare run: findings"; }
LEARN_ORDER_SKIP_RARE=1 "$LC" run --log-dir "$w/G" -o order_file="$w/D/app.order" -- "$app" >/dev/null 2>"$w/run4.err"
st=$?
[ "$st" -eq 0 ] || { cat "$w/run4.err"; die "LEARN_ORDER_SKIP_RARE run: exit $st, expected 0"; }
! grep -q '"event":"finding"' "$w"/G/*.jsonl || { cat "$w/run4.err"; die "LEARN_ORDER_SKIP_RARE run: findings"; }
echo "learn_order: ok"
