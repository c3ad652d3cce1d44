/*
 * bench.h: shared helpers of the microbenchmarks in tests/bench/ (used by
 * tests/bench/run, "make bench"). Each benchmark times only its own loop and
 * prints one line: "<ns per op> <peak RSS in KB>", the RSS from
 * getrusage(RUSAGE_SELF).ru_maxrss at exit (under Valgrind that is the whole
 * tool process, which is what a user pays).
 *
 * bench_idle_start() keeps a second thread alive, blocked in read(2): glibc's
 * mutex is cheaper while a process has one thread, and that baseline would
 * flatter nobody.
 */
#ifndef BENCH_H
#define BENCH_H
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static int bench_wake[2];
static pthread_t bench_idle;

static inline void *bench_idle_thread(void *arg)
{
	char c;
	ssize_t n = read(bench_wake[0], &c, 1);
	(void)n;
	(void)arg;
	return NULL;
}

static inline void bench_idle_start(void)
{
	if (pipe(bench_wake) != 0 || pthread_create(&bench_idle, NULL, bench_idle_thread, NULL)) {
		perror("bench: idle thread");
		exit(1);
	}
}

static inline void bench_idle_stop(void)
{
	ssize_t n = write(bench_wake[1], "x", 1);
	(void)n;
	pthread_join(bench_idle, NULL);
}

static inline double bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static inline long bench_iters(int argc, char **argv, long dflt)
{
	long n = argc > 1 ? atol(argv[1]) : dflt;
	return n > 0 ? n : 1;
}

static inline void bench_report(double ns_per_op)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("%.2f %ld\n", ns_per_op, ru.ru_maxrss);
	fflush(stdout);
}

/* xorshift64: the same pseudo-random sequence in every build and tool. */
static inline uint64_t bench_rand(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}
#endif
