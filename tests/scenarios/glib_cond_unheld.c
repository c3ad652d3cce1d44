/*
 * glib_cond_unheld: g_cond_wait with a GMutex the thread does not hold.
 *
 * GLib releases the mutex inside the wait; on an unheld GMutex its unlock
 * prints "Attempt to unlock mutex that was not locked" and aborts the
 * program. The shim models the wait (preload/glib.c) and checks it before
 * GLib's call.
 *
 * MUST REPORT: cond-wait-unheld over queue_lock, before GLib aborts; with
 * halt_on_error=1 the run ends with 66 instead of SIGABRT. (Natively, the
 * abort is caught and the program ends with status 3, so that the native
 * run is an ordinary failure rather than a crash.)
 */
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static void on_abort(int sig)
{
	_exit(3);
}

GMutex queue_lock;
GCond queue_cond;

__attribute__((noinline)) void wait_for_work(void)
{
	/* Forgot g_mutex_lock (&queue_lock). */
	g_cond_wait(&queue_cond, &queue_lock);
}

int main(void)
{
	signal(SIGABRT, on_abort);
	wait_for_work();
	puts("glib_cond_unheld: not reached");
	return 0;
}
