/*
 * suppress_by_function: two AB-BA inversions, one of them inside a function
 * that a suppression file names (suppress_by_function.supp).
 *
 * Pattern: ledger_lock/journal_lock are inverted inside legacy_transfer()
 * (thread 1 transfers ledger -> journal, thread 2 journal -> ledger);
 * queue_lock/cache_lock are inverted in fill_cache() and drain_cache()
 * (threads 1 and 2 again). The suppression file holds, besides comments and
 * blank lines, the rule `lock-order-inversion:legacy_*` (a glob matched
 * against every function in the finding's stacks) and one malformed line (no
 * ':'), which must cost one warning on stderr and nothing else: the other
 * rules still apply and the program runs on, its stdout unchanged.
 *
 * MUST REPORT: exactly one lock-order-inversion, over {queue_lock,
 * cache_lock}, deadlock-possible (an error: exit status 66); the legacy
 * cycle is not written at all, and the end event says "suppressed":1 (so the
 * legacy cycle was found and then suppressed, not missed). MUST STAY SILENT:
 * the legacy cycle, although it is just as deadlock-possible. No function,
 * lock or module outside legacy_transfer matches legacy_*.
 *
 * The run never hangs: thread 2 waits on a semaphore (not a lock) that
 * thread 1 posts after both its sections; both threads are alive throughout.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_mutex_t ledger_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t journal_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t first_done;
static int moved, cached;

__attribute__((noinline)) void legacy_transfer(pthread_mutex_t *from,
					       pthread_mutex_t *to)
{
	pthread_mutex_lock(from);
	pthread_mutex_lock(to);
	moved++;
	pthread_mutex_unlock(to);
	pthread_mutex_unlock(from);
}

__attribute__((noinline)) void fill_cache(void)
{
	pthread_mutex_lock(&queue_lock);
	pthread_mutex_lock(&cache_lock);
	cached++;
	pthread_mutex_unlock(&cache_lock);
	pthread_mutex_unlock(&queue_lock);
}

__attribute__((noinline)) void drain_cache(void)
{
	pthread_mutex_lock(&cache_lock);
	pthread_mutex_lock(&queue_lock);
	cached--;
	pthread_mutex_unlock(&queue_lock);
	pthread_mutex_unlock(&cache_lock);
}

static void *thread1(void *arg)
{
	legacy_transfer(&ledger_lock, &journal_lock);
	fill_cache();
	sem_post(&first_done);
	return NULL;
}

static void *thread2(void *arg)
{
	sem_wait(&first_done);
	legacy_transfer(&journal_lock, &ledger_lock);
	drain_cache();
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
	printf("suppress_by_function: moved=%d cached=%d\n", moved, cached);
	return 0;
}
