/* pair_mutex.c ITERS: ns per uncontended pthread_mutex lock/unlock pair,
 * nothing else held, a second thread alive (see lockpair.c). */
#include "bench.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main(int argc, char **argv)
{
	long iters = bench_iters(argc, argv, 20000000);
	bench_idle_start();
	double t0 = bench_now_ns();
	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(&m);
		pthread_mutex_unlock(&m);
	}
	double ns = (bench_now_ns() - t0) / iters;
	bench_idle_stop();
	bench_report(ns);
	return 0;
}
