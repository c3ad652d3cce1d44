/*
 * churn.c ITERS MODE: lock create/destroy churn under a long-lived outer lock.
 * The main thread holds one outer mutex for the whole timed loop and on each
 * iteration makes a short-lived mutex, locks it, unlocks it and destroys it:
 *   MODE "static": the mutex is one of 8 slots of a static array
 *     (pthread_mutex_init / lock / unlock / destroy at slot i % 8), so the
 *     same 8 addresses are reused over and over by new locks;
 *   MODE "heap": it is malloc'd and freed each time (malloc / init / lock /
 *     unlock / destroy / free), so the allocator hands the addresses back.
 * Every iteration is a new lock taken under the outer one: a detector keyed
 * by address must forget a destroyed lock (its edges, its held-with history)
 * or it would both grow without bound and mistake the next lock at that
 * address for the old one. The case measures that create/destroy path plus
 * one first edge per lock; the peak RSS shows whether anything leaks.
 * ns per op = per iteration. A second thread stays alive (bench.h).
 */
#include "bench.h"
#include <string.h>

#define SLOTS 8
static pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t slot[SLOTS];
static volatile long work;

int main(int argc, char **argv)
{
	long iters = bench_iters(argc, argv, 1000000);
	int heap = argc > 2 && strcmp(argv[2], "heap") == 0;
	if (argc > 2 && !heap && strcmp(argv[2], "static") != 0) {
		fprintf(stderr, "churn: MODE is static or heap\n");
		return 2;
	}
	bench_idle_start();
	double t0 = bench_now_ns();
	pthread_mutex_lock(&outer);
	for (long i = 0; i < iters; i++) {
		pthread_mutex_t *m = heap ? malloc(sizeof *m) : &slot[i % SLOTS];
		if (!m)
			return 1;
		pthread_mutex_init(m, NULL);
		pthread_mutex_lock(m);
		work++;
		pthread_mutex_unlock(m);
		pthread_mutex_destroy(m);
		if (heap)
			free(m);
	}
	pthread_mutex_unlock(&outer);
	double ns = (bench_now_ns() - t0) / iters;
	bench_idle_stop();
	if (work != iters)
		return 1;
	bench_report(ns);
	return 0;
}
