/*
 * thread.c: thread start, end and join (pthread_create, pthread_exit,
 * pthread_*join*, and C11's thrd_create, thrd_exit, thrd_join, which glibc
 * does not route through the former).
 *
 * A created thread starts in a trampoline that tells the core it started
 * (its id then follows creation order, and its clock continues its
 * creator's: what the creator did before is ordered before it) and, when the
 * start routine returns, that it ends, naming the start routine as the place:
 * a thread that ends holding locks is a held-at-exit finding. A thread can
 * also end by pthread_exit or by cancellation, which unwind its stack and
 * run the program's cleanup handlers (pthread_cleanup_push) on the way:
 * those may release locks, so what the thread holds at its end is known
 * only when the unwind reaches the trampoline. The trampoline's own cleanup
 * handler, the outermost, makes the end check there; pthread_exit in such a
 * thread only notes where it was called (the place of the finding). A
 * successful
 * join orders everything the joined thread did before the joiner's next
 * steps. The start routine and argument
 * travel in a small box from malloc: pthread_create allocates anyway, and no
 * lock of the shim is held here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <threads.h>

#include "block.h"
#include "event.h"
#include "real.h"

typedef struct start_box {
	void *(*posix_fn)(void *);
	int (*c11_fn)(void *);
	void *arg;
	const void *token; /* the creator's place in create/join order */
	uintptr_t site;    /* the creator's call: with the routine, the
			    * thread's role (role.h) */
} start_box;

/* The place a thread "ends" when its start routine returns: the routine
 * itself (+1, as if it were a return address inside it). */
#define ROUTINE_SITE(fn) ((uintptr_t)(fn) + 1)

/* Threads started by the trampoline (their end is checked there), and
 * where such a thread called pthread_exit, if it did. */
static __thread int in_trampoline __attribute__((tls_model("initial-exec")));
static __thread uintptr_t exit_site __attribute__((tls_model("initial-exec")));

/* The unwind of pthread_exit or a cancellation reached the trampoline: the
 * program's cleanup handlers have run. */
static void posix_unwound(void *fn)
{
	lc_on_thread_exit((uintptr_t)pthread_self(),
			  exit_site ? exit_site : ROUTINE_SITE(fn));
}

static void *posix_trampoline(void *p)
{
	start_box box = *(start_box *)p;
	free(p);
	lc_on_thread_start(box.token, (uintptr_t)box.posix_fn, box.arg,
			   box.site);
	in_trampoline = 1;
	void *ret;
	pthread_cleanup_push(posix_unwound, (void *)box.posix_fn);
	ret = box.posix_fn(box.arg);
	pthread_cleanup_pop(0);
	lc_on_thread_exit((uintptr_t)pthread_self(), ROUTINE_SITE(box.posix_fn));
	return ret;
}

static int c11_trampoline(void *p)
{
	start_box box = *(start_box *)p;
	free(p);
	lc_on_thread_start(box.token, (uintptr_t)box.c11_fn, box.arg,
			   box.site);
	int ret = box.c11_fn(box.arg);
	lc_on_thread_exit((uintptr_t)pthread_self(), ROUTINE_SITE(box.c11_fn));
	return ret;
}

LC_EXPORT int pthread_create(pthread_t *t, const pthread_attr_t *attr,
			     void *(*fn)(void *), void *arg)
{
	if (lc_need_bootstrap(lc_real.pthread_create))
		return EAGAIN;
	start_box *box = malloc(sizeof *box);
	if (!box) /* run it unobserved rather than fail the program */
		return lc_real.pthread_create(t, attr, fn, arg);
	*box = (start_box){ .posix_fn = fn, .arg = arg,
			    .token = lc_on_thread_create(),
			    .site = LC_CALLER };
	int rc = lc_real.pthread_create(t, attr, posix_trampoline, box);
	if (rc != 0)
		free(box);
	return rc;
}

LC_EXPORT void pthread_exit(void *ret)
{
	/* In a thread of the trampoline's, the check waits for the unwind
	 * (posix_unwound); elsewhere (the main thread, a thread started
	 * before the shim) nothing will run after this, so it is made now. */
	if (in_trampoline)
		exit_site = LC_CALLER;
	else if (!lc_need_bootstrap(lc_real.pthread_exit))
		lc_on_thread_exit((uintptr_t)pthread_self(), LC_CALLER);
	lc_real.pthread_exit(ret);
}

LC_EXPORT int thrd_create(thrd_t *t, thrd_start_t fn, void *arg)
{
	if (lc_need_bootstrap(lc_real.thrd_create))
		return thrd_error;
	start_box *box = malloc(sizeof *box);
	if (!box)
		return lc_real.thrd_create(t, fn, arg);
	*box = (start_box){ .c11_fn = fn, .arg = arg,
			    .token = lc_on_thread_create(),
			    .site = LC_CALLER };
	int rc = lc_real.thrd_create(t, c11_trampoline, box);
	if (rc != thrd_success)
		free(box);
	return rc;
}

LC_EXPORT void thrd_exit(int ret)
{
	if (!lc_need_bootstrap(lc_real.thrd_exit))
		lc_on_thread_exit((uintptr_t)pthread_self(), LC_CALLER);
	lc_real.thrd_exit(ret);
}

typedef struct join_args {
	pthread_t thread;
	void **ret;
} join_args;

static int join_slice(void *obj, const struct timespec *until, void *arg)
{
	join_args *j = arg;
	return lc_real.pthread_clockjoin_np(j->thread, j->ret, CLOCK_MONOTONIC,
					    until);
}

/* A join: a try, then timed slices in which the joiner counts as waiting
 * for the joined thread (block.h). deadline: the caller's, or NULL. */
static int join(pthread_t t, void **ret, uintptr_t pc,
		const struct timespec *deadline, clockid_t clock)
{
	int rc = lc_real.pthread_tryjoin_np(t, ret);
	if (rc != EBUSY)
		return rc;
	join_args j = { t, ret };
	lc_block_call call = {
		.pc = pc, .join_handle = (uintptr_t)t, .attempt = join_slice,
		.arg = &j, .deadline = deadline, .deadline_clock = clock,
	};
	return lc_block(&call);
}

LC_EXPORT int pthread_join(pthread_t t, void **ret)
{
	if (lc_need_bootstrap(lc_real.pthread_join))
		return EINVAL;
	int rc = join(t, ret, LC_CALLER, NULL, CLOCK_MONOTONIC);
	if (rc == 0)
		lc_on_thread_join((uintptr_t)t);
	return rc;
}

LC_EXPORT int pthread_tryjoin_np(pthread_t t, void **ret)
{
	if (lc_need_bootstrap(lc_real.pthread_tryjoin_np))
		return EINVAL;
	int rc = lc_real.pthread_tryjoin_np(t, ret);
	if (rc == 0)
		lc_on_thread_join((uintptr_t)t);
	return rc;
}

LC_EXPORT int pthread_timedjoin_np(pthread_t t, void **ret,
				   const struct timespec *abstime)
{
	if (lc_need_bootstrap(lc_real.pthread_timedjoin_np))
		return EINVAL;
	int rc = lc_valid_timespec(abstime)
			 ? join(t, ret, LC_CALLER, abstime, CLOCK_REALTIME)
			 : lc_real.pthread_timedjoin_np(t, ret, abstime);
	if (rc == 0)
		lc_on_thread_join((uintptr_t)t);
	return rc;
}

LC_EXPORT int pthread_clockjoin_np(pthread_t t, void **ret, clockid_t clock,
				   const struct timespec *abstime)
{
	if (lc_need_bootstrap(lc_real.pthread_clockjoin_np))
		return EINVAL;
	int rc = (clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC) &&
				 lc_valid_timespec(abstime)
			 ? join(t, ret, LC_CALLER, abstime, clock)
			 : lc_real.pthread_clockjoin_np(t, ret, clock, abstime);
	if (rc == 0)
		lc_on_thread_join((uintptr_t)t);
	return rc;
}

LC_EXPORT int thrd_join(thrd_t t, int *res)
{
	if (lc_need_bootstrap(lc_real.thrd_join))
		return thrd_error;
	/* glibc's thrd_join: a pthread join whose void * result carries the
	 * int the thread returned. */
	void *ret;
	int rc = join((pthread_t)t, &ret, LC_CALLER, NULL, CLOCK_MONOTONIC);
	if (rc != 0)
		return thrd_error;
	if (res)
		*res = (int)(intptr_t)ret;
	lc_on_thread_join((uintptr_t)t);
	return thrd_success;
}
