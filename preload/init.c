/*
 * init.c: the shim's constructor: resolve the real functions, start the core.
 *
 * Runs before the program's own constructors and main, while the process has
 * one thread. Everything that may go wrong here is reported by the core in one
 * line and leaves the program running unchecked.
 */
#include <pthread.h>

#include "event.h"
#include "real.h"

__attribute__((constructor)) static void lc_preload_start(void)
{
	lc_real_resolve();
	void *(*core_thread)(void *) = lc_init();
	if (core_thread) {
		/* Started with the real function: the core's own thread is not
		 * one of the program's. */
		pthread_t t;
		if (lc_real.pthread_create(&t, NULL, core_thread, NULL) == 0)
			pthread_detach(t);
	}
}
