/*
 * named_locks: AB-BA over two heap mutexes that the program names with
 * lockcheck_name().
 *
 * Pattern: a queue and a cache, each a malloc'ed struct with its mutex set
 * up by pthread_mutex_init, named "queue_lock" and "cache_lock" through
 * lib/lockcheck.h. Thread 1 locks the queue then the cache, thread 2 the
 * cache then the queue. Without the names both locks would be anonymous
 * (M<n>, told apart only by their creation site, which is one helper here).
 *
 * MUST REPORT: one lock-order-inversion over {queue_lock, cache_lock}, by
 * those names, verdict deadlock-possible (an error: exit status 66). Natively
 * lockcheck_name() does nothing (a weak reference, NULL without the shim),
 * which the native run proves.
 *
 * The run never hangs: thread 2 waits on a semaphore (not a lock) that
 * thread 1 posts after its section; both threads are alive throughout.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

#include "lockcheck.h"

struct box {
	pthread_mutex_t lock;
	int items;
};

static struct box *queue, *cache;
static sem_t first_done;

__attribute__((noinline)) struct box *box_new(const char *lock_name)
{
	struct box *b = calloc(1, sizeof(*b));

	if (!b)
		abort();
	pthread_mutex_init(&b->lock, NULL);
	lockcheck_name(&b->lock, lock_name);
	return b;
}

__attribute__((noinline)) void refill_cache_from_queue(void)
{
	pthread_mutex_lock(&queue->lock);
	pthread_mutex_lock(&cache->lock);
	cache->items++;
	pthread_mutex_unlock(&cache->lock);
	pthread_mutex_unlock(&queue->lock);
}

__attribute__((noinline)) void requeue_from_cache(void)
{
	pthread_mutex_lock(&cache->lock);
	pthread_mutex_lock(&queue->lock);
	queue->items++;
	pthread_mutex_unlock(&queue->lock);
	pthread_mutex_unlock(&cache->lock);
}

static void *thread1(void *arg)
{
	refill_cache_from_queue();
	sem_post(&first_done);
	return NULL;
}

static void *thread2(void *arg)
{
	sem_wait(&first_done);
	requeue_from_cache();
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;

	sem_init(&first_done, 0, 0);
	queue = box_new("queue_lock");
	cache = box_new("cache_lock");
	pthread_create(&t1, NULL, thread1, NULL);
	pthread_create(&t2, NULL, thread2, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("named_locks: queue %d, cache %d\n", queue->items, cache->items);
	pthread_mutex_destroy(&queue->lock);
	pthread_mutex_destroy(&cache->lock);
	free(queue);
	free(cache);
	return 0;
}
