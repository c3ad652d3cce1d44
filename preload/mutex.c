/*
 * mutex.c: the pthread_mutex_* interposers.
 *
 * Each is the same few lines: forward to the bootstrap while the real function
 * is being resolved; tell the core before the call (so a cycle or a relock is
 * reported before a real deadlock hangs); acquire (a blocking call tries
 * first and, only if the mutex is busy, waits in timed slices so that a real
 * deadlock is found: block.h); record the acquisition only if it succeeded;
 * return the real result unchanged. A mutex glibc refuses (destroyed, or
 * never initialised: EINVAL at once) is reported on the failure path
 * (invalid-use), and its unlock on the unlock's slow path, not as a
 * bad-unlock.
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
		.obj = m, .type = LC_TYPE_MUTEX,
		.flags = flags | (lc_mutex_pshared(m) ? LC_ACQ_PSHARED : 0),
		.pc = pc,
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

/* A lock call failed: when glibc refused the mutex (EINVAL for a kind it
 * does not accept: destroyed, or never initialised, glibc_layout.h), say so
 * (invalid-use). glibc refuses at once, without blocking or touching the
 * mutex, and nothing was acquired, so nothing else is recorded. On the
 * failure path only: the common path pays nothing. */
static __attribute__((noinline, cold)) void lock_failed(pthread_mutex_t *m,
							int rc, uintptr_t pc)
{
	if (rc == EINVAL && lc_mutex_invalid(m))
		lc_on_invalid_use(m, LC_TYPE_MUTEX, "locks",
				  lc_mutex_destroyed_mark(m), pc);
}

/* An unlock off the fast path (not the most recent lock, or not held):
 * a mutex glibc refuses is an invalid-use, not a bad-unlock. */
static __attribute__((noinline)) void unlock_slow(pthread_mutex_t *m,
						  uintptr_t pc)
{
	if (__builtin_expect(lc_mutex_invalid(m), 0))
		lc_on_invalid_use(m, LC_TYPE_MUTEX, "unlocks",
				  lc_mutex_destroyed_mark(m), pc);
	else
		lc_unlock_slow(m, LC_TYPE_MUTEX, pc);
}

/* The core asks at thread exit whether a held lock may be held then: a
 * robust mutex may (glibc_layout.h reads its kind; the thread holds it, so
 * its memory is live). C11 mtx_t are never robust. */
static int exit_exempt(void *lock, lc_lock_type type)
{
	return type == LC_TYPE_MUTEX && lc_mutex_is_robust(lock);
}

__attribute__((constructor)) static void register_exit_exempt(void)
{
	lc_set_exit_exempt(exit_exempt);
}

/* A robust mutex whose owner died is acquired, with EOWNERDEAD. */
static inline int acquired(int rc)
{
	return rc == 0 || rc == EOWNERDEAD;
}

LC_EXPORT int pthread_mutex_lock(pthread_mutex_t *m)
{
	if (lc_need_bootstrap(lc_real.pthread_mutex_trylock))
		return lc_bootstrap_mutex_lock(m);
	/* Nothing to check and the mutex free: one try, recorded at once
	 * (event.h's quick acquisition). A busy or refused mutex goes the
	 * full way (a failed try changed nothing). */
	uint64_t chain;
	lc_thread *t = lc_quick_thread();
	if (__builtin_expect(t != NULL, 1) &&
	    LC_QUICK_OK(t, m, lc_mutex_tag(m), lc_mutex_flags(m), chain) &&
	    __builtin_expect(!lc_mutex_busy(m), 1)) {
		int rc = lc_real.pthread_mutex_trylock(m);
		if (__builtin_expect(rc == 0, 1)) {
			lc_held_push_quick(t, m, LC_TYPE_MUTEX, lc_mutex_flags(m),
					   LC_CALLER, lc_mutex_tag(m), chain);
			return 0;
		}
		if (rc != EBUSY) {
			/* A robust mutex whose owner died (EOWNERDEAD,
			 * acquired) or one glibc refuses. */
			if (acquired(rc))
				lc_on_after_lock(m, LC_TYPE_MUTEX,
						 lc_mutex_flags(m), LC_CALLER,
						 lc_mutex_tag(m));
			else
				lock_failed(m, rc, LC_CALLER);
			return rc;
		}
	}
	/* The flags and the tag are read from m again after each call rather
	 * than kept: fewer values live across the real call, fewer registers
	 * saved on the common path. */
	lc_on_before_lock(m, LC_TYPE_MUTEX, lc_mutex_flags(m), LC_CALLER,
			  lc_mutex_tag(m));
	int rc = acquire(m, lc_mutex_flags(m), LC_CALLER, NULL, CLOCK_MONOTONIC);
	if (acquired(rc))
		lc_on_after_lock(m, LC_TYPE_MUTEX, lc_mutex_flags(m), LC_CALLER,
				 lc_mutex_tag(m));
	else
		lock_failed(m, rc, LC_CALLER);
	return rc;
}

LC_EXPORT int pthread_mutex_trylock(pthread_mutex_t *m)
{
	if (lc_need_bootstrap(lc_real.pthread_mutex_trylock))
		return lc_bootstrap_mutex_trylock(m);
	unsigned flags = lc_mutex_flags(m) | LC_ACQ_TRY;
	int rc = lc_real.pthread_mutex_trylock(m);
	if (acquired(rc))
		lc_on_after_lock(m, LC_TYPE_MUTEX, flags, LC_CALLER,
				 lc_mutex_tag(m));
	else
		lock_failed(m, rc, LC_CALLER);
	return rc;
}

LC_EXPORT int pthread_mutex_timedlock(pthread_mutex_t *m,
				      const struct timespec *abstime)
{
	if (lc_need_bootstrap(lc_real.pthread_mutex_timedlock))
		return lc_bootstrap_mutex_lock(m);
	unsigned flags = lc_mutex_flags(m);
	lc_on_before_lock(m, LC_TYPE_MUTEX, flags, LC_CALLER, lc_mutex_tag(m));
	int rc = sliceable(CLOCK_REALTIME, abstime)
			 ? acquire(m, flags, LC_CALLER, abstime, CLOCK_REALTIME)
			 : lc_real.pthread_mutex_timedlock(m, abstime);
	if (acquired(rc))
		lc_on_after_lock(m, LC_TYPE_MUTEX, flags, LC_CALLER,
				 lc_mutex_tag(m));
	else
		lock_failed(m, rc, LC_CALLER);
	return rc;
}

LC_EXPORT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clock,
				      const struct timespec *abstime)
{
	if (lc_need_bootstrap(lc_real.pthread_mutex_clocklock))
		return lc_bootstrap_mutex_lock(m);
	unsigned flags = lc_mutex_flags(m);
	lc_on_before_lock(m, LC_TYPE_MUTEX, flags, LC_CALLER, lc_mutex_tag(m));
	int rc = sliceable(clock, abstime)
			 ? acquire(m, flags, LC_CALLER, abstime, clock)
			 : lc_real.pthread_mutex_clocklock(m, clock, abstime);
	if (acquired(rc))
		lc_on_after_lock(m, LC_TYPE_MUTEX, flags, LC_CALLER,
				 lc_mutex_tag(m));
	else
		lock_failed(m, rc, LC_CALLER);
	return rc;
}

LC_EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (lc_need_bootstrap(lc_real.pthread_mutex_unlock))
		return lc_bootstrap_mutex_unlock(m);
	/* Before the real unlock: once it is released another thread may take
	 * it, and this thread must no longer count as its holder. */
	if (__builtin_expect(!lc_unlock_fast(m), 0))
		unlock_slow(m, LC_CALLER);
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
