#!/usr/bin/env bash
# make install into a scratch prefix: every file in place, the installed CLI
# finds the installed shim (PREFIX/lib beside PREFIX/bin), pkg-config gives the
# header's flags, and a program built against the installed header runs with
# and without the shim.
set -u
cd "$(dirname "$0")/../.."
t=$(mktemp -d "${TMPDIR:-/tmp}/install.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

make -s install PREFIX="$t/usr" >"$t/make.out" 2>&1 || { cat "$t/make.out"; fail "make install"; }
for f in lib/liblockcheck.so bin/lockcheck include/lockcheck.h \
	share/man/man1/lockcheck.1 lib/pkgconfig/lockcheck.pc; do
	[ -f "$t/usr/$f" ] || fail "not installed: $f"
done
flags=$(PKG_CONFIG_PATH="$t/usr/lib/pkgconfig" pkg-config --cflags lockcheck) ||
	fail "pkg-config --cflags lockcheck"
case "$flags" in *"-I$t/usr/include"*) ;; *) fail "pkg-config flags: $flags" ;; esac

cat >"$t/ranked.c" <<'SRC'
#include <lockcheck.h>
#include <stdio.h>
pthread_mutex_t first_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t second_lock = PTHREAD_MUTEX_INITIALIZER;
int main(void)
{
	lockcheck_rank(&first_lock, 1);
	lockcheck_rank(&second_lock, 2);
	pthread_mutex_lock(&second_lock);
	pthread_mutex_lock(&first_lock); /* against the ranks */
	pthread_mutex_unlock(&first_lock);
	pthread_mutex_unlock(&second_lock);
	puts("ranked: done");
	return 0;
}
SRC
cc $flags -o "$t/ranked" "$t/ranked.c" || fail "build against the installed header"
[ "$("$t/ranked")" = "ranked: done" ] || fail "runs without the shim"
"$t/usr/bin/lockcheck" run -- "$t/ranked" >"$t/out" 2>"$t/err"
st=$?
[ "$st" -eq 66 ] || { cat "$t/err"; fail "installed lockcheck run: status $st, expected 66"; }
grep -q "order-violation" "$t/err" || { cat "$t/err"; fail "no order-violation reported"; }
grep -q "ranked: done" "$t/out" || fail "the program's output was lost"
# The man page must format without a warning (groff comes with man-db).
if command -v groff >/dev/null; then
	warnings=$(groff -man -z -ww "$t/usr/share/man/man1/lockcheck.1" 2>&1)
	[ -z "$warnings" ] || fail "man page: $warnings"
else
	echo "note: groff not installed, the man page was not formatted"
fi
exit 0
