/*
 * graph.c ITERS NLOCKS: NLOCKS heap mutexes (each its own malloc), taken
 * ITERS times in random pairs, always in address order (lower address
 * first), so every new pair is a new lock-order edge and no cycle ever
 * forms. ns per op = per acquisition pair (lock lo, lock hi, unlock hi,
 * unlock lo, plus a cheap PRNG step that every build pays alike). Setup
 * (allocation, init) is not timed; it counts in the peak RSS.
 * "dense" is NLOCKS=1000, "many" is 100,000 or 1,000,000.
 *
 * graph.c ITERS NLOCKS edges: prints only the number of distinct pairs
 * (lock-order edges) that run makes, for the memory target (make bench:
 * bytes per edge), from the same random sequence; no locks are made.
 */
#include "bench.h"

#include <string.h>

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The pair of iteration i as lock indices (lower, higher), as main takes
 * them (addresses are allocated in index order, so the lower address is
 * the lower index almost always; the count is of index pairs). */
static void count_edges(long iters, long n)
{
	uint64_t *keys = malloc((size_t)iters * sizeof *keys);
	if (!keys)
		exit(1);
	uint64_t rs = 0x9e3779b97f4a7c15ull;
	for (long i = 0; i < iters; i++) {
		uint64_t r = bench_rand(&rs);
		uint64_t a = (r & 0xffffffff) % n, b = (r >> 32) % n;
		if (a == b)
			b = ((r >> 32) + 1) % n;
		keys[i] = a < b ? a << 32 | b : b << 32 | a;
	}
	qsort(keys, (size_t)iters, sizeof *keys, cmp_u64);
	long distinct = 0;
	for (long i = 0; i < iters; i++)
		distinct += i == 0 || keys[i] != keys[i - 1];
	printf("%ld\n", distinct);
	free(keys);
}

int main(int argc, char **argv)
{
	long iters = bench_iters(argc, argv, 2000000);
	long n = argc > 2 ? atol(argv[2]) : 1000;
	if (n < 2)
		n = 2;
	if (argc > 3 && !strcmp(argv[3], "edges")) {
		count_edges(iters, n);
		return 0;
	}
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
