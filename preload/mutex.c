/*
 * mutex.c: the pthread_mutex_* interposers.
 *
 * Each is the same few lines: forward to the bootstrap while the real function
 * is being resolved; tell the core before the call (so a cycle or a relock is
 * reported before a real deadlock hangs); acquire (a blocking call tries
 * first and, only if the mutex is busy, waits in timed slices so that a real
 * deadlock is found: block.h); record the acquisition only if it succeeded;
 * return the real result unchanged. A mutex glibc refuses (destroyed, or
 * never initialised) is reported first (invalid-use) and changes nothing.
 * std::mutex, std::timed_mutex and std::recursive_mutex reach these through
 * libstdc++ (try_lock_for/until use pthread_mutex_clocklock).
 */
#define _GNU_SOURCE
#include <errno.h>

#include "block.h"
#include "event.h"
#include "glibc_layout.h"
#include "real.h"

static int clocklock_slice(void *m, const struct timespec *until, void *arg)
{
	return lc_real.pthread_mutex_clocklock(m, CLOCK_MONOTONIC, until);
}

/* The mutex is busy: wait in timed slices (block.h). Out of line, so that
 * the interposers' common path stays short. */
static __attribute__((noinline)) int wait_busy(pthread_mutex_t *m,
					       unsigned flags, uintptr_t pc,
					       const struct timespec *deadline,
					       clockid_t clock)
{
	lc_block_call call = {
		.obj = m, .type = LC_TYPE_MUTEX, .flags = flags, .pc = pc,
		.attempt = clocklock_slice, .deadline = deadline,
		.deadline_clock = clock,
	};
	return lc_block(&call);
}

/* Acquires m as a blocking call would: a try, then timed slices (block.h).
 * deadline: the caller's own absolute time on `clock`, or NULL. */
static inline int acquire(pthread_mutex_t *m, unsigned flags, uintptr_t pc,
			  const struct timespec *deadline, clockid_t clock)
{
	/* A mutex seen locked goes straight to the wait: a try on it would
	 * be a failed atomic write on a line other threads are fighting
	 * over. (A recursive one may be its caller's: the try re-enters.) */
	if (__builtin_expect(!lc_mutex_busy(m) || (flags & LC_ACQ_RECURSIVE), 1)) {
		int rc = lc_real.pthread_mutex_trylock(m);
		if (__builtin_expect(rc != EBUSY, 1))
			return rc;
	}
	return wait_busy(m, flags, pc, deadline, clock);
}

/* A timed call whose deadline the slices cannot honour (an invalid time or
 * an unknown clock) goes to the real function as it is. */
static int sliceable(clockid_t clock, const struct timespec *abstime)
{
	return (clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC) &&
	       lc_valid_timespec(abstime);
}

/* glibc refuses this mutex (destroyed, or never initialised: glibc_layout.h)
 * and its call returns EINVAL without touching it: said before the call
 * (invalid-use); nothing changes hands, so the core's state stays as it
 * was. Out of line: the common path pays one test of the kind word it
 * reads anyway. */
static __attribute__((noinline, cold)) void refused(pthread_mutex_t *m,
						    const char *what,
						    uintptr_t pc)
{
	lc_on_invalid_use(m, LC_TYPE_MUTEX, what, lc_mutex_destroyed_mark(m),
			  pc);
}

#define REFUSED(m, what, call)                                                 \
	do {                                                                   \
		if (__builtin_expect(lc_mutex_invalid(m), 0)) {                \
			refused(m, what, LC_CALLER);                           \
			return (call);                                         \
		}                                                              \
	} while (0)

/* A robust mutex whose owner died is acquired, with EOWNERDEAD. */
static inline int acquired(int rc)
{
	return rc == 0 || rc == EOWNERDEAD;
}

LC_EXPORT int pthread_mutex_lock(pthread_mutex_t *m)
{
	if (lc_need_bootstrap(lc_real.pthread_mutex_trylock))
		return lc_bootstrap_mutex_lock(m);
	REFUSED(m, "locks", lc_real.pthread_mutex_lock(m));
	/* The flags and the tag are read from m again after each call rather
	 * than kept: fewer values live across the real call, fewer registers
	 * saved on the common path. */
	lc_on_before_lock(m, LC_TYPE_MUTEX, lc_mutex_flags(m), LC_CALLER,
			  lc_mutex_tag(m));
	int rc = acquire(m, lc_mutex_flags(m), LC_CALLER, NULL, CLOCK_MONOTONIC);
	if (acquired(rc))
		lc_on_after_lock(m, LC_TYPE_MUTEX, lc_mutex_flags(m), LC_CALLER,
				 lc_mutex_tag(m));
	return rc;
}

LC_EXPORT int pthread_mutex_trylock(pthread_mutex_t *m)
{
	if (lc_need_bootstrap(lc_real.pthread_mutex_trylock))
		return lc_bootstrap_mutex_trylock(m);
	REFUSED(m, "locks", lc_real.pthread_mutex_trylock(m));
	unsigned flags = lc_mutex_flags(m) | LC_ACQ_TRY;
	int rc = lc_real.pthread_mutex_trylock(m);
	if (acquired(rc))
		lc_on_after_lock(m, LC_TYPE_MUTEX, flags, LC_CALLER,
				 lc_mutex_tag(m));
	return rc;
}

LC_EXPORT int pthread_mutex_timedlock(pthread_mutex_t *m,
				      const struct timespec *abstime)
{
	if (lc_need_bootstrap(lc_real.pthread_mutex_timedlock))
		return lc_bootstrap_mutex_lock(m);
	REFUSED(m, "locks", lc_real.pthread_mutex_timedlock(m, abstime));
	unsigned flags = lc_mutex_flags(m);
	lc_on_before_lock(m, LC_TYPE_MUTEX, flags, LC_CALLER, lc_mutex_tag(m));
	int rc = sliceable(CLOCK_REALTIME, abstime)
			 ? acquire(m, flags, LC_CALLER, abstime, CLOCK_REALTIME)
			 : lc_real.pthread_mutex_timedlock(m, abstime);
	if (acquired(rc))
		lc_on_after_lock(m, LC_TYPE_MUTEX, flags, LC_CALLER,
				 lc_mutex_tag(m));
	return rc;
}

LC_EXPORT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clock,
				      const struct timespec *abstime)
{
	if (lc_need_bootstrap(lc_real.pthread_mutex_clocklock))
		return lc_bootstrap_mutex_lock(m);
	REFUSED(m, "locks", lc_real.pthread_mutex_clocklock(m, clock, abstime));
	unsigned flags = lc_mutex_flags(m);
	lc_on_before_lock(m, LC_TYPE_MUTEX, flags, LC_CALLER, lc_mutex_tag(m));
	int rc = sliceable(clock, abstime)
			 ? acquire(m, flags, LC_CALLER, abstime, clock)
			 : lc_real.pthread_mutex_clocklock(m, clock, abstime);
	if (acquired(rc))
		lc_on_after_lock(m, LC_TYPE_MUTEX, flags, LC_CALLER,
				 lc_mutex_tag(m));
	return rc;
}

LC_EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (lc_need_bootstrap(lc_real.pthread_mutex_unlock))
		return lc_bootstrap_mutex_unlock(m);
	REFUSED(m, "unlocks", lc_real.pthread_mutex_unlock(m));
	/* Before the real unlock: once it is released another thread may take
	 * it, and this thread must no longer count as its holder. */
	lc_on_unlock(m, LC_TYPE_MUTEX, LC_CALLER);
	return lc_real.pthread_mutex_unlock(m);
}

LC_EXPORT int pthread_mutex_init(pthread_mutex_t *m,
				 const pthread_mutexattr_t *attr)
{
	if (lc_need_bootstrap(lc_real.pthread_mutex_init))
		return lc_bootstrap_mutex_init(m, attr);
	int rc = lc_real.pthread_mutex_init(m, attr);
	if (rc == 0)
		lc_on_create(m, LC_TYPE_MUTEX, lc_mutex_flags(m), LC_CALLER,
			     lc_mutex_tag(m));
	return rc;
}

LC_EXPORT int pthread_mutex_destroy(pthread_mutex_t *m)
{
	if (lc_need_bootstrap(lc_real.pthread_mutex_destroy))
		return lc_bootstrap_mutex_destroy(m);
	int rc = lc_real.pthread_mutex_destroy(m);
	if (rc == 0 || rc == EBUSY)
		lc_on_destroy(m, LC_TYPE_MUTEX, rc == EBUSY, LC_CALLER,
			      lc_mutex_tag(m));
	return rc;
}
