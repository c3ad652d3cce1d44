/*
 * rwlock_mostly.c ITERS THREADS NLOCKS WRITE_PCT: THREADS threads share
 * NLOCKS (default 4) pthread rwlocks; on each iteration a thread picks one
 * with the shared PRNG and takes it for writing WRITE_PCT percent of the time
 * (default 5), for reading otherwise, then reads or bumps that lock's
 * counter. This is the read-mostly pattern rwlocks exist for (a config map,
 * a routing table): readers share the lock, so the detector's per-acquire
 * cost is paid on many cores at once and any lock of its own that readers
 * must take shows up as lost read parallelism.
 * ns per op = wall time of the loop / (ITERS * THREADS), one op one
 * acquire/release (either mode). Writes are counted and checked at exit,
 * so a lost update (a broken rwlock under a tool) fails the run.
 */
#include "bench.h"

#define MAX_LOCKS 64
static pthread_rwlock_t rw[MAX_LOCKS];
static long value[MAX_LOCKS];
static long iters, writes_done[64];
static int nlocks = 4, write_pct = 5;
static pthread_barrier_t start;

static void *worker(void *arg)
{
	long t = (long)arg, writes = 0;
	volatile long sink = 0;
	/* per-thread seed: the threads do not walk the locks in lock step */
	uint64_t rs = 0x9e3779b97f4a7c15ull ^ (uint64_t)(t + 1) * 0xbf58476d1ce4e5b9ull;
	pthread_barrier_wait(&start);
	for (long i = 0; i < iters; i++) {
		uint64_t r = bench_rand(&rs);
		int k = (int)((r & 0xffff) % (uint64_t)nlocks);
		if ((int)((r >> 16) % 100) < write_pct) {
			pthread_rwlock_wrlock(&rw[k]);
			value[k]++;
			pthread_rwlock_unlock(&rw[k]);
			writes++;
		} else {
			pthread_rwlock_rdlock(&rw[k]);
			sink += value[k];
			pthread_rwlock_unlock(&rw[k]);
		}
	}
	writes_done[t] = writes;
	(void)sink;
	return NULL;
}

int main(int argc, char **argv)
{
	iters = bench_iters(argc, argv, 2000000);
	int threads = argc > 2 ? atoi(argv[2]) : 4;
	if (threads < 1 || threads > 64)
		threads = 4;
	nlocks = argc > 3 ? atoi(argv[3]) : 4;
	if (nlocks < 1 || nlocks > MAX_LOCKS)
		nlocks = 4;
	write_pct = argc > 4 ? atoi(argv[4]) : 5;
	if (write_pct < 0 || write_pct > 100)
		write_pct = 5;
	for (int k = 0; k < nlocks; k++)
		pthread_rwlock_init(&rw[k], NULL);
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
	long want = 0, got = 0;
	for (int i = 0; i < threads; i++)
		want += writes_done[i];
	for (int k = 0; k < nlocks; k++) {
		got += value[k];
		pthread_rwlock_destroy(&rw[k]);
	}
	if (got != want) {
		fprintf(stderr, "rwlock_mostly: %ld writes made, %ld counted\n", want, got);
		return 1;
	}
	bench_report(ns);
	return 0;
}
