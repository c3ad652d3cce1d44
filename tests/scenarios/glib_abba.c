/*
 * glib_abba: the AB-BA inversion over two GLib GMutexes, in threads made
 * with g_thread_new.
 *
 * On Linux a GMutex is a futex of GLib's own, never a pthread mutex: the
 * shim sees it through its g_mutex_* interposers (preload/glib.c). Thread 1
 * locks lock_a then lock_b; thread 2, once thread 1 is done (told through a
 * GCond, waited with g_cond_wait on a third GMutex it releases before its
 * own section), locks lock_b then lock_a.
 *
 * MUST REPORT: one lock-order-inversion over {lock_a, lock_b}, verdict
 * deadlock-possible, with both stacks (take_a_then_b; take_b_then_a, called
 * back from GLib's g_list_foreach, whose name the stack shows). The GCond
 * wait is clean: the gate mutex is held alone.
 */
#include <glib.h>
#include <stdio.h>

GMutex lock_a; /* zero-filled statics: no g_mutex_init needed */
GMutex lock_b;
static GMutex gate;
static GCond first_done_cond;
static int first_done, counter;

__attribute__((noinline)) void take_a_then_b(void)
{
	g_mutex_lock(&lock_a);
	g_mutex_lock(&lock_b);
	counter++;
	g_mutex_unlock(&lock_b);
	g_mutex_unlock(&lock_a);
}

__attribute__((noinline)) void take_b_then_a(void)
{
	g_mutex_lock(&lock_b);
	g_mutex_lock(&lock_a);
	counter++;
	g_mutex_unlock(&lock_a);
	g_mutex_unlock(&lock_b);
}

static gpointer thread1(gpointer arg)
{
	take_a_then_b();
	g_mutex_lock(&gate);
	first_done = 1;
	g_cond_signal(&first_done_cond);
	g_mutex_unlock(&gate);
	return NULL;
}

static void each_job(gpointer job, gpointer user_data)
{
	take_b_then_a();
}

static gpointer thread2(gpointer arg)
{
	g_mutex_lock(&gate);
	while (!first_done)
		g_cond_wait(&first_done_cond, &gate);
	g_mutex_unlock(&gate);
	/* Through a GLib function: its name is in the stack. */
	GList *jobs = g_list_append(NULL, &counter);
	g_list_foreach(jobs, each_job, NULL);
	g_list_free(jobs);
	return NULL;
}

int main(void)
{
	GThread *t1 = g_thread_new("first", thread1, NULL);
	GThread *t2 = g_thread_new("second", thread2, NULL);
	g_thread_join(t1);
	g_thread_join(t2);
	printf("glib_abba: counter=%d\n", counter);
	return 0;
}
