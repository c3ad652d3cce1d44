/*
 * glib_real_deadlock: an AB-BA over two GMutexes that really deadlocks.
 *
 * Thread 1 locks lock_a, thread 2 locks lock_b, both meet (a GCond count
 * under a third GMutex, released before the second lock), then each asks
 * for the other's lock. Natively this hangs forever in GLib's futex wait.
 *
 * MUST REPORT before the hang: the inversion (written when the second
 * thread asks, before it blocks), and with halt_on_error=1 the process ends
 * with status 66 instead of hanging. The blocked g_mutex_lock waits in the
 * shim's slices (preload/glib.c), so the wait-for graph sees both threads.
 */
#include <glib.h>
#include <stdio.h>

GMutex lock_a;
GMutex lock_b;
static GMutex meet_lock;
static GCond meet_cond;
static int arrived;

static void meet(void)
{
	g_mutex_lock(&meet_lock);
	arrived++;
	g_cond_broadcast(&meet_cond);
	while (arrived < 2)
		g_cond_wait(&meet_cond, &meet_lock);
	g_mutex_unlock(&meet_lock);
}

__attribute__((noinline)) void hold_then_want(GMutex *held, GMutex *wanted)
{
	g_mutex_lock(held);
	meet();
	g_mutex_lock(wanted); /* never returns natively */
	g_mutex_unlock(wanted);
	g_mutex_unlock(held);
}

static gpointer thread1(gpointer arg)
{
	hold_then_want(&lock_a, &lock_b);
	return NULL;
}

static gpointer thread2(gpointer arg)
{
	hold_then_want(&lock_b, &lock_a);
	return NULL;
}

int main(void)
{
	GThread *t1 = g_thread_new("one", thread1, NULL);
	GThread *t2 = g_thread_new("two", thread2, NULL);
	g_thread_join(t1);
	g_thread_join(t2);
	puts("glib deadlock: not reached natively");
	return 0;
}
