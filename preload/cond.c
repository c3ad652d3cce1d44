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
 * A wait that fails before releasing the mutex (an invalid time: EINVAL)
 * gives the held entry back as it was, at its place in the stack: the
 * caller's unlock that follows is of a lock it holds.
 *
 * The waiting thread is asleep on the variable (the all-asleep check,
 * detect_asleep.h): its registers are saved in this frame, which stays as
 * it is while the real wait sleeps below it, and the wait says whether it
 * is timed or the variable process-shared (bit 0 of glibc's __wrefs).
 *
 * Misuse, checked before the real call can block: a wait on a destroyed
 * condition variable (invalid-use, told by glibc's destroyed mark in its
 * memory and the core's table), a wait with a second mutex while others
 * wait with a first (cond-misuse two-mutexes), a destroy while threads wait
 * (cond-misuse destroyed-with-waiters: glibc's destroy would block until
 * they leave), an init while threads wait (reinit). The core counts the
 * waiters of each variable around the real wait (objtable.h).
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

/* How a wait that returned rc left its mutex. glibc's waits fail before
 * releasing it (EINVAL for a bad time or clock, EPERM for a mutex the
 * caller does not own) and return with it locked otherwise, except when a
 * robust mutex's dead owner left it unrecoverable. */
static inline int outcome(int rc)
{
	if (rc == 0 || rc == ETIMEDOUT || rc == EOWNERDEAD)
		return LC_WAIT_REACQUIRED;
	return rc == ENOTRECOVERABLE ? LC_WAIT_RELEASED : LC_WAIT_UNCHANGED;
}

/* What a wait's cancellation handler needs to record the re-acquisition. */
typedef struct wait_frame {
	lc_cond_wait w;
	pthread_cond_t *c;
	pthread_mutex_t *m;
	unsigned flags;
	uintptr_t pc;
} wait_frame;

static void wait_cancelled(void *arg)
{
	wait_frame *f = arg;
	lc_on_cond_wait_end(&f->w, f->c, f->m, LC_TYPE_MUTEX, f->flags,
			    LC_WAIT_REACQUIRED, f->pc, lc_mutex_tag(f->m));
}

#define WAIT(c, m, timed, call)                                                \
	do {                                                                   \
		wait_frame f_ = { .c = c, .m = m, .flags = lc_mutex_flags(m),  \
				  .pc = LC_CALLER };                           \
		LC_SLEEP_REGS();                                               \
		lc_on_cond_wait_begin(                                         \
			&f_.w, c, lc_cond_destroyed_mark(c), m, LC_TYPE_MUTEX, \
			(timed) | (lc_cond_pshared(c) ? LC_SLEEP_PSHARED : 0), \
			f_.pc);                                                \
		int rc_;                                                       \
		pthread_cleanup_push(wait_cancelled, &f_);                     \
		rc_ = (call);                                                  \
		pthread_cleanup_pop(0);                                        \
		lc_on_cond_wait_end(&f_.w, c, m, LC_TYPE_MUTEX, f_.flags,      \
				    outcome(rc_), f_.pc, lc_mutex_tag(m));     \
		return rc_;                                                    \
	} while (0)

LC_EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	if (lc_need_bootstrap(lc_real.pthread_cond_wait))
		return 0;
	WAIT(c, m, 0, lc_real.pthread_cond_wait(c, m));
}

LC_EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
				     const struct timespec *t)
{
	if (lc_need_bootstrap(lc_real.pthread_cond_timedwait))
		return 0;
	WAIT(c, m, LC_SLEEP_TIMED, lc_real.pthread_cond_timedwait(c, m, t));
}

LC_EXPORT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m,
				     clockid_t clock, const struct timespec *t)
{
	if (lc_need_bootstrap(lc_real.pthread_cond_clockwait))
		return 0;
	WAIT(c, m, LC_SLEEP_TIMED,
	     lc_real.pthread_cond_clockwait(c, m, clock, t));
}

LC_EXPORT int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
	if (lc_need_bootstrap(lc_real.pthread_cond_init))
		return 0;
	int rc = lc_real.pthread_cond_init(c, a);
	if (rc == 0)
		lc_on_cond_init(c, LC_CALLER);
	return rc;
}

/* Told before the real destroy, which blocks while threads wait. */
LC_EXPORT int pthread_cond_destroy(pthread_cond_t *c)
{
	if (lc_need_bootstrap(lc_real.pthread_cond_destroy))
		return 0;
	lc_on_cond_destroy(c, LC_CALLER);
	return lc_real.pthread_cond_destroy(c);
}
