/* pair_rwlock_read.c ITERS: ns per uncontended pthread_rwlock rdlock/unlock
 * pair, nothing else held, a second thread alive. */
#include "bench.h"

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;

int main(int argc, char **argv)
{
	long iters = bench_iters(argc, argv, 20000000);
	bench_idle_start();
	double t0 = bench_now_ns();
	for (long i = 0; i < iters; i++) {
		pthread_rwlock_rdlock(&rw);
		pthread_rwlock_unlock(&rw);
	}
	double ns = (bench_now_ns() - t0) / iters;
	bench_idle_stop();
	bench_report(ns);
	return 0;
}
