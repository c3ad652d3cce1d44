#!/bin/bash
# Lock classes in `lockcheck order` (issue #15): tests/cli/order_classes.c,
# built -g here, makes heap locks in two functions (two classes), takes them
# nested under a static lock and destroys them, three times. Then:
#  - `lockcheck order` learns outer, @make_account+0x.., @make_ledger+0x..
#    from the dead locks' class summaries, each call-site class with the
#    source line of its init as a comment (order_classes.c:LINE, the lines
#    marked in the source); --no-symbolize leaves the comments out;
#  - the learned file, enforced, is clean (exit 0); the same file with the
#    two classes swapped makes an order-violation (exit 66) naming both;
#  - an order file in the form before classes (@make_ledger, @make_account:
#    a function stands for every class made in it) is still enforced.
# Run from the repository root.
LC=${LOCKCHECK:-tools/lockcheck}
SRC=tests/cli/order_classes.c
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
[ -f "$SRC" ] || { echo "FAIL: run from the repository root ($SRC missing)"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/order_classes.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; for f in "$t"/*.order "$t"/err; do [ -f "$f" ] && { echo "--- $f"; head -n 20 "$f"; }; done; exit 1; }
unset DEBUGINFOD_URLS
cc -O1 -g -pthread -o "$t/app" "$SRC" || fail "cannot compile $SRC"
acc_line=$(grep -n ORDER_CLASSES_ACCOUNT "$SRC" | cut -d: -f1)
led_line=$(grep -n ORDER_CLASSES_LEDGER "$SRC" | cut -d: -f1)

"$LC" run --log-dir "$t/logs" -- "$t/app" >/dev/null 2>"$t/err" || fail "run: exit $?"
"$LC" order -o "$t/learned.order" "$t/logs" 2>"$t/err" || fail "order: exit $?"
grep -v '^#' "$t/learned.order" | grep . >"$t/ids"
[ "$(sed -n 1p "$t/ids")" = outer ] || fail "the first lock is not outer"
sed -n 2p "$t/ids" | grep -Eq "^@make_account\+0x[0-9a-f]+  # .*order_classes\.c:$acc_line\$" ||
	fail "line 2 is not @make_account+0x.. with order_classes.c:$acc_line"
sed -n 3p "$t/ids" | grep -Eq "^@make_ledger\+0x[0-9a-f]+  # .*order_classes\.c:$led_line\$" ||
	fail "line 3 is not @make_ledger+0x.. with order_classes.c:$led_line"
[ "$(wc -l <"$t/ids")" -eq 3 ] || fail "expected 3 locks in the order"
"$LC" order --no-symbolize -o "$t/plain.order" "$t/logs" 2>/dev/null || fail "order --no-symbolize: exit $?"
grep -q '^@make_account+0x[0-9a-f]*$' "$t/plain.order" || fail "--no-symbolize still wrote a file:line"

"$LC" run -o order_file="$t/learned.order" -- "$t/app" >/dev/null 2>"$t/err" ||
	fail "the learned order, enforced: exit $? (expected 0)"
{ echo outer; sed -n 3p "$t/ids"; sed -n 2p "$t/ids"; } >"$t/swapped.order"
"$LC" run -o order_file="$t/swapped.order" -- "$t/app" >/dev/null 2>"$t/err"
st=$?
[ $st -eq 66 ] || fail "the swapped order, enforced: exit $st (expected 66)"
grep -q 'order-violation.*@make_ledger+0x[0-9a-f]* (line 2) before @make_account+0x[0-9a-f]* (line 3)' "$t/err" ||
	fail "no order-violation naming both classes"
printf 'outer\n@make_ledger\n@make_account\n' >"$t/old.order"
"$LC" run -o order_file="$t/old.order" -- "$t/app" >/dev/null 2>"$t/err"
st=$?
[ $st -eq 66 ] && grep -q 'order-violation.*@make_ledger (line 2) before @make_account (line 3)' "$t/err" ||
	fail "an order file of functions (@make_ledger) is not enforced: exit $st"
echo "order_classes: ok"
