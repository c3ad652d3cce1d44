/*
 * spin.c: the pthread_spin_* interposers.
 *
 * A spinlock is an exclusive, non-recursive lock with no room for a
 * generation tag (it is one int): reuse of its address is recognised only
 * through init and destroy. Locking spins on try-lock, in slices, so a
 * spinner that never gets the lock takes part in deadlock detection. While resolving, these report success without
 * spinning (see real.h).
 */
#define _GNU_SOURCE
#include <errno.h>

#include "block.h"
#include "event.h"
#include "real.h"

/* A spinlock has no timed lock: spin on try-lock until the slice ends. */
static int spin_slice(void *s, const struct timespec *until, void *arg)
{
	for (unsigned spins = 0;; spins++) {
		if (lc_real.pthread_spin_trylock(s) == 0)
			return 0;
		__builtin_ia32_pause();
		if ((spins & 1023) == 1023) {
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec > until->tv_sec ||
			    (now.tv_sec == until->tv_sec &&
			     now.tv_nsec >= until->tv_nsec))
				return ETIMEDOUT;
		}
	}
}

LC_EXPORT int pthread_spin_lock(pthread_spinlock_t *s)
{
	if (lc_need_bootstrap(lc_real.pthread_spin_lock))
		return 0;
	/* Nothing to check (nothing held, or this held sequence checked
	 * before: a spinlock has no tag, so its id comes from a registry
	 * probe): one try, recorded at once (event.h's quick acquisition);
	 * a busy spinlock goes the full way. */
	uint64_t chain;
	lc_thread *t = lc_quick_thread();
	int rc;
	if (__builtin_expect(t != NULL, 1) && LC_QUICK_OK(t, s, NULL, 0, chain)) {
		rc = lc_real.pthread_spin_trylock(s);
		if (__builtin_expect(rc == 0, 1)) {
			lc_held_push_quick(t, (void *)s, LC_TYPE_SPIN, 0,
					   LC_CALLER, NULL, chain);
			return 0;
		}
		/* Busy: no second try; the before event has nothing new to
		 * check (the quick thread said so), and sets the pending
		 * fields for the wait. */
		lc_on_before_lock((void *)s, LC_TYPE_SPIN, 0, LC_CALLER, NULL);
	} else {
		lc_on_before_lock((void *)s, LC_TYPE_SPIN, 0, LC_CALLER, NULL);
		rc = lc_real.pthread_spin_trylock(s);
	}
	if (rc == EBUSY) {
		lc_block_call call = { .obj = (void *)s, .type = LC_TYPE_SPIN,
				       .pc = LC_CALLER, .attempt = spin_slice };
		rc = lc_block(&call);
	}
	if (rc == 0)
		lc_on_after_lock((void *)s, LC_TYPE_SPIN, 0, LC_CALLER, NULL);
	return rc;
}

LC_EXPORT int pthread_spin_trylock(pthread_spinlock_t *s)
{
	if (lc_need_bootstrap(lc_real.pthread_spin_trylock))
		return 0;
	int rc = lc_real.pthread_spin_trylock(s);
	if (rc == 0)
		lc_on_after_lock((void *)s, LC_TYPE_SPIN, LC_ACQ_TRY, LC_CALLER,
				 NULL);
	return rc;
}

LC_EXPORT int pthread_spin_unlock(pthread_spinlock_t *s)
{
	if (lc_need_bootstrap(lc_real.pthread_spin_unlock))
		return 0;
	lc_on_unlock((void *)s, LC_TYPE_SPIN, LC_CALLER);
	return lc_real.pthread_spin_unlock(s);
}

LC_EXPORT int pthread_spin_init(pthread_spinlock_t *s, int pshared)
{
	if (lc_need_bootstrap(lc_real.pthread_spin_init))
		return 0;
	int rc = lc_real.pthread_spin_init(s, pshared);
	if (rc == 0)
		lc_on_create((void *)s, LC_TYPE_SPIN, 0, LC_CALLER, NULL);
	return rc;
}

LC_EXPORT int pthread_spin_destroy(pthread_spinlock_t *s)
{
	if (lc_need_bootstrap(lc_real.pthread_spin_destroy))
		return 0;
	int rc = lc_real.pthread_spin_destroy(s);
	if (rc == 0)
		lc_on_destroy((void *)s, LC_TYPE_SPIN, 0, LC_CALLER, NULL);
	return rc;
}
