/* pair_spin.c ITERS: ns per uncontended pthread_spin lock/unlock pair,
 * nothing else held, a second thread alive. */
#include "bench.h"

static pthread_spinlock_t s;

int main(int argc, char **argv)
{
	long iters = bench_iters(argc, argv, 20000000);
	pthread_spin_init(&s, PTHREAD_PROCESS_PRIVATE);
	bench_idle_start();
	double t0 = bench_now_ns();
	for (long i = 0; i < iters; i++) {
		pthread_spin_lock(&s);
		pthread_spin_unlock(&s);
	}
	double ns = (bench_now_ns() - t0) / iters;
	bench_idle_stop();
	pthread_spin_destroy(&s);
	bench_report(ns);
	return 0;
}
