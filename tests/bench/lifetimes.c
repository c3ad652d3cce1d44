/*
 * lifetimes.c ITERS THREADS: locks created, taken in random orders and
 * destroyed, again and again (in the style of ThreadSanitizer's deadlock
 * detector stress test, its Test18: four locks per thread locked nested,
 * unlocked, destroyed and made again, in a loop).
 *
 * Each of THREADS threads owns 4 mutexes in a small array and, per
 * iteration: locks all 4 nested in a random order (a new permutation each
 * time), unlocks them, destroys them and initialises them again. Every
 * 4th iteration the nest is taken under a long-lived lock `before`, and
 * every 4th (others) it takes a long-lived lock `after` innermost, so the
 * dying locks sit in the middle of the order before -> lock -> after (a
 * detector that keeps paths through dead locks has work to do; the order is
 * consistent, so nothing may be reported). Within one lifetime a lock set
 * is taken in one order only; across lifetimes the orders differ, so a
 * detector that merged instances into classes would report false cycles:
 * the run must stay silent.
 *
 * ns per op = per iteration of one thread (4 lifetimes), total work divided
 * by threads, so the cases compare across thread counts. A second thread
 * stays alive (bench.h).
 */
#include "bench.h"

#define LOCKS 4

static pthread_mutex_t before = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t after = PTHREAD_MUTEX_INITIALIZER;
static long iters;
static long work[64]; /* per thread: the program itself has no race */

static void *run(void *arg)
{
	pthread_mutex_t l[LOCKS];
	volatile long done = 0;
	uint64_t rng = 0x9E3779B97F4A7C15ull * (1 + (uintptr_t)arg);
	for (int i = 0; i < LOCKS; i++)
		pthread_mutex_init(&l[i], NULL);
	for (long it = 0; it < iters; it++) {
		int perm[LOCKS] = { 0, 1, 2, 3 };
		for (int i = LOCKS - 1; i > 0; i--) {
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			int j = (int)(rng % (uint64_t)(i + 1));
			int t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
		}
		int outer = it % 4 == 0, inner = it % 4 == 2;
		if (outer)
			pthread_mutex_lock(&before);
		for (int i = 0; i < LOCKS; i++)
			pthread_mutex_lock(&l[perm[i]]);
		if (inner)
			pthread_mutex_lock(&after);
		done++;
		if (inner)
			pthread_mutex_unlock(&after);
		for (int i = LOCKS - 1; i >= 0; i--)
			pthread_mutex_unlock(&l[perm[i]]);
		if (outer)
			pthread_mutex_unlock(&before);
		for (int i = 0; i < LOCKS; i++) {
			pthread_mutex_destroy(&l[i]);
			pthread_mutex_init(&l[i], NULL);
		}
	}
	for (int i = 0; i < LOCKS; i++)
		pthread_mutex_destroy(&l[i]);
	work[(uintptr_t)arg] = done;
	return NULL;
}

int main(int argc, char **argv)
{
	iters = bench_iters(argc, argv, 100000);
	int threads = argc > 2 ? atoi(argv[2]) : 1;
	if (threads < 1 || threads > 64) {
		fprintf(stderr, "lifetimes: THREADS is 1..64\n");
		return 2;
	}
	pthread_t t[64];
	bench_idle_start();
	double t0 = bench_now_ns();
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, run, (void *)(uintptr_t)i);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	double ns = (bench_now_ns() - t0) / ((double)iters * threads);
	bench_idle_stop();
	for (int i = 0; i < threads; i++)
		if (work[i] != iters)
			return 1;
	bench_report(ns);
	return 0;
}
