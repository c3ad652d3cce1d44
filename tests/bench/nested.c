/*
 * nested.c ITERS THREADS: each of THREADS threads takes its own 4 mutexes in
 * a consistent order (depth 4) and releases them in reverse, ITERS times.
 * ns per op = wall time of the loop / (ITERS * THREADS), one op being the
 * whole depth-4 acquire/release sequence. With one worker the idle thread
 * keeps the process multi-threaded.
 */
#include "bench.h"

#define DEPTH 4
static long iters;
static pthread_barrier_t start;

static void *worker(void *arg)
{
	pthread_mutex_t m[DEPTH];
	for (int d = 0; d < DEPTH; d++)
		pthread_mutex_init(&m[d], NULL);
	pthread_barrier_wait(&start);
	for (long i = 0; i < iters; i++) {
		for (int d = 0; d < DEPTH; d++)
			pthread_mutex_lock(&m[d]);
		for (int d = DEPTH - 1; d >= 0; d--)
			pthread_mutex_unlock(&m[d]);
	}
	for (int d = 0; d < DEPTH; d++)
		pthread_mutex_destroy(&m[d]);
	(void)arg;
	return NULL;
}

int main(int argc, char **argv)
{
	iters = bench_iters(argc, argv, 5000000);
	int threads = argc > 2 ? atoi(argv[2]) : 1;
	if (threads < 1 || threads > 64)
		threads = 1;
	pthread_t t[64];
	bench_idle_start();
	pthread_barrier_init(&start, NULL, threads + 1);
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	/* clock first: no worker can start before main reaches the barrier */
	double t0 = bench_now_ns();
	pthread_barrier_wait(&start);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	double ns = (bench_now_ns() - t0) / ((double)iters * threads);
	bench_idle_stop();
	bench_report(ns);
	return 0;
}
