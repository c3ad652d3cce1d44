/*
 * exit.c: _exit and _Exit, the ends that skip exit()'s handlers.
 *
 * A process normally writes its graph and end events from an exit handler
 * (lib/event.c). A shell ends by _exit (dash does, after every `sh -c`, and
 * so every recipe of a make), and so do many fork children: without these,
 * each would be a process "without an end event" in the report, and its lock
 * order would be lost. So _exit first writes what exit's handler would
 * (lc_on_exit_now, which does nothing in a vfork child, whose memory is its
 * parent's, nor inside the core), then calls the real function with the
 * status the exit policy gives (exitcode after an error finding, as at
 * exit()). glibc's exit() ends by its internal _exit, not through the PLT,
 * so a normal exit does not come here.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "event.h"
#include "real.h"

LC_EXPORT void _exit(int status)
{
	if (!lc_real._exit)
		lc_real_resolve();
	int final = lc_on_exit_now(status);
	if (lc_real._exit)
		lc_real._exit(final);
	for (;;) /* not found (glibc always has it): the kernel's */
		syscall(SYS_exit_group, final);
}

LC_EXPORT void _Exit(int status)
{
	if (!lc_real._Exit)
		lc_real_resolve();
	int final = lc_on_exit_now(status);
	if (lc_real._Exit)
		lc_real._Exit(final);
	for (;;)
		syscall(SYS_exit_group, final);
}
