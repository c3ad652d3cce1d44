/*
 * rwlock.c: the pthread_rwlock_* interposers.
 *
 * The same shape as mutex.c, with the mode passed to the core: rdlock and its
 * variants are shared acquisitions (LC_ACQ_SHARED), wrlock exclusive. Timed
 * and clock variants can block, so they are checked like the plain ones
 * (Helgrind misses these). pthread_rwlock_unlock does not say which mode it
 * releases: the core knows from the thread's held stack.
 *
 * Misuse: a use of a destroyed rwlock (invalid-use; glibc would carry on,
 * so the shim marks destroyed rwlocks itself, registry.h); a try-lock that
 * fails because the caller itself holds the lock for writing: a
 * double-lock, as the blocking call would be (the
 * try can never succeed while the caller holds it; a retry loop hangs, a
 * "busy, someone else has it" branch is wrong). An uninitialised rwlock
 * cannot be told from a valid one (glibc checks nothing) and is not
 * reported.
 */
#define _GNU_SOURCE
#include <errno.h>

#include "block.h"
#include "event.h"
#include "glibc_layout.h"
#include "real.h"

#define RW(l) (l), LC_TYPE_RWLOCK

static int rd_slice(void *l, const struct timespec *until, void *arg)
{
	return lc_real.pthread_rwlock_clockrdlock(l, CLOCK_MONOTONIC, until);
}

static int wr_slice(void *l, const struct timespec *until, void *arg)
{
	return lc_real.pthread_rwlock_clockwrlock(l, CLOCK_MONOTONIC, until);
}

/* The lock is busy: wait in timed slices (block.h). Out of line, so that
 * the interposers' common path stays short. */
static __attribute__((noinline)) int wait_busy(pthread_rwlock_t *l,
					       unsigned flags, uintptr_t pc,
					       const struct timespec *deadline,
					       clockid_t clock)
{
	int shared = flags & LC_ACQ_SHARED;
	lc_block_call call = {
		.obj = l, .type = LC_TYPE_RWLOCK,
		.flags = flags | (lc_rwlock_pshared(l) ? LC_ACQ_PSHARED : 0),
		.pc = pc,
		.attempt = shared ? rd_slice : wr_slice, .deadline = deadline,
		.deadline_clock = clock,
	};
	return lc_block(&call);
}

/* A blocking acquisition: a try, then timed slices (block.h). */
static inline int acquire(pthread_rwlock_t *l, unsigned flags, uintptr_t pc,
			  const struct timespec *deadline, clockid_t clock)
{
	int rc = (flags & LC_ACQ_SHARED) ? lc_real.pthread_rwlock_tryrdlock(l)
					 : lc_real.pthread_rwlock_trywrlock(l);
	if (__builtin_expect(rc != EBUSY, 1))
		return rc;
	return wait_busy(l, flags, pc, deadline, clock);
}

static int sliceable(clockid_t clock, const struct timespec *abstime)
{
	return (clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC) &&
	       lc_valid_timespec(abstime);
}

/* A destroyed rwlock (the shim's mark in its tag word: glibc's destroy
 * leaves nothing, and the real call would work on it): said before the
 * call (invalid-use). Out of line: the common path pays one load and test
 * of a word on the lock's own cache line. */
static __attribute__((noinline, cold)) void destroyed(pthread_rwlock_t *l,
						      const char *what,
						      uintptr_t pc)
{
	lc_on_invalid_use(RW(l), what, 1, pc);
	/* Said once: from here on it is a lock the core knows anew. */
	*(volatile uintptr_t *)lc_rwlock_tag(l) = 0;
}

#define CHECK_DESTROYED(l, what)                                               \
	do {                                                                   \
		if (__builtin_expect(                                          \
			    lc_registry_tag_destroyed(lc_rwlock_tag(l)), 0))   \
			destroyed(l, what, LC_CALLER);                         \
	} while (0)

/* An unlock off the fast path: a destroyed rwlock's is an invalid-use, not
 * a bad-unlock. */
static __attribute__((noinline)) void unlock_slow(pthread_rwlock_t *l,
						  uintptr_t pc)
{
	if (__builtin_expect(lc_registry_tag_destroyed(lc_rwlock_tag(l)), 0))
		destroyed(l, "unlocks", pc);
	else
		lc_unlock_slow(RW(l), pc);
}

/* Runs a rwlock acquisition: the core before (blocking calls only), the
 * call, the core after on success. A try that fails is checked for a
 * lock the caller holds itself (lc_on_try_failed), on its failure path
 * only. */
#define ACQUIRE(l, flags, call)                                                \
	do {                                                                   \
		CHECK_DESTROYED(l, "locks");                                   \
		if (!((flags) & LC_ACQ_TRY))                                   \
			lc_on_before_lock(RW(l), (flags), LC_CALLER,           \
					  lc_rwlock_tag(l));                   \
		int rc_ = (call);                                              \
		if (rc_ == 0)                                                  \
			lc_on_after_lock(RW(l), (flags), LC_CALLER,            \
					 lc_rwlock_tag(l));                    \
		else if ((flags) & LC_ACQ_TRY)                                 \
			lc_on_try_failed(RW(l), (flags), LC_CALLER);           \
		return rc_;                                                    \
	} while (0)

/* A blocking rdlock or wrlock with nothing to check first (event.h's quick
 * acquisition): one try, recorded at once; busy, the wait in slices with
 * the before event (which finds nothing new to check), without a second
 * try; any other result (EAGAIN: too many readers; EDEADLK) is the
 * real call's, nothing recorded. */
#define QUICK_ACQUIRE(l, t, chain, flags, try_call)                            \
	do {                                                                   \
		int rc_ = (try_call);                                          \
		if (__builtin_expect(rc_ == 0, 1)) {                           \
			lc_held_push_quick(t, l, LC_TYPE_RWLOCK, flags,        \
					   LC_CALLER, lc_rwlock_tag(l),        \
					   chain);                             \
			return 0;                                              \
		}                                                              \
		if (rc_ != EBUSY)                                              \
			return rc_;                                            \
		lc_on_before_lock(RW(l), (flags), LC_CALLER,                   \
				  lc_rwlock_tag(l));                           \
		rc_ = wait_busy(l, flags, LC_CALLER, NULL, CLOCK_MONOTONIC);  \
		if (rc_ == 0)                                                  \
			lc_on_after_lock(RW(l), (flags), LC_CALLER,            \
					 lc_rwlock_tag(l));                    \
		return rc_;                                                    \
	} while (0)

LC_EXPORT int pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
	if (lc_need_bootstrap(lc_real.pthread_rwlock_rdlock))
		return lc_bootstrap_rwlock_rdlock(l);
	uint64_t chain;
	lc_thread *t = lc_quick_thread();
	if (__builtin_expect(t != NULL, 1) &&
	    LC_QUICK_OK(t, l, lc_rwlock_tag(l), LC_ACQ_SHARED, chain) &&
	    !lc_registry_tag_destroyed(lc_rwlock_tag(l)))
		QUICK_ACQUIRE(l, t, chain, LC_ACQ_SHARED,
			      lc_real.pthread_rwlock_tryrdlock(l));
	ACQUIRE(l, LC_ACQ_SHARED,
		acquire(l, LC_ACQ_SHARED, LC_CALLER, NULL, CLOCK_MONOTONIC));
}

LC_EXPORT int pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
	if (lc_need_bootstrap(lc_real.pthread_rwlock_wrlock))
		return lc_bootstrap_rwlock_wrlock(l);
	uint64_t chain;
	lc_thread *t = lc_quick_thread();
	if (__builtin_expect(t != NULL, 1) &&
	    LC_QUICK_OK(t, l, lc_rwlock_tag(l), 0, chain) &&
	    !lc_registry_tag_destroyed(lc_rwlock_tag(l)))
		QUICK_ACQUIRE(l, t, chain, 0,
			      lc_real.pthread_rwlock_trywrlock(l));
	ACQUIRE(l, 0, acquire(l, 0, LC_CALLER, NULL, CLOCK_MONOTONIC));
}

LC_EXPORT int pthread_rwlock_tryrdlock(pthread_rwlock_t *l)
{
	if (lc_need_bootstrap(lc_real.pthread_rwlock_tryrdlock))
		return lc_bootstrap_rwlock_tryrdlock(l);
	ACQUIRE(l, LC_ACQ_SHARED | LC_ACQ_TRY, lc_real.pthread_rwlock_tryrdlock(l));
}

LC_EXPORT int pthread_rwlock_trywrlock(pthread_rwlock_t *l)
{
	if (lc_need_bootstrap(lc_real.pthread_rwlock_trywrlock))
		return lc_bootstrap_rwlock_trywrlock(l);
	ACQUIRE(l, LC_ACQ_TRY, lc_real.pthread_rwlock_trywrlock(l));
}

LC_EXPORT int pthread_rwlock_timedrdlock(pthread_rwlock_t *l,
					 const struct timespec *t)
{
	if (lc_need_bootstrap(lc_real.pthread_rwlock_timedrdlock))
		return lc_bootstrap_rwlock_rdlock(l);
	ACQUIRE(l, LC_ACQ_SHARED,
		sliceable(CLOCK_REALTIME, t)
			? acquire(l, LC_ACQ_SHARED, LC_CALLER, t, CLOCK_REALTIME)
			: lc_real.pthread_rwlock_timedrdlock(l, t));
}

LC_EXPORT int pthread_rwlock_timedwrlock(pthread_rwlock_t *l,
					 const struct timespec *t)
{
	if (lc_need_bootstrap(lc_real.pthread_rwlock_timedwrlock))
		return lc_bootstrap_rwlock_wrlock(l);
	ACQUIRE(l, 0,
		sliceable(CLOCK_REALTIME, t)
			? acquire(l, 0, LC_CALLER, t, CLOCK_REALTIME)
			: lc_real.pthread_rwlock_timedwrlock(l, t));
}

LC_EXPORT int pthread_rwlock_clockrdlock(pthread_rwlock_t *l, clockid_t c,
					 const struct timespec *t)
{
	if (lc_need_bootstrap(lc_real.pthread_rwlock_clockrdlock))
		return lc_bootstrap_rwlock_rdlock(l);
	ACQUIRE(l, LC_ACQ_SHARED,
		sliceable(c, t) ? acquire(l, LC_ACQ_SHARED, LC_CALLER, t, c)
				: lc_real.pthread_rwlock_clockrdlock(l, c, t));
}

LC_EXPORT int pthread_rwlock_clockwrlock(pthread_rwlock_t *l, clockid_t c,
					 const struct timespec *t)
{
	if (lc_need_bootstrap(lc_real.pthread_rwlock_clockwrlock))
		return lc_bootstrap_rwlock_wrlock(l);
	ACQUIRE(l, 0,
		sliceable(c, t) ? acquire(l, 0, LC_CALLER, t, c)
				: lc_real.pthread_rwlock_clockwrlock(l, c, t));
}

LC_EXPORT int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
	if (lc_need_bootstrap(lc_real.pthread_rwlock_unlock))
		return lc_bootstrap_rwlock_unlock(l);
	if (__builtin_expect(!lc_unlock_fast(l), 0))
		unlock_slow(l, LC_CALLER);
	return lc_real.pthread_rwlock_unlock(l);
}

LC_EXPORT int pthread_rwlock_init(pthread_rwlock_t *l,
				  const pthread_rwlockattr_t *attr)
{
	if (lc_need_bootstrap(lc_real.pthread_rwlock_init))
		return lc_bootstrap_rwlock_init(l, attr);
	int rc = lc_real.pthread_rwlock_init(l, attr);
	if (rc == 0)
		lc_on_create(RW(l), 0, LC_CALLER, lc_rwlock_tag(l));
	return rc;
}

LC_EXPORT int pthread_rwlock_destroy(pthread_rwlock_t *l)
{
	if (lc_need_bootstrap(lc_real.pthread_rwlock_destroy))
		return lc_bootstrap_rwlock_destroy(l);
	int rc = lc_real.pthread_rwlock_destroy(l);
	if (rc == 0 || rc == EBUSY)
		lc_on_destroy(RW(l), rc == EBUSY, LC_CALLER, lc_rwlock_tag(l));
	return rc;
}
