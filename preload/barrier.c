/*
 * barrier.c: the pthread_barrier_* interposers.
 *
 * As sem.c: the core is told before each call (detect_sync.h: a count of 0,
 * a reinit, a wait or destroy of a destroyed barrier, and a destroy while
 * threads wait in an unfinished round, which glibc's destroy would wait for
 * for ever), an init or destroy is recorded only when it succeeded, and the
 * real result is returned unchanged. A wait counts as an arrival (the core
 * tells rounds apart by them) and marks the thread asleep until it returns.
 * pthread_barrier_wait is not a cancellation point: no cleanup handler.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>

#include "event.h"
#include "real.h"

LC_EXPORT int pthread_barrier_init(pthread_barrier_t *b,
				   const pthread_barrierattr_t *attr,
				   unsigned count)
{
	if (lc_need_bootstrap(lc_real.pthread_barrier_init))
		return 0;
	int pshared = PTHREAD_PROCESS_PRIVATE;
	if (attr)
		pthread_barrierattr_getpshared(attr, &pshared);
	lc_on_sync_init_before(b, LC_SYNC_BARRIER, count, LC_CALLER);
	int rc = lc_real.pthread_barrier_init(b, attr, count);
	if (rc == 0)
		lc_on_sync_init(b, LC_SYNC_BARRIER, count,
				pshared != PTHREAD_PROCESS_PRIVATE, LC_CALLER);
	return rc;
}

LC_EXPORT int pthread_barrier_destroy(pthread_barrier_t *b)
{
	if (lc_need_bootstrap(lc_real.pthread_barrier_destroy))
		return 0;
	lc_on_sync_destroy_before(b, LC_SYNC_BARRIER, 0, LC_CALLER);
	int rc = lc_real.pthread_barrier_destroy(b);
	if (rc == 0)
		lc_on_sync_destroy(b, LC_SYNC_BARRIER, LC_CALLER);
	return rc;
}

LC_EXPORT int pthread_barrier_wait(pthread_barrier_t *b)
{
	if (lc_need_bootstrap(lc_real.pthread_barrier_wait))
		return 0;
	LC_SLEEP_REGS();
	uintptr_t cookie =
		lc_on_sync_use(b, LC_SYNC_BARRIER, LC_SYNC_WAIT, LC_CALLER);
	int rc = lc_real.pthread_barrier_wait(b);
	lc_on_sync_use_end(cookie);
	return rc;
}
