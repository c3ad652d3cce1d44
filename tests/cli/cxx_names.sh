#!/bin/bash
# Demangled C++ names (lib/demangle.h) from the shim to the CLI, on
# tests/scenarios/cxx_namespace_abba.cc (AB-BA over net::table_lock and
# net::conn_lock in net::Server::accept_loop / net::Server::flush), built
# here:
# - the shim's own stderr text names net::Server::flush and net::table_lock,
#   and no mangled _ZN name;
# - `lockcheck run`, `lockcheck report` (text) show them too;
# - `lockcheck report --format json` has them in "function" and "name", with
#   the raw _ZN symbol beside them in "symbol";
# - a suppression naming the function or the lock suppresses the finding in
#   its demangled and in its mangled form (and one naming neither does not);
# - an order file naming the locks demangled or mangled is in force (an
#   order-violation in net::Server::accept_loop), one naming neither is not.
# Run from the repository root; LOCKCHECK overrides the binary under test.
LC=${LOCKCHECK:-tools/lockcheck}
SHIM=$PWD/preload/liblockcheck.so
SRC=tests/scenarios/cxx_namespace_abba.cc
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
[ -f "$SHIM" ] || { echo "FAIL: no shim at $SHIM"; exit 1; }
[ -f "$SRC" ] || { echo "FAIL: run from the repository root ($SRC missing)"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/cxxn.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; [ -f "$t/out" ] && head -n 40 "$t/out"; exit 1; }
unset DEBUGINFOD_URLS LOCKCHECK_OPTIONS

c++ -std=c++17 -O1 -g -pthread -o "$t/prog" "$SRC" || fail "cannot compile $SRC"

# shim OPTIONS: the program under the shim, stderr on $t/out, the log under
# $t/log.N.<pid>.jsonl (N counts the runs); its exit status in $st.
n=0
shim() {
	n=$((n + 1))
	env LD_PRELOAD="$SHIM" LOCKCHECK_OPTIONS="log_path=$t/log.$n:$1" \
		"$t/prog" >/dev/null 2>"$t/out" </dev/null
	st=$?
	log=$(ls "$t"/log.$n.*.jsonl 2>/dev/null | head -n 1)
	[ -n "$log" ] || fail "shim run $n ($1) wrote no log"
}
count() { grep -c "\"kind\":\"$1\"" "$log"; }

# --- the shim's stderr text ------------------------------------------------
shim "color=never"
[ "$st" -eq 66 ] || fail "shim run: exit $st, not 66"
for want in 'net::Server::flush ' 'net::Server::accept_loop ' \
	'Cycle of 2 locks: net::table_lock => net::conn_lock' \
	'net::conn_lock acquired by thread'; do
	grep -qF -- "$want" "$t/out" || fail "shim stderr lacks '$want'"
done
! grep -q '_ZN' "$t/out" || fail "shim stderr shows a mangled name"

# --- lockcheck run and report (text) -----------------------------------------
"$LC" run --log-dir "$t/run" -- "$t/prog" >/dev/null 2>"$t/out" </dev/null
st=$?
[ "$st" -eq 66 ] || fail "lockcheck run: exit $st, not 66"
grep -qF 'net::Server::flush' "$t/out" || fail "lockcheck run lacks net::Server::flush"
grep -qF 'net::table_lock' "$t/out" || fail "lockcheck run lacks net::table_lock"
for opt in "" --no-symbolize; do
	"$LC" report --color never $opt "$t/run" >"$t/out" 2>&1 ||
		fail "lockcheck report $opt: exit $?"
	for want in 'net::Server::flush' 'net::Server::accept_loop' \
		'net::table_lock => net::conn_lock'; do
		grep -qF -- "$want" "$t/out" || fail "report $opt lacks '$want'"
	done
	! grep -q '_ZN' "$t/out" || fail "report $opt shows a mangled name"
done

# --- lockcheck report --format json: readable names, raw "symbol" -------------
for opt in "" --no-symbolize; do
	"$LC" report --format json $opt "$t/run" >"$t/out" 2>&1 ||
		fail "lockcheck report --format json $opt: exit $?"
	python3 - "$t/out" <<'PY' || fail "report --format json $opt: names"
import json, sys
text = open(sys.argv[1]).read()
data = json.loads(text)
frames, locks = [], []
def walk(x):
    if isinstance(x, dict):
        if "function" in x and "offset" in x:
            frames.append(x)
        if "type" in x and "name" in x and "address" in x:
            locks.append(x)
        for v in x.values():
            walk(v)
    elif isinstance(x, list):
        for v in x:
            walk(v)
walk(data)
bad = []
def frame_of(prefix, raw):
    got = [f for f in frames if (f.get("function") or "").startswith(prefix)]
    if not got:
        bad.append("no frame named %s" % prefix)
    # The outermost (not inlined) frame of the function keeps its raw symbol.
    if not [f for f in got if f.get("symbol") == raw]:
        bad.append("no %s frame with symbol %s" % (prefix, raw))
frame_of("net::Server::flush", "_ZN3net6Server5flushEv")
frame_of("net::Server::accept_loop", "_ZN3net6Server11accept_loopEv")
want = {"net::table_lock": "_ZN3net10table_lockE",
        "net::conn_lock": "_ZN3netL9conn_lockE"}
for name, raw in want.items():
    got = [l for l in locks if l.get("name") == name]
    if not got or any(l.get("symbol") != raw for l in got):
        bad.append("lock %s without symbol %s: %r" % (name, raw, got[:1]))
if any((f.get("function") or "").startswith("_Z") for f in frames):
    bad.append("a mangled function")
if any((l.get("name") or "").startswith("_Z") for l in locks):
    bad.append("a mangled lock name")
# "symbol" only where it differs from the readable name.
for x in frames + locks:
    if "symbol" in x and x["symbol"] in (x.get("function"), x.get("name")):
        bad.append("symbol equal to the name: %r" % x["symbol"])
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
done

# --- suppressions: either form ------------------------------------------------
for pattern in 'net::Server::flush' '_ZN3net6Server5flushEv' 'net::table_lock' \
	'_ZN3net10table_lockE' 'net::Server::*'; do
	printf 'lock-order-inversion:%s\n' "$pattern" >"$t/supp"
	shim "suppressions=$t/supp:print_findings=0"
	[ "$st" -eq 0 ] && [ "$(count lock-order-inversion)" -eq 0 ] ||
		fail "suppression '$pattern' did not suppress (exit $st)"
	grep -q '"suppressed":1' "$log" || fail "suppression '$pattern': not counted"
done
printf 'lock-order-inversion:net::Server::close\n' >"$t/supp"
shim "suppressions=$t/supp:print_findings=0"
[ "$st" -eq 66 ] && [ "$(count lock-order-inversion)" -eq 1 ] ||
	fail "a suppression naming another function suppressed (exit $st)"

# --- order files: either form -------------------------------------------------
# conn_lock before table_lock: accept_loop, which takes conn_lock while
# holding table_lock, goes against it.
order() {
	printf '%s\n' "$@" >"$t/order"
	shim "order_file=$t/order:print_findings=0"
}
for form in 'net::conn_lock net::table_lock' \
	'_ZN3netL9conn_lockE _ZN3net10table_lockE' \
	'net::conn_lock _ZN3net10table_lockE'; do
	order $form
	[ "$(count order-violation)" -eq 1 ] ||
		fail "order file '$form': $(count order-violation) order-violations, not 1"
	grep -q '"kind":"order-violation".*net::Server::accept_loop' "$log" ||
		fail "order file '$form': the violation is not in accept_loop"
done
order 'net::other_lock' 'net::table_lock'
[ "$(count order-violation)" -eq 0 ] ||
	fail "an order file naming one lock only made a violation"
grep -q 'order_file' "$t/out" && fail "order file: a line was refused: $(cat "$t/out")"
echo "ok"
