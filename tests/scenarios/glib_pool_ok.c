/*
 * glib_pool_ok: ordinary GLib threading that must stay clean (a trap).
 *
 * A GThreadPool of 4 workers handles 2,000 jobs. Each job takes a
 * GRecMutex twice (recursive), a GRWLock for reading, then the G_LOCK'd
 * statistics (a static GMutex) inside it; every tenth job takes the
 * GRWLock for writing instead. Results go through a GAsyncQueue to the
 * main thread, which waits for the last one with g_cond_wait_until on a
 * GMutex-protected count. One order everywhere; GLib's own locks (the
 * pool's, the queue's) are inside libglib and unseen; the GRecMutex and
 * GRWLock are pthread locks inside GLib, seen as such.
 *
 * MUST NOT REPORT anything.
 */
#include <glib.h>
#include <stdio.h>

G_LOCK_DEFINE_STATIC(stats);
static long stats_jobs;
static GRecMutex registry_lock;
static GRWLock table_lock;
static long table_value;
static GMutex done_lock;
static GCond done_cond;
static int done;
static GAsyncQueue *results;

static void count_job(void)
{
	G_LOCK(stats);
	stats_jobs++;
	G_UNLOCK(stats);
}

static void job(gpointer data, gpointer user_data)
{
	long n = GPOINTER_TO_INT(data);
	g_rec_mutex_lock(&registry_lock);
	g_rec_mutex_lock(&registry_lock);
	if (n % 10 == 0) {
		g_rw_lock_writer_lock(&table_lock);
		table_value += n;
		count_job();
		g_rw_lock_writer_unlock(&table_lock);
	} else {
		g_rw_lock_reader_lock(&table_lock);
		count_job();
		g_rw_lock_reader_unlock(&table_lock);
	}
	g_rec_mutex_unlock(&registry_lock);
	g_rec_mutex_unlock(&registry_lock);
	g_async_queue_push(results, GINT_TO_POINTER(n));
	g_mutex_lock(&done_lock);
	done++;
	g_cond_signal(&done_cond);
	g_mutex_unlock(&done_lock);
}

int main(void)
{
	const int jobs = 2000;
	results = g_async_queue_new();
	GThreadPool *pool = g_thread_pool_new(job, NULL, 4, TRUE, NULL);
	for (int i = 0; i < jobs; i++)
		g_thread_pool_push(pool, GINT_TO_POINTER(i + 1), NULL);
	g_mutex_lock(&done_lock);
	while (done < jobs) {
		gint64 until = g_get_monotonic_time() + G_TIME_SPAN_SECOND;
		g_cond_wait_until(&done_cond, &done_lock, until);
	}
	g_mutex_unlock(&done_lock);
	long sum = 0;
	for (int i = 0; i < jobs; i++)
		sum += GPOINTER_TO_INT(g_async_queue_pop(results));
	g_thread_pool_free(pool, FALSE, TRUE);
	g_async_queue_unref(results);
	printf("glib_pool_ok: jobs=%ld sum=%ld table=%ld\n", stats_jobs, sum,
	       table_value);
	return 0;
}
