/*
 * double_lock_normal_halt: a thread locks a default (normal) mutex it
 * already holds, and hangs for ever.
 *
 * Pattern: the main thread locks plain_lock, then calls a helper that locks
 * plain_lock again. A PTHREAD_MUTEX_DEFAULT mutex does not check its owner:
 * the second pthread_mutex_lock waits for itself. Natively this hangs.
 *
 * MUST REPORT, before the hang: one double-lock of plain_lock. The check is
 * made before calling the real lock, so with halt_on_error=1 the process
 * exits 66 instead of hanging.
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t plain_lock = PTHREAD_MUTEX_INITIALIZER;
static int refcount;

__attribute__((noinline)) void bump_locked(void)
{
	pthread_mutex_lock(&plain_lock); /* already held: never returns */
	refcount++;
	pthread_mutex_unlock(&plain_lock);
}

__attribute__((noinline)) void bump_twice(void)
{
	pthread_mutex_lock(&plain_lock);
	refcount++;
	bump_locked();
	pthread_mutex_unlock(&plain_lock);
}

int main(void)
{
	bump_twice();
	printf("double_lock_normal_halt: not reached natively, refcount=%d\n",
	       refcount);
	return 0;
}
