/*
 * contended.c ITERS THREADS: THREADS threads share 2 mutexes; thread t takes
 * mutex (i + t) % 2 on iteration i, bumps a counter under it, releases it.
 * ns per op = wall time of the loop / (ITERS * THREADS): the inverse of
 * total throughput, one op being one lock/unlock pair.
 */
#include "bench.h"

static pthread_mutex_t m[2] = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};
static volatile long counter[2];
static long iters;
static pthread_barrier_t start;

static void *worker(void *arg)
{
	long t = (long)arg;
	pthread_barrier_wait(&start);
	for (long i = 0; i < iters; i++) {
		int k = (int)((i + t) & 1);
		pthread_mutex_lock(&m[k]);
		counter[k]++;
		pthread_mutex_unlock(&m[k]);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	iters = bench_iters(argc, argv, 2000000);
	int threads = argc > 2 ? atoi(argv[2]) : 4;
	if (threads < 1 || threads > 64)
		threads = 4;
	pthread_t t[64];
	pthread_barrier_init(&start, NULL, threads + 1);
	for (long i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	/* clock first: no worker can start before main reaches the barrier */
	double t0 = bench_now_ns();
	pthread_barrier_wait(&start);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	double ns = (bench_now_ns() - t0) / ((double)iters * threads);
	if (counter[0] + counter[1] != iters * threads)
		return 1;
	bench_report(ns);
	return 0;
}
