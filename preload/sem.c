/*
 * sem.c: the unnamed-semaphore interposers (sem_init, sem_destroy, sem_wait,
 * sem_trywait, sem_timedwait, sem_clockwait, sem_post).
 *
 * The same few lines each: pass through while the real functions are being
 * resolved; tell the core before the call (detect_sync.h: a use of a
 * destroyed or never initialised semaphore, a reinit, a destroy with
 * waiters, each reported before the call can hang); call the real function;
 * record an init or destroy only when it succeeded; return its result and
 * errno unchanged. A blocking wait counts as a waiter and marks the thread
 * asleep until it returns (its registers saved first, for the all-asleep
 * report's stack; a process-shared semaphore, as its memory says, is
 * marked so). sem_post's overflow is the one finding made
 * after the call: glibc fails it with EOVERFLOW, exactly then.
 *
 * The waits are cancellation points: a cancelled wait returns to no one, so
 * a cleanup handler of the interposer's own ends the wait's bookkeeping as
 * the unwind passes (as cond.c does), or the semaphore would count a waiter
 * for ever and its destroy would be reported.
 *
 * Named semaphores (sem_open) are not followed: they live in shared memory
 * that other processes use, and they never pass through sem_init.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <semaphore.h>

#include "event.h"
#include "glibc_layout.h"
#include "real.h"

/* The threads glibc counts as blocked in sem: x86-64 glibc >= 2.21 keeps
 * them in the high half of the semaphore's first word (struct new_sem,
 * SEM_NWAITERS_SHIFT 32), and a waiter leaves that count in the same atomic
 * step that takes its token. Elsewhere: unknown, so as many as there may
 * be (the shim's own count then decides). */
static unsigned libc_waiters(const sem_t *sem)
{
#if defined(__GLIBC__) && defined(__x86_64__)
	return (unsigned)(__atomic_load_n((const uint64_t *)(const void *)sem,
					  __ATOMIC_RELAXED) >>
			  32);
#else
	(void)sem;
	return ~0u;
#endif
}

static void wait_cancelled(void *cookie)
{
	lc_on_sync_use_end(*(uintptr_t *)cookie);
}

#define WAIT(sem, how, call)                                                   \
	do {                                                                   \
		LC_SLEEP_REGS();                                               \
		uintptr_t cookie_ = lc_on_sync_use(                            \
			sem, LC_SYNC_SEM,                                      \
			(how) | (lc_sem_pshared(sem) ? LC_SYNC_PSHARED : 0),   \
			LC_CALLER);                                            \
		int rc_;                                                       \
		pthread_cleanup_push(wait_cancelled, &cookie_);                \
		rc_ = (call);                                                  \
		pthread_cleanup_pop(0);                                        \
		int errno_ = errno;                                            \
		lc_on_sync_use_end(cookie_);                                   \
		errno = errno_;                                                \
		return rc_;                                                    \
	} while (0)

LC_EXPORT int sem_init(sem_t *sem, int pshared, unsigned value)
{
	if (lc_need_bootstrap(lc_real.sem_init))
		return 0;
	lc_on_sync_init_before(sem, LC_SYNC_SEM, value, LC_CALLER);
	int rc = lc_real.sem_init(sem, pshared, value);
	if (rc == 0) {
		int errno_ = errno;
		lc_on_sync_init(sem, LC_SYNC_SEM, value, pshared, LC_CALLER);
		errno = errno_;
	}
	return rc;
}

LC_EXPORT int sem_destroy(sem_t *sem)
{
	if (lc_need_bootstrap(lc_real.sem_destroy))
		return 0;
	lc_on_sync_destroy_before(sem, LC_SYNC_SEM, libc_waiters(sem),
				  LC_CALLER);
	int rc = lc_real.sem_destroy(sem);
	if (rc == 0) {
		int errno_ = errno;
		lc_on_sync_destroy(sem, LC_SYNC_SEM, LC_CALLER);
		errno = errno_;
	}
	return rc;
}

LC_EXPORT int sem_wait(sem_t *sem)
{
	if (lc_need_bootstrap(lc_real.sem_wait))
		return 0;
	WAIT(sem, LC_SYNC_WAIT, lc_real.sem_wait(sem));
}

LC_EXPORT int sem_timedwait(sem_t *sem, const struct timespec *abstime)
{
	if (lc_need_bootstrap(lc_real.sem_timedwait))
		return 0;
	WAIT(sem, LC_SYNC_WAIT | LC_SYNC_TIMED,
	     lc_real.sem_timedwait(sem, abstime));
}

LC_EXPORT int sem_clockwait(sem_t *sem, clockid_t clock,
			    const struct timespec *abstime)
{
	if (lc_need_bootstrap(lc_real.sem_clockwait))
		return 0;
	WAIT(sem, LC_SYNC_WAIT | LC_SYNC_TIMED,
	     lc_real.sem_clockwait(sem, clock, abstime));
}

LC_EXPORT int sem_trywait(sem_t *sem)
{
	if (lc_need_bootstrap(lc_real.sem_trywait))
		return 0;
	int errno_ = errno;
	lc_on_sync_use(sem, LC_SYNC_SEM, LC_SYNC_TRY, LC_CALLER);
	errno = errno_;
	return lc_real.sem_trywait(sem);
}

LC_EXPORT int sem_post(sem_t *sem)
{
	if (lc_need_bootstrap(lc_real.sem_post))
		return 0;
	int errno_ = errno;
	lc_on_sync_use(sem, LC_SYNC_SEM, LC_SYNC_POST, LC_CALLER);
	errno = errno_;
	int rc = lc_real.sem_post(sem);
	if (rc != 0 && errno == EOVERFLOW) {
		errno_ = errno;
		lc_on_sem_overflow(sem, LC_CALLER);
		errno = errno_;
	}
	return rc;
}
