/*
 * glib_double_lock: a thread locks a GMutex it already holds.
 *
 * A GMutex is not recursive: GLib's second g_mutex_lock sleeps on the
 * futex for ever (natively, this program hangs).
 *
 * MUST REPORT: a double-lock, written before the thread blocks; with
 * halt_on_error=1 the run ends with 66 instead of hanging.
 */
#include <glib.h>
#include <stdio.h>

GMutex config_lock;

__attribute__((noinline)) void reload_config(void)
{
	g_mutex_lock(&config_lock); /* the caller holds it already */
	g_mutex_unlock(&config_lock);
}

int main(void)
{
	g_mutex_init(&config_lock);
	g_mutex_lock(&config_lock);
	reload_config(); /* never returns natively */
	g_mutex_unlock(&config_lock);
	puts("glib_double_lock: not reached natively");
	return 0;
}
