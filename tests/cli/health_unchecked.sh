#!/bin/bash
# Honest summaries (issue 17): children started without the shim are named
# (env -i, env -u LD_PRELOAD, posix_spawn with an environment without
# LD_PRELOAD, execve from a vfork child, a static executable), and a
# process killed before its end event is counted and named. Uses
# tests/cli/health_prog.c (built here). Needs tools/lockcheck,
# preload/liblockcheck.so, a C compiler with a static libc (libc6-dev) and
# bash.
LC=${LOCKCHECK:-tools/lockcheck}
CC=${CC:-cc}
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/hunch.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
"$CC" -O1 -g -pthread -Ilib -o "$t/prog" tests/cli/health_prog.c ||
	{ echo "FAIL: cannot build tests/cli/health_prog.c"; exit 1; }
fail() { echo "FAIL: $*"; cat "$t/err"; exit 1; }

# bash ends by exit(), so its own end event is written.
"$LC" run -- bash -c 'env -i /bin/true; env -u LD_PRELOAD /bin/echo x; /bin/true' \
	>"$t/out" 2>"$t/err" </dev/null || fail "env: exit $?"
grep -q '^lockcheck: 2 programs started without lockcheck were not checked:$' "$t/err" ||
	fail "env: not counted"
grep -q "^  /bin/true, exec'd by pid [0-9]* (env -i /bin/true): LD_PRELOAD removed$" "$t/err" ||
	fail "env -i: not named"
grep -q "^  /bin/echo, exec'd by pid [0-9]* (env -u LD_PRELOAD /bin/echo x): LD_PRELOAD removed$" "$t/err" ||
	fail "env -u LD_PRELOAD: not named"
if grep -q 'without an end event' "$t/err"; then
	fail "env: an exec without the shim counted as a lost process"
fi

"$LC" run -- "$t/prog" spawn >"$t/out" 2>"$t/err" </dev/null || fail "spawn: exit $?"
grep -q "^  /bin/true (pid [0-9]*), started by pid [0-9]* ($t/prog spawn): LD_PRELOAD removed$" "$t/err" &&
grep -q "^  true (pid [0-9]*), started by pid [0-9]* ($t/prog spawn): LD_PRELOAD removed$" "$t/err" ||
	fail "posix_spawn, posix_spawnp: not named"

# An exec in a vfork child (sharing the parent's memory) is said in the
# parent's log, and the parent runs on unharmed.
"$LC" run -- "$t/prog" vfork >"$t/out" 2>"$t/err" </dev/null || fail "vfork: exit $?"
grep -q "^  /bin/true, exec'd by pid [0-9]* ($t/prog vfork): LD_PRELOAD removed$" "$t/err" ||
	fail "vfork + execve: not named"

# A static executable cannot get the shim whatever its environment says.
echo 'int main(void) { return 0; }' >"$t/static.c"
"$CC" -static -o "$t/static" "$t/static.c" ||
	{ echo "FAIL: cannot link a static program (libc6-dev's libc.a)"; exit 1; }
"$LC" run -- bash -c "\"$t/static\"; true" >"$t/out" 2>"$t/err" </dev/null || fail "static: exit $?"
grep -q "^  $t/static, exec'd by pid [0-9]* (bash -c .*): static executable$" "$t/err" ||
	fail "static executable: not named"

# A child killed by SIGKILL writes no end event.
"$LC" run -- bash -c "\"$t/prog\" sleep & p=\$!; sleep 0.5; kill -KILL \$p; wait \$p; exit 0" \
	>"$t/out" 2>"$t/err" </dev/null || fail "kill: exit $?"
grep -q "^lockcheck: 1 process ended without an end event (killed, crashed, or left by _exit): .*: pid [0-9]* ($t/prog sleep)$" "$t/err" ||
	fail "kill: the killed process is not counted and named"
echo "health unchecked: ok"
