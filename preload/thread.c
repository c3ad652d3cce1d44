/*
 * thread.c: thread start and end (pthread_create, pthread_exit, and C11's
 * thrd_create, thrd_exit, which glibc does not route through the former).
 *
 * A created thread starts in a trampoline that tells the core it started
 * (its id then follows creation order) and, when the start routine returns,
 * that it ends, naming the start routine as the place: a thread that ends
 * holding locks is a held-at-exit finding. The start routine and argument
 * travel in a small box from malloc: pthread_create allocates anyway, and no
 * lock of the shim is held here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <threads.h>

#include "event.h"
#include "real.h"

typedef struct start_box {
	void *(*posix_fn)(void *);
	int (*c11_fn)(void *);
	void *arg;
} start_box;

/* The place a thread "ends" when its start routine returns: the routine
 * itself (+1, as if it were a return address inside it). */
#define ROUTINE_SITE(fn) ((uintptr_t)(fn) + 1)

static void *posix_trampoline(void *p)
{
	start_box box = *(start_box *)p;
	free(p);
	lc_on_thread_start();
	void *ret = box.posix_fn(box.arg);
	lc_on_thread_exit(ROUTINE_SITE(box.posix_fn));
	return ret;
}

static int c11_trampoline(void *p)
{
	start_box box = *(start_box *)p;
	free(p);
	lc_on_thread_start();
	int ret = box.c11_fn(box.arg);
	lc_on_thread_exit(ROUTINE_SITE(box.c11_fn));
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
	*box = (start_box){ .posix_fn = fn, .arg = arg };
	int rc = lc_real.pthread_create(t, attr, posix_trampoline, box);
	if (rc != 0)
		free(box);
	return rc;
}

LC_EXPORT void pthread_exit(void *ret)
{
	if (!lc_need_bootstrap(lc_real.pthread_exit))
		lc_on_thread_exit(LC_CALLER);
	lc_real.pthread_exit(ret);
}

LC_EXPORT int thrd_create(thrd_t *t, thrd_start_t fn, void *arg)
{
	if (lc_need_bootstrap(lc_real.thrd_create))
		return thrd_error;
	start_box *box = malloc(sizeof *box);
	if (!box)
		return lc_real.thrd_create(t, fn, arg);
	*box = (start_box){ .c11_fn = fn, .arg = arg };
	int rc = lc_real.thrd_create(t, c11_trampoline, box);
	if (rc != thrd_success)
		free(box);
	return rc;
}

LC_EXPORT void thrd_exit(int ret)
{
	if (!lc_need_bootstrap(lc_real.thrd_exit))
		lc_on_thread_exit(LC_CALLER);
	lc_real.thrd_exit(ret);
}
