/*
 * init.c: the shim's constructor: resolve the real functions, start the core.
 *
 * Runs before the program's own constructors and main, while the process has
 * one thread. Everything that may go wrong here is reported by the core in one
 * line and leaves the program running unchecked.
 */
#include <pthread.h>
#include <signal.h>

#include "event.h"
#include "real.h"

/* The core's own threads: started with the real function (they are not the
 * program's), every signal blocked in them (a signal for the process must
 * reach one of its own threads, never ours), detached, on a small stack. */
static int start_own_thread(void *(*body)(void *))
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_attr_t attr;
	int rc = pthread_attr_init(&attr);
	if (rc)
		return rc;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 512 * 1024);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_t t;
	rc = lc_real.pthread_create(&t, &attr, body, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	return rc;
}

__attribute__((constructor)) static void lc_preload_start(void)
{
	lc_real_resolve();
	lc_set_thread_starter(start_own_thread);
	void *(*core_thread)(void *) = lc_init();
	if (core_thread) {
		/* Started with the real function: the core's own thread is not
		 * one of the program's. */
		pthread_t t;
		if (lc_real.pthread_create(&t, NULL, core_thread, NULL) == 0)
			pthread_detach(t);
	}
}
