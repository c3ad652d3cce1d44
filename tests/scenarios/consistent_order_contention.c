/*
 * consistent_order_contention: four threads, one lock order, heavy contention.
 *
 * Pattern: four threads each take lock_a, then lock_b, then lock_c, always
 * in that order, 25,000 times each (100,000 acquisitions of the chain in
 * all), and release in reverse. The threads really contend (no pacing), so
 * the waits and the interleavings are many, but every thread agrees on
 * A < B < C and the graph has no cycle.
 *
 * MUST STAY SILENT: findings 0. Guards against a detector that confuses
 * contention (waiting) with inversion, or loses held-set state under load.
 */
#include <pthread.h>
#include <stdio.h>

#define THREADS 4
#define ITERS 25000

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_c = PTHREAD_MUTEX_INITIALIZER;
static long count_a, count_b, count_c;

__attribute__((noinline)) void take_a_b_c(void)
{
	pthread_mutex_lock(&lock_a);
	count_a++;
	pthread_mutex_lock(&lock_b);
	count_b++;
	pthread_mutex_lock(&lock_c);
	count_c++;
	pthread_mutex_unlock(&lock_c);
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
}

static void *worker(void *arg)
{
	int i;

	for (i = 0; i < ITERS; i++)
		take_a_b_c();
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	int i;

	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	printf("consistent_order_contention: %ld %ld %ld\n", count_a, count_b,
	       count_c);
	return 0;
}
