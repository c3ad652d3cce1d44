/*
 * deadlock_rwlock_mutex: a writer and a reader deadlock across a rwlock and
 * a mutex.
 *
 * Pattern: the "writer" thread write-locks table_rw, the "stats" thread
 * locks stats_lock; both meet at a barrier; then the writer asks for
 * stats_lock and the stats thread asks to READ-lock table_rw. A read lock
 * waits for a writer, so each waits for the other: natively this hangs.
 *
 * MUST REPORT: one `deadlock` (error) over exactly {table_rw, stats_lock}.
 * Guards the conflict rule of the wait-for graph: a read wait is blocked by
 * a write hold (only read against read is not). The order cycle table_rw
 * <-> stats_lock, written first, is suppressed by deadlock_rwlock_mutex.supp
 * so that the deadlock is the error that halts (exit 66, within 3 s).
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <pthread.h>
#include <stdio.h>

pthread_rwlock_t table_rw = PTHREAD_RWLOCK_INITIALIZER;
pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;
static long rows, stats;

__attribute__((noinline)) void update_table_then_stats(void)
{
	pthread_rwlock_wrlock(&table_rw);
	rows++;
	pthread_barrier_wait(&both_hold_one);
	pthread_mutex_lock(&stats_lock); /* never returns natively */
	stats++;
	pthread_mutex_unlock(&stats_lock);
	pthread_rwlock_unlock(&table_rw);
}

__attribute__((noinline)) void stats_then_read_table(void)
{
	pthread_mutex_lock(&stats_lock);
	pthread_barrier_wait(&both_hold_one);
	pthread_rwlock_rdlock(&table_rw); /* never returns natively */
	stats = rows;
	pthread_rwlock_unlock(&table_rw);
	pthread_mutex_unlock(&stats_lock);
}

static void *writer(void *arg)
{
	update_table_then_stats();
	return NULL;
}

static void *stats_thread(void *arg)
{
	stats_then_read_table();
	return NULL;
}

int main(void)
{
	pthread_t w, s;
	pthread_barrier_init(&both_hold_one, NULL, 2);
	pthread_create(&w, NULL, writer, NULL);
	pthread_create(&s, NULL, stats_thread, NULL);
	pthread_join(w, NULL);
	pthread_join(s, NULL);
	printf("deadlock_rwlock_mutex: not reached natively, %ld\n", stats);
	return 0;
}
