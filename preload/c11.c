/*
 * c11.c: the C11 <threads.h> interposers (mtx_*, cnd_wait, cnd_timedwait).
 *
 * glibc implements these on its internal pthread functions without going
 * through the PLT, so interposing pthread_mutex_lock alone misses them (as
 * TSan and DRD do). In glibc an mtx_t is a pthread_mutex_t, so the mutex's
 * type and generation tag are read the same way. mtx_destroy returns nothing:
 * whether the mutex was busy is read from the mutex before destroying it.
 * A mutex glibc refuses (destroyed, never initialised) is reported on the
 * failure path (invalid-use), as in mutex.c; a cnd_t is a pthread_cond_t, so the waits
 * count as waiters of the variable and are checked as in cond.c. (cnd_init
 * and cnd_destroy reach glibc's internals without the PLT: a cnd_t is
 * known from its first wait, and a destroy of one is not seen.)
 */
#define _GNU_SOURCE
#include <threads.h>

#include <errno.h>

#include "block.h"
#include "event.h"
#include "glibc_layout.h"
#include "real.h"

#define AS_MUTEX(m) ((pthread_mutex_t *)(void *)(m))
#define AS_COND(c) ((pthread_cond_t *)(void *)(c))

static inline int acquired(int rc)
{
	return rc == thrd_success;
}

/* glibc's own mapping of pthread results to C11 ones. */
static int to_thrd(int rc)
{
	switch (rc) {
	case 0: return thrd_success;
	case EBUSY: return thrd_busy;
	case ETIMEDOUT: return thrd_timedout;
	case ENOMEM: return thrd_nomem;
	default: return thrd_error;
	}
}

static int clocklock_slice(void *m, const struct timespec *until, void *arg)
{
	return lc_real.pthread_mutex_clocklock(m, CLOCK_MONOTONIC, until);
}

/* mtx_lock/mtx_timedlock: an mtx_t is a pthread mutex in glibc, so the same
 * try-then-slices acquisition as for mutexes (block.h). */
static int acquire(mtx_t *m, unsigned flags, uintptr_t pc,
		   const struct timespec *deadline)
{
	int rc = lc_real.pthread_mutex_trylock(AS_MUTEX(m));
	if (rc == EBUSY) {
		lc_block_call call = {
			.obj = m, .type = LC_TYPE_MTX, .flags = flags, .pc = pc,
			.attempt = clocklock_slice, .deadline = deadline,
			.deadline_clock = CLOCK_REALTIME,
		};
		rc = lc_block(&call);
	}
	return to_thrd(rc);
}

/* A lock call failed: when glibc refused the mutex (destroyed, or never
 * initialised: glibc_layout.h), say so (invalid-use), as in mutex.c. */
static __attribute__((noinline, cold)) void lock_failed(mtx_t *m, int rc,
							uintptr_t pc)
{
	if (rc == thrd_error && lc_mutex_invalid(AS_MUTEX(m)))
		lc_on_invalid_use(m, LC_TYPE_MTX, "locks",
				  lc_mutex_destroyed_mark(AS_MUTEX(m)), pc);
}

static __attribute__((noinline)) void unlock_slow(mtx_t *m, uintptr_t pc)
{
	if (__builtin_expect(lc_mutex_invalid(AS_MUTEX(m)), 0))
		lc_on_invalid_use(m, LC_TYPE_MTX, "unlocks",
				  lc_mutex_destroyed_mark(AS_MUTEX(m)), pc);
	else
		lc_unlock_slow(m, LC_TYPE_MTX, pc);
}

LC_EXPORT int mtx_init(mtx_t *m, int type)
{
	if (lc_need_bootstrap(lc_real.mtx_init))
		return thrd_success;
	int rc = lc_real.mtx_init(m, type);
	if (rc == thrd_success)
		lc_on_create(m, LC_TYPE_MTX, lc_mutex_flags(AS_MUTEX(m)), LC_CALLER,
			     lc_mutex_tag(AS_MUTEX(m)));
	return rc;
}

LC_EXPORT int mtx_lock(mtx_t *m)
{
	if (lc_need_bootstrap(lc_real.mtx_lock))
		return thrd_success;
	unsigned flags = lc_mutex_flags(AS_MUTEX(m));
	lc_on_before_lock(m, LC_TYPE_MTX, flags, LC_CALLER,
			  lc_mutex_tag(AS_MUTEX(m)));
	int rc = acquire(m, flags, LC_CALLER, NULL);
	if (acquired(rc))
		lc_on_after_lock(m, LC_TYPE_MTX, flags, LC_CALLER,
				 lc_mutex_tag(AS_MUTEX(m)));
	else
		lock_failed(m, rc, LC_CALLER);
	return rc;
}

LC_EXPORT int mtx_timedlock(mtx_t *restrict m, const struct timespec *restrict t)
{
	if (lc_need_bootstrap(lc_real.mtx_timedlock))
		return thrd_success;
	unsigned flags = lc_mutex_flags(AS_MUTEX(m));
	lc_on_before_lock(m, LC_TYPE_MTX, flags, LC_CALLER,
			  lc_mutex_tag(AS_MUTEX(m)));
	int rc = lc_valid_timespec(t) ? acquire(m, flags, LC_CALLER, t)
				      : lc_real.mtx_timedlock(m, t);
	if (acquired(rc))
		lc_on_after_lock(m, LC_TYPE_MTX, flags, LC_CALLER,
				 lc_mutex_tag(AS_MUTEX(m)));
	else
		lock_failed(m, rc, LC_CALLER);
	return rc;
}

LC_EXPORT int mtx_trylock(mtx_t *m)
{
	if (lc_need_bootstrap(lc_real.mtx_trylock))
		return thrd_success;
	unsigned flags = lc_mutex_flags(AS_MUTEX(m)) | LC_ACQ_TRY;
	int rc = lc_real.mtx_trylock(m);
	if (acquired(rc))
		lc_on_after_lock(m, LC_TYPE_MTX, flags, LC_CALLER,
				 lc_mutex_tag(AS_MUTEX(m)));
	else
		lock_failed(m, rc, LC_CALLER);
	return rc;
}

LC_EXPORT int mtx_unlock(mtx_t *m)
{
	if (lc_need_bootstrap(lc_real.mtx_unlock))
		return thrd_success;
	if (__builtin_expect(!lc_unlock_fast(m), 0))
		unlock_slow(m, LC_CALLER);
	return lc_real.mtx_unlock(m);
}

LC_EXPORT void mtx_destroy(mtx_t *m)
{
	if (lc_need_bootstrap(lc_real.mtx_destroy))
		return;
	int busy = lc_mutex_busy(AS_MUTEX(m));
	lc_real.mtx_destroy(m);
	lc_on_destroy(m, LC_TYPE_MTX, busy, LC_CALLER, lc_mutex_tag(AS_MUTEX(m)));
}

/* C11 waits on a (never robust) mtx_t: success or timeout leave it locked,
 * an error (an invalid time) leaves it as it was. */
#define CND_WAIT(c, m, timed, call)                                            \
	do {                                                                   \
		lc_cond_wait w_;                                               \
		unsigned flags_ = lc_mutex_flags(AS_MUTEX(m));                 \
		LC_SLEEP_REGS();                                               \
		lc_on_cond_wait_begin(&w_, c,                                  \
				      lc_cond_destroyed_mark(AS_COND(c)), m,   \
				      LC_TYPE_MTX, timed, LC_CALLER);          \
		int rc_ = (call);                                              \
		lc_on_cond_wait_end(&w_, c, m, LC_TYPE_MTX, flags_,            \
				    rc_ == thrd_success || rc_ == thrd_timedout \
					    ? LC_WAIT_REACQUIRED               \
					    : LC_WAIT_UNCHANGED,               \
				    LC_CALLER, lc_mutex_tag(AS_MUTEX(m)));     \
		return rc_;                                                    \
	} while (0)

LC_EXPORT int cnd_wait(cnd_t *c, mtx_t *m)
{
	if (lc_need_bootstrap(lc_real.cnd_wait))
		return thrd_success;
	CND_WAIT(c, m, 0, lc_real.cnd_wait(c, m));
}

LC_EXPORT int cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m,
			    const struct timespec *restrict t)
{
	if (lc_need_bootstrap(lc_real.cnd_timedwait))
		return thrd_success;
	CND_WAIT(c, m, LC_SLEEP_TIMED, lc_real.cnd_timedwait(c, m, t));
}
