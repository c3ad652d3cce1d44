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
 *
 * The waits are cancellation points. A wait cancelled returns to no one:
 * glibc re-acquires the mutex (POSIX: before the first cleanup handler) and
 * unwinds into the program's cleanup handlers, which typically unlock it
 * (pthread_cleanup_push(unlock, &m)). So the interposer has a cleanup
 * handler of its own, the innermost, that records the re-acquisition as the
 * unwind passes: the program's unlock is then of a lock the thread holds,
 * not a bad-unlock. (It costs a setjmp per wait, next to a futex call.)
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

/* What a wait's cancellation handler needs to record the re-acquisition. */
typedef struct wait_frame {
	pthread_mutex_t *m;
	unsigned flags;
	int cookie;
	uintptr_t pc;
} wait_frame;

static void wait_cancelled(void *arg)
{
	wait_frame *f = arg;
	lc_on_cond_wait_end(f->m, LC_TYPE_MUTEX, f->flags, f->cookie, 1, f->pc,
			    lc_mutex_tag(f->m));
}

#define WAIT(c, m, call)                                                       \
	do {                                                                   \
		wait_frame f_ = { m, lc_mutex_flags(m), 0, LC_CALLER };        \
		f_.cookie = lc_on_cond_wait_begin(m, LC_TYPE_MUTEX, f_.pc);    \
		int rc_;                                                       \
		pthread_cleanup_push(wait_cancelled, &f_);                     \
		rc_ = (call);                                                  \
		pthread_cleanup_pop(0);                                        \
		lc_on_cond_wait_end(m, LC_TYPE_MUTEX, f_.flags, f_.cookie,     \
				    reacquired(rc_), f_.pc, lc_mutex_tag(m));  \
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
