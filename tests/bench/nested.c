/*
 * nested.c ITERS THREADS DEPTH: each of THREADS threads takes its own DEPTH
 * mutexes (1..16, default 4) in a consistent order and releases them in
 * reverse, ITERS times. ns per op = wall time of the loop / (ITERS * THREADS),
 * one op being the whole depth-DEPTH acquire/release sequence, so depths
 * compare as "cost of holding D locks at once", not per lock. The locks are
 * each thread's own: the case measures the bookkeeping of held locks and
 * known edges (every edge is learned once, then only looked up), not
 * contention. With one worker the idle thread keeps the process
 * multi-threaded.
 */
#include "bench.h"

#define MAX_DEPTH 16
static long iters;
static int depth = 4;
static pthread_barrier_t start;

static void *worker(void *arg)
{
	pthread_mutex_t m[MAX_DEPTH];
	for (int d = 0; d < depth; d++)
		pthread_mutex_init(&m[d], NULL);
	pthread_barrier_wait(&start);
	for (long i = 0; i < iters; i++) {
		for (int d = 0; d < depth; d++)
			pthread_mutex_lock(&m[d]);
		for (int d = depth - 1; d >= 0; d--)
			pthread_mutex_unlock(&m[d]);
	}
	for (int d = 0; d < depth; d++)
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
	depth = argc > 3 ? atoi(argv[3]) : 4;
	if (depth < 1 || depth > MAX_DEPTH)
		depth = 4;
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
