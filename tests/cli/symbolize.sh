#!/bin/bash
# Offline symbolisation (tools/symbolize.c) of real reports: programs built
# here at -O2 -g from tests/cli/symbolize_target.c and .cc run under the shim,
# then `lockcheck report` must show, for every frame of the program's own
# code, function, file:line (relative to the current directory) and that
# line's text; an [inlined] frame for an always_inline function; demangled
# C++ names; libc frames with their module+offset and no source line; and
# the plain form (module+offset, the shim's name, no error) for a module that
# no longer exists, one that was rebuilt since, and with --no-symbolize.
# `lockcheck run` prints through the same path. Run from the repository root
# (the sources are compiled by relative path, as a user's build would).
LC=${LOCKCHECK:-tools/lockcheck}
SRC=tests/cli/symbolize_target.c
SRCXX=tests/cli/symbolize_target.cc
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
[ -f "$SRC" ] || { echo "FAIL: run from the repository root ($SRC missing)"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/symb.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; [ -f "$t/out" ] && head -n 40 "$t/out"; [ -s "$t/err" ] && head -n 20 "$t/err"; exit 1; }
# No debug info from the network: the result must not depend on it.
unset DEBUGINFOD_URLS

cc -O2 -g -pthread -o "$t/cprog" "$SRC" || fail "cannot compile $SRC"
c++ -std=c++17 -O2 -g -pthread -o "$t/cxxprog" "$SRCXX" || fail "cannot compile $SRCXX"

# run_logged DIR PROGRAM: run under lockcheck, keeping the reports in DIR.
run_logged() {
	"$LC" run --log-dir "$1" -- "$2" >"$t/run.out" 2>"$t/run.err" </dev/null
	local st=$?
	[ "$st" -eq 66 ] || [ "$st" -eq 0 ] || { cat "$t/run.err"; fail "run $2: exit $st"; }
}
report() { # report DIR [options]: the report on $t/out, stderr on $t/err
	local dir=$1
	shift
	"$LC" report --color never "$@" "$dir" >"$t/out" 2>"$t/err"
	local st=$?
	[ "$st" -eq 0 ] || fail "report $*: exit $st"
	[ ! -s "$t/err" ] || fail "report $*: wrote to stderr"
}

# --- C: every own frame has function, file:line and the line's text --------
run_logged "$t/c" "$t/cprog"
grep -q '^ *[0-9]* | .*MARK:' "$t/run.err" || { cp "$t/run.err" "$t/out"; fail "lockcheck run shows no source line"; }
report "$t/c"
awk -v src="$SRC" '
	# A frame line: "      #N FUNCTION  FILE:LINE  (MODULE+0xOFF)[ [inlined]]"
	function check_pending() {
		if (want != "") { print "frame without source line: " want; bad = 1 }
		want = ""
	}
	/^      #[0-9]+ / {
		check_pending()
		if ($0 !~ /\(cprog\+0x[0-9a-f]+\)/) next
		n++
		if (!match($0, / [^ ]+:[0-9]+  \(/)) { print "no file:line: " $0; bad = 1; next }
		fl = substr($0, RSTART + 1, RLENGTH - 4)
		file = fl; sub(/:[0-9]+$/, "", file)
		line = fl; sub(/^.*:/, "", line)
		if (file != src) { print "file is not " src ": " $0; bad = 1 }
		want = $0
		next
	}
	want != "" {
		if (!match($0, /^ +[0-9]+ \| /)) { check_pending(); next }
		num = $1
		text = substr($0, RLENGTH + 1)
		if (num != line) { print "source line " num " for frame line " line; bad = 1 }
		expect = ""
		k = 0
		while ((getline l < src) > 0) if (++k == line) { expect = l; break }
		close(src)
		if (text != expect) { print "line " line " shown as \"" text "\", is \"" expect "\""; bad = 1 }
		want = ""
	}
	END { check_pending(); if (n == 0) { print "no frame of cprog"; bad = 1 }; exit bad }
' "$t/out" >"$t/awk.out" || { cat "$t/awk.out"; fail "frames of the program"; }
for m in a_then_b-lock-a inline-lock-b a_then_b-inline-call first-call \
	b_then_a-lock-b b_then_a-lock-a second-call; do
	grep -q "^ *[0-9]* | .*/\* MARK:$m \*/\$" "$t/out" || fail "no source line with MARK:$m"
done

# The inlined lock call: take_b_inline [inlined], then a_then_b, same offset.
inl=$(grep -m1 '^      #[0-9]* take_b_inline  tests/cli/symbolize_target.c:[0-9]*  (cprog+0x[0-9a-f]*) \[inlined\]$' "$t/out") ||
	fail "no [inlined] frame for take_b_inline"
off=$(echo "$inl" | sed 's/.*(cprog+\(0x[0-9a-f]*\)).*/\1/')
idx=$(echo "$inl" | sed 's/^ *#\([0-9]*\) .*/\1/')
grep -q "^      #$((idx + 1)) a_then_b  tests/cli/symbolize_target.c:[0-9]*  (cprog+$off)\$" "$t/out" ||
	fail "the frame after the inlined one is not a_then_b at cprog+$off"

# libc: module+offset as written, and no source line (its sources are not
# here). Without debug info (libc6-dbg) the frame is exactly the plain one;
# with it, a function and file:line are added.
grep -q '(libc\.so\.6+0x' "$t/out" || fail "no libc frame"
cp "$t/out" "$t/sym.out"
report "$t/c" --no-symbolize
cp "$t/out" "$t/plain.out"
grep -o '(libc\.so\.6+0x[0-9a-f]*)' "$t/sym.out" | sort -u >"$t/libc.sym"
grep -o '(libc\.so\.6+0x[0-9a-f]*)' "$t/plain.out" | sort -u >"$t/libc.plain"
cmp -s "$t/libc.sym" "$t/libc.plain" || fail "libc frames' offsets changed"
awk '/\(libc\.so\.6\+0x/ { l = 1; next } l && /^ +[0-9]+ \| / { print; bad = 1 } { l = 0 } END { exit bad }' \
	"$t/sym.out" >"$t/awk.out" || { cat "$t/awk.out"; fail "a source line under a libc frame"; }
# Each libc frame, its index aside, is a plain one or plain plus file:line.
libc_lines() { sed -n 's/^      #[0-9]* /      #N /p' "$1" | grep '(libc\.so\.6+0x' | sort -u; }
libc_lines "$t/plain.out" >"$t/libc.plainlines"
libc_lines "$t/sym.out" | while IFS= read -r fr; do
	grep -qxF -- "$fr" "$t/libc.plainlines" && continue
	case $fr in *"  "*:[0-9]*"  (libc.so.6+0x"*) ;; *) echo "$fr" ;; esac
done >"$t/bad"
[ ! -s "$t/bad" ] || fail "libc frames neither plain nor plain with file:line: $(cat "$t/bad")"

# --no-symbolize: what the shim wrote, nothing added.
if grep -q ' | \|\[inlined\]\|symbolize_target\.c:' "$t/plain.out"; then
	cp "$t/plain.out" "$t/out"
	fail "--no-symbolize still symbolised"
fi
"$LC" run --no-symbolize -- "$t/cprog" >/dev/null 2>"$t/run.err" </dev/null
if grep -q 'symbolize_target\.c:' "$t/run.err"; then
	cp "$t/run.err" "$t/out"
	fail "run --no-symbolize still symbolised"
fi

# --- a non-PIE program (ET_EXEC: the offset is the link-time address) -----
cc -O2 -g -pthread -no-pie -o "$t/cnopie" "$SRC" || fail "cannot compile $SRC -no-pie"
run_logged "$t/np" "$t/cnopie"
report "$t/np"
grep -q '^      #[0-9]* a_then_b  tests/cli/symbolize_target\.c:[0-9]*  (cnopie+0x[0-9a-f]*)$' "$t/out" ||
	fail "non-PIE program: no a_then_b frame with file:line"

# --- C++: demangled names, std::mutex::lock() inlined -------------------
run_logged "$t/cxx" "$t/cxxprog"
report "$t/cxx"
grep -q '^      #[0-9]* ns::Account::transfer(ns::Account&, int)  tests/cli/symbolize_target\.cc:[0-9]*  (cxxprog+0x[0-9a-f]*)$' "$t/out" ||
	fail "no demangled ns::Account::transfer frame with file:line"
grep -q '^      #[0-9]* worker(int)  tests/cli/symbolize_target\.cc:[0-9]*  (cxxprog+0x[0-9a-f]*)$' "$t/out" ||
	fail "no demangled worker(int) frame"
grep -q '^      #[0-9]* std::mutex::lock()  .*(cxxprog+0x[0-9a-f]*) \[inlined\]$' "$t/out" ||
	fail "no inlined std::mutex::lock() frame"
grep -q '^ *[0-9]* | .*MARK:transfer-lock-theirs' "$t/out" || fail "no C++ source line"
if grep -q '^      #[0-9]* _Z' "$t/out"; then fail "a mangled frame name"; fi

# --- a module that no longer exists: the plain form, no error ------------
mkdir "$t/gone"
cp "$t/cprog" "$t/gone/cprog"
run_logged "$t/g" "$t/gone/cprog"
report "$t/g" --no-symbolize
grep '(cprog+0x' "$t/out" >"$t/g.plain"
rm "$t/gone/cprog"
report "$t/g"
grep '(cprog+0x' "$t/out" >"$t/g.sym"
[ -s "$t/g.plain" ] && cmp -s "$t/g.plain" "$t/g.sym" ||
	fail "frames of a deleted module are not the plain ones: $(diff "$t/g.plain" "$t/g.sym" | head -5)"

# --- a module rebuilt since (offsets now inside other functions) ---------
cc -O2 -g -pthread -DPAD -o "$t/cprog" "$SRC" || fail "cannot compile $SRC -DPAD"
report "$t/c"
if grep '(cprog+0x' "$t/out" | grep -q 'symbolize_target\.c:'; then
	fail "frames of a rebuilt module got file:line from the new file"
fi
grep -q '^      #[0-9]* a_then_b  (cprog+0x[0-9a-f]*)$' "$t/out" || fail "rebuilt module: no plain a_then_b frame"
echo "symbolize: ok"
