/*
 * graph.c ITERS NLOCKS: NLOCKS heap mutexes (each its own malloc), taken
 * ITERS times in random pairs, always in address order (lower address
 * first), so every new pair is a new lock-order edge and no cycle ever
 * forms. ns per op = per acquisition pair (lock lo, lock hi, unlock hi,
 * unlock lo, plus a cheap PRNG step that every build pays alike). Setup
 * (allocation, init) is not timed; it counts in the peak RSS.
 * "dense" is NLOCKS=1000, "many" is 100,000 or 1,000,000.
 */
#include "bench.h"

int main(int argc, char **argv)
{
	long iters = bench_iters(argc, argv, 2000000);
	long n = argc > 2 ? atol(argv[2]) : 1000;
	if (n < 2)
		n = 2;
	pthread_mutex_t **m = malloc(n * sizeof *m);
	if (!m)
		return 1;
	for (long i = 0; i < n; i++) {
		m[i] = malloc(sizeof **m);
		if (!m[i])
			return 1;
		pthread_mutex_init(m[i], NULL);
	}
	bench_idle_start();
	uint64_t rs = 0x9e3779b97f4a7c15ull;
	double t0 = bench_now_ns();
	for (long i = 0; i < iters; i++) {
		uint64_t r = bench_rand(&rs);
		pthread_mutex_t *a = m[(r & 0xffffffff) % n];
		pthread_mutex_t *b = m[(r >> 32) % n];
		if (a == b)
			b = m[((r >> 32) + 1) % n];
		if (a > b) {
			pthread_mutex_t *t = a;
			a = b;
			b = t;
		}
		pthread_mutex_lock(a);
		pthread_mutex_lock(b);
		pthread_mutex_unlock(b);
		pthread_mutex_unlock(a);
	}
	double ns = (bench_now_ns() - t0) / iters;
	bench_idle_stop();
	bench_report(ns);
	for (long i = 0; i < n; i++) {
		pthread_mutex_destroy(m[i]);
		free(m[i]);
	}
	free(m);
	return 0;
}
