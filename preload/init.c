/*
 * init.c: the shim's constructor: resolve the real functions, start the core.
 *
 * Runs before the program's own constructors and main, while the process has
 * one thread. Everything that may go wrong here is reported by the core in one
 * line and leaves the program running unchecked.
 */
#include "event.h"
#include "real.h"

__attribute__((constructor)) static void lc_preload_start(void)
{
	lc_real_resolve();
	lc_init();
}
