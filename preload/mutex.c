/*
 * mutex.c: the pthread_mutex_* interposers.
 *
 * Each is the same few lines: forward to the bootstrap while the real function
 * is being resolved; tell the core before a blocking call (so a cycle is
 * reported before a real deadlock hangs); call the real function; record the
 * acquisition only if it succeeded; return the real result unchanged.
 * std::mutex, std::timed_mutex and std::recursive_mutex reach these through
 * libstdc++ (try_lock_for/until use pthread_mutex_clocklock).
 *
 * The mutex's type (recursive or not) is read from the mutex itself, where
 * pthread_mutex_init and the static initialisers
 * (PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP, which never passes through init)
 * both put it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>

#include "event.h"
#include "real.h"

#define CALLER ((uintptr_t)__builtin_return_address(0))

/* PTHREAD_MUTEX_KIND_MASK_NP in glibc's internals: the low bits of __kind. */
#define MUTEX_KIND_MASK 3

static inline unsigned mutex_flags(const pthread_mutex_t *m)
{
	return (m->__data.__kind & MUTEX_KIND_MASK) == PTHREAD_MUTEX_RECURSIVE
		       ? LC_ACQ_RECURSIVE
		       : 0;
}

/* A robust mutex whose owner died is acquired, with EOWNERDEAD. */
static inline int acquired(int rc)
{
	return rc == 0 || rc == EOWNERDEAD;
}

/* Resolves on first use; nonzero when the caller must use the bootstrap. */
static inline int need_bootstrap(void *fn)
{
	if (__builtin_expect(fn != NULL, 1))
		return 0;
	if (lc_real_resolving())
		return 1;
	lc_real_resolve();
	return 0;
}

LC_EXPORT int pthread_mutex_lock(pthread_mutex_t *m)
{
	if (need_bootstrap(lc_real.pthread_mutex_lock))
		return lc_bootstrap_mutex_lock(m);
	unsigned flags = mutex_flags(m);
	lc_on_before_lock(m, LC_TYPE_MUTEX, flags, CALLER);
	int rc = lc_real.pthread_mutex_lock(m);
	if (acquired(rc))
		lc_on_after_lock(m, LC_TYPE_MUTEX, flags, CALLER);
	return rc;
}

LC_EXPORT int pthread_mutex_trylock(pthread_mutex_t *m)
{
	if (need_bootstrap(lc_real.pthread_mutex_trylock))
		return lc_bootstrap_mutex_trylock(m);
	unsigned flags = mutex_flags(m) | LC_ACQ_TRY;
	int rc = lc_real.pthread_mutex_trylock(m);
	if (acquired(rc))
		lc_on_after_lock(m, LC_TYPE_MUTEX, flags, CALLER);
	return rc;
}

LC_EXPORT int pthread_mutex_timedlock(pthread_mutex_t *m,
				      const struct timespec *abstime)
{
	if (need_bootstrap(lc_real.pthread_mutex_timedlock))
		return lc_bootstrap_mutex_lock(m);
	unsigned flags = mutex_flags(m);
	lc_on_before_lock(m, LC_TYPE_MUTEX, flags, CALLER);
	int rc = lc_real.pthread_mutex_timedlock(m, abstime);
	if (acquired(rc))
		lc_on_after_lock(m, LC_TYPE_MUTEX, flags, CALLER);
	return rc;
}

LC_EXPORT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clock,
				      const struct timespec *abstime)
{
	if (need_bootstrap(lc_real.pthread_mutex_clocklock))
		return lc_bootstrap_mutex_lock(m);
	unsigned flags = mutex_flags(m);
	lc_on_before_lock(m, LC_TYPE_MUTEX, flags, CALLER);
	int rc = lc_real.pthread_mutex_clocklock(m, clock, abstime);
	if (acquired(rc))
		lc_on_after_lock(m, LC_TYPE_MUTEX, flags, CALLER);
	return rc;
}

LC_EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (need_bootstrap(lc_real.pthread_mutex_unlock))
		return lc_bootstrap_mutex_unlock(m);
	/* Before the real unlock: once it is released another thread may take
	 * it, and this thread must no longer count as its holder. */
	lc_on_unlock(m, CALLER);
	return lc_real.pthread_mutex_unlock(m);
}

LC_EXPORT int pthread_mutex_init(pthread_mutex_t *m,
				 const pthread_mutexattr_t *attr)
{
	if (need_bootstrap(lc_real.pthread_mutex_init))
		return lc_bootstrap_mutex_init(m, attr);
	int rc = lc_real.pthread_mutex_init(m, attr);
	if (rc == 0)
		lc_on_create(m, LC_TYPE_MUTEX, mutex_flags(m), CALLER);
	return rc;
}

LC_EXPORT int pthread_mutex_destroy(pthread_mutex_t *m)
{
	if (need_bootstrap(lc_real.pthread_mutex_destroy))
		return lc_bootstrap_mutex_destroy(m);
	int rc = lc_real.pthread_mutex_destroy(m);
	if (rc == 0)
		lc_on_destroy(m, CALLER);
	return rc;
}
