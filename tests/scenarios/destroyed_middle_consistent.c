/*
 * destroyed_middle_consistent (a trap): per-request locks that sit in the
 * middle of the lock order and die, under and over long-lived locks, in one
 * consistent order.
 *
 * Four workers, 2,000 requests each: outer -> request lock (made, taken,
 * destroyed, freed) -> inner, and on every fourth request outer -> inner
 * directly. Each dead request lock leaves the bypass outer -> inner, which
 * agrees with the direct edge. A fifth thread takes inner alone.
 *
 * MUST STAY SILENT: no cycle exists in any order the program uses; a bypass
 * through a dead lock must not invent one, nor must the many dead instances
 * of one class.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define WORKERS 4
#define REQUESTS 2000

static pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t inner = PTHREAD_MUTEX_INITIALIZER;
static long served, direct;

struct request {
	pthread_mutex_t lock;
	long value;
};

__attribute__((noinline)) static void serve(long i)
{
	struct request *r = malloc(sizeof *r);
	if (!r)
		abort();
	pthread_mutex_init(&r->lock, NULL);
	pthread_mutex_lock(&outer);
	pthread_mutex_lock(&r->lock);
	pthread_mutex_lock(&inner);
	r->value = i;
	served++;
	pthread_mutex_unlock(&inner);
	pthread_mutex_unlock(&r->lock);
	if (i % 4 == 0) {
		pthread_mutex_lock(&inner);
		direct++;
		pthread_mutex_unlock(&inner);
	}
	pthread_mutex_unlock(&outer);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

static void *worker(void *arg)
{
	for (long i = 0; i < REQUESTS; i++)
		serve(i);
	return NULL;
}

static void *reader(void *arg)
{
	for (int i = 0; i < REQUESTS; i++) {
		pthread_mutex_lock(&inner);
		pthread_mutex_unlock(&inner);
	}
	return NULL;
}

int main(void)
{
	pthread_t th[WORKERS + 1];
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&th[i], NULL, worker, NULL);
	pthread_create(&th[WORKERS], NULL, reader, NULL);
	for (int i = 0; i <= WORKERS; i++)
		pthread_join(th[i], NULL);
	printf("destroyed_middle_consistent: served %ld, direct %ld\n", served,
	       direct);
	return 0;
}
