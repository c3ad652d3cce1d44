/*
 * stress.h: what the stress programs (tests/stress/*.c) share: the size
 * switch, a per-thread random generator, deadlines and a fatal check.
 *
 * The programs are ordinary pthread programs, correct by POSIX, that must
 * behave identically with and without the shim: everything they print to
 * stdout is a deterministic function of their size (never of scheduling),
 * so a difference under the shim is a change in behaviour. Each takes its
 * size from LOCKCHECK_STRESS=quick|long (quick, the default, for `make
 * test`; long for `make stress`). Header-only: each program is built from
 * its one .c file, as a user would.
 */
#ifndef STRESS_H
#define STRESS_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 1 for LOCKCHECK_STRESS=long, 0 for quick (or unset); exits 2 on
 * anything else, so a typo does not silently run the small size. */
static inline int stress_long(void)
{
	const char *m = getenv("LOCKCHECK_STRESS");
	if (!m || !*m || strcmp(m, "quick") == 0)
		return 0;
	if (strcmp(m, "long") == 0)
		return 1;
	fprintf(stderr, "LOCKCHECK_STRESS must be quick or long, not '%s'\n", m);
	exit(2);
}

/* A failed check of the program's own logic: the run is wrong, say so and
 * exit 3 (a status the shim never uses). */
#define STRESS_CHECK(cond, ...)                                                \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, \
				__LINE__, #cond);                              \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
			exit(3);                                               \
		}                                                              \
	} while (0)

/* xorshift64*: a per-thread stream, so each thread's choices depend on its
 * seed alone, never on what other threads did. */
static inline uint64_t stress_rand(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static inline uint64_t stress_seed(unsigned id)
{
	return 0x9E3779B97F4A7C15ULL * (id + 1) | 1;
}

/* An absolute time `ns` from now on `clock` (the timed calls' deadlines). */
static inline struct timespec stress_after(clockid_t clock, long ns)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	ts.tv_nsec += ns;
	while (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

static inline long long stress_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
