/*
 * cond.c: the pthread_cond_*wait interposers.
 *
 * A wait releases its mutex and re-acquires it inside glibc, never through
 * the PLT, so the shim models it: before the wait, the mutex leaves the
 * thread's held stack (or, if the thread does not hold it, a
 * cond-wait-unheld finding); after it, when the call returned with the mutex
 * locked again (success, timeout, or a dead robust owner), the re-acquisition
 * is recorded like any acquisition, with edges from every other lock the
 * thread still holds. The real functions are glibc's current (2.3.2) ones.
 */
#define _GNU_SOURCE
#include <errno.h>

#include "event.h"
#include "glibc_layout.h"
#include "real.h"

static inline int reacquired(int rc)
{
	return rc == 0 || rc == ETIMEDOUT || rc == EOWNERDEAD;
}

#define WAIT(c, m, call)                                                       \
	do {                                                                   \
		unsigned flags_ = lc_mutex_flags(m);                           \
		int cookie_ = lc_on_cond_wait_begin(m, LC_TYPE_MUTEX, LC_CALLER); \
		int rc_ = (call);                                              \
		lc_on_cond_wait_end(m, LC_TYPE_MUTEX, flags_, cookie_,         \
				    reacquired(rc_), LC_CALLER, lc_mutex_tag(m)); \
		return rc_;                                                    \
	} while (0)

LC_EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	if (lc_need_bootstrap(lc_real.pthread_cond_wait))
		return 0;
	WAIT(c, m, lc_real.pthread_cond_wait(c, m));
}

LC_EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
				     const struct timespec *t)
{
	if (lc_need_bootstrap(lc_real.pthread_cond_timedwait))
		return 0;
	WAIT(c, m, lc_real.pthread_cond_timedwait(c, m, t));
}

LC_EXPORT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m,
				     clockid_t clock, const struct timespec *t)
{
	if (lc_need_bootstrap(lc_real.pthread_cond_clockwait))
		return 0;
	WAIT(c, m, lc_real.pthread_cond_clockwait(c, m, clock, t));
}
