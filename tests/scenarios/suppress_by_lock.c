/*
 * suppress_by_lock: two AB-BA inversions, one over locks that a suppression
 * file names (suppress_by_lock.supp).
 *
 * Pattern: stats_hits_lock/stats_miss_lock are inverted by record_hit() and
 * record_miss(); index_lock/store_lock by index_then_store() and
 * store_then_index(); threads 1 and 2 make one side of each. The
 * suppression file's rule `lock-order-inversion:stats_????_lock` matches the
 * first pair's lock names (a glob: '?' is exactly one character). Its other
 * rules are traps that must suppress nothing: `double-lock:index_lock` names
 * a lock of the second cycle but another kind, `*:index_lock?` needs one
 * character more than "index_lock" has (patterns are anchored, '?' is not
 * optional), `*:no_such_lock_or_function` matches nothing.
 *
 * MUST REPORT: exactly one lock-order-inversion, over {index_lock,
 * store_lock}, deadlock-possible (an error: exit status 66), and
 * "suppressed":1 in the end event. MUST STAY SILENT: the stats cycle. No
 * function or module name matches stats_????_lock.
 *
 * The run never hangs: thread 2 waits on a semaphore (not a lock) that
 * thread 1 posts after both its sections; both threads are alive throughout.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_mutex_t stats_hits_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t stats_miss_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t index_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t first_done;
static int hits, misses, stored;

__attribute__((noinline)) void record_hit(void)
{
	pthread_mutex_lock(&stats_hits_lock);
	pthread_mutex_lock(&stats_miss_lock);
	hits++;
	pthread_mutex_unlock(&stats_miss_lock);
	pthread_mutex_unlock(&stats_hits_lock);
}

__attribute__((noinline)) void record_miss(void)
{
	pthread_mutex_lock(&stats_miss_lock);
	pthread_mutex_lock(&stats_hits_lock);
	misses++;
	pthread_mutex_unlock(&stats_hits_lock);
	pthread_mutex_unlock(&stats_miss_lock);
}

__attribute__((noinline)) void index_then_store(void)
{
	pthread_mutex_lock(&index_lock);
	pthread_mutex_lock(&store_lock);
	stored++;
	pthread_mutex_unlock(&store_lock);
	pthread_mutex_unlock(&index_lock);
}

__attribute__((noinline)) void store_then_index(void)
{
	pthread_mutex_lock(&store_lock);
	pthread_mutex_lock(&index_lock);
	stored++;
	pthread_mutex_unlock(&index_lock);
	pthread_mutex_unlock(&store_lock);
}

static void *thread1(void *arg)
{
	record_hit();
	index_then_store();
	sem_post(&first_done);
	return NULL;
}

static void *thread2(void *arg)
{
	sem_wait(&first_done);
	record_miss();
	store_then_index();
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;

	sem_init(&first_done, 0, 0);
	pthread_create(&t1, NULL, thread1, NULL);
	pthread_create(&t2, NULL, thread2, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("suppress_by_lock: hits=%d misses=%d stored=%d\n", hits, misses,
	       stored);
	return 0;
}
