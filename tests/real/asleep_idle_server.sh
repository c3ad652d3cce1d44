#!/bin/bash
# A real server idle under the shim is never "every thread asleep" (issue
# 18): Debian's memcached, idle, has its maintenance threads (assoc,
# item crawler, slab rebalancer, logger) asleep in pthread_cond_wait for
# good, while its main and worker threads sit in epoll_wait, which the shim
# does not see: they can wake the others, and do. Run with halt_on_error=1
# for 1.5 s (seven checks), the server must stay up, answer, and log no
# finding; the shim's check thread must be there (named lockcheck-watch)
# and at least three threads in futex waits, or the test proves nothing.
# Needs memcached (TEST_DEPS) and bash's /dev/tcp.
SHIM=$PWD/preload/liblockcheck.so
command -v memcached >/dev/null || { echo "FAIL: memcached is not installed"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/asleep_srv.XXXXXX") || exit 1
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$t"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; head -20 "$t/err" 2>/dev/null; exit 1; }

# A free port: the first of a few that nothing listens on.
port=
for p in 22131 22377 23411 24517 25603; do
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		port=$p
		break
	fi
done
[ -n "$port" ] || fail "no free port"

LOCKCHECK_OPTIONS="halt_on_error=1:log_path=$t/lc:print_findings=0" LD_PRELOAD=$SHIM \
	memcached -U 0 -l 127.0.0.1 -p "$port" -t 4 -u "$(id -un)" >"$t/out" 2>"$t/err" &
pid=$!
sleep 1.5
kill -0 "$pid" 2>/dev/null || fail "memcached ended while idle (status: $(wait $pid; echo $?))"
names=$(cat /proc/$pid/task/*/comm 2>/dev/null)
echo "$names" | grep -qx 'lockcheck-watch' || fail "no lockcheck-watch thread: the check never ran"
futex=0
for w in /proc/$pid/task/*/wchan; do
	case $(cat "$w" 2>/dev/null) in *futex*) futex=$((futex + 1)) ;; esac
done
[ "$futex" -ge 3 ] || fail "only $futex threads in futex waits: not the idle pattern"
exec 3<>"/dev/tcp/127.0.0.1/$port" || fail "cannot connect"
printf 'version\r\n' >&3
read -r -t 5 reply <&3
exec 3>&-
case $reply in VERSION*) ;; *) fail "no answer: '$reply'" ;; esac
kill "$pid"
wait "$pid"
pid=
if grep -h '"event":"finding"' "$t"/lc.*.jsonl 2>/dev/null | grep -q .; then
	fail "a finding on an idle server: $(grep -h '"event":"finding"' "$t"/lc.*.jsonl | head -c 400)"
fi
echo "ok: $futex threads asleep in condition waits, main and workers in epoll_wait, no finding"
