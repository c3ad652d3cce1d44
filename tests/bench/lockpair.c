/*
 * lockpair.c: ns per uncontended lock/unlock pair, the shim's hot path.
 *
 * Two cases: "flat" (lock/unlock one mutex, nothing else held: the first rung
 * of the ladder) and "nested" (lock/unlock B while holding A: a held sequence
 * seen before, answered by the chain cache). A second thread stays alive,
 * blocked in read(2), because glibc's mutex is cheaper in a single-threaded
 * process and that baseline would flatter nobody. Prints one line per case:
 * "<case> <ns per pair>".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t inner = PTHREAD_MUTEX_INITIALIZER;
static int wake[2];

static void *idle_thread(void *arg)
{
	char c;
	ssize_t n = read(wake[0], &c, 1);
	(void)n;
	return NULL;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 20000000;
	pthread_t idle;
	if (pipe(wake) != 0 || pthread_create(&idle, NULL, idle_thread, NULL))
		return 1;

	double t0 = now_ns();
	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(&inner);
		pthread_mutex_unlock(&inner);
	}
	double flat = (now_ns() - t0) / iters;

	pthread_mutex_lock(&outer);
	t0 = now_ns();
	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(&inner);
		pthread_mutex_unlock(&inner);
	}
	double nested = (now_ns() - t0) / iters;
	pthread_mutex_unlock(&outer);

	printf("flat %.2f\nnested %.2f\n", flat, nested);
	ssize_t n = write(wake[1], "x", 1);
	(void)n;
	pthread_join(idle, NULL);
	return 0;
}
