#!/bin/bash
# Honest summaries (issue 17): a run in which the shim saw no lock call says
# so, with the likely causes, and does not read like a clean run.
# tests/cli/health_prog.c (built here): "futex" counts in two threads under a
# lock of its own made on the futex system call (as Rust's std::sync::Mutex
# and Qt's QMutex are); "pthread", the control, under a pthread mutex.
# Needs tools/lockcheck, preload/liblockcheck.so and a C compiler.
LC=${LOCKCHECK:-tools/lockcheck}
CC=${CC:-cc}
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/hblind.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
"$CC" -O1 -g -pthread -Ilib -o "$t/prog" tests/cli/health_prog.c ||
	{ echo "FAIL: cannot build tests/cli/health_prog.c"; exit 1; }

"$LC" run -- "$t/prog" futex >"$t/out" 2>"$t/err" </dev/null ||
	{ echo "FAIL: futex: exit $?"; cat "$t/err"; exit 1; }
grep -q '^lockcheck: no findings in 1 process$' "$t/err" &&
grep -q '^lockcheck: NO LOCK CALL was seen (in 1 process)' "$t/err" &&
grep -q "QMutex" "$t/err" && grep -q 'lockcheck.h' "$t/err" &&
grep -q 'static binary' "$t/err" ||
	{ echo "FAIL: futex: the summary does not say no lock call was seen:"; cat "$t/err"; exit 1; }

"$LC" run -- "$t/prog" pthread >"$t/out" 2>"$t/err" </dev/null ||
	{ echo "FAIL: pthread: exit $?"; cat "$t/err"; exit 1; }
grep -q '^lockcheck: 200000 lock calls seen in 1 process (mutex 200000)$' "$t/err" ||
	{ echo "FAIL: pthread: no count of lock calls:"; cat "$t/err"; exit 1; }
if grep -q 'NO LOCK CALL' "$t/err"; then
	echo "FAIL: pthread: called blind:"; cat "$t/err"; exit 1
fi
# In a run whose other processes made lock calls, the threaded process that
# made none is named; a single-threaded one (bash) is not.
"$LC" run -- bash -c "\"$t/prog\" futex; \"$t/prog\" pthread; true" >"$t/out" 2>"$t/err" </dev/null ||
	{ echo "FAIL: mixed: exit $?"; cat "$t/err"; exit 1; }
grep -q "^lockcheck: 200000 lock calls seen in 3 processes (mutex 200000)$" "$t/err" &&
grep -q "^lockcheck: 1 process ran threads but made no lock call lockcheck sees (futex-based locks? not checked): pid [0-9]* ($t/prog futex)$" "$t/err" ||
	{ echo "FAIL: mixed: the futex process is not named:"; cat "$t/err"; exit 1; }
echo "health blind: ok"
