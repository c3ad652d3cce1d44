/*
 * scale_held: 1,000 locks held at once by one thread
 * (tests/real/scale_held.sh).
 *
 * N_LOCKS named mutexes h0000..h0999 in one static array. The main thread
 * takes all of them in index order (holding up to 1,000 at once: every lock
 * taken makes an edge from each one already held), then releases them in
 * reverse order.
 *
 * Modes (argv[1]):
 *   clean    only that: no finding expected.
 *   reverse  a second thread, created before (so unordered with the main
 *            thread's acquisitions) and waiting on a semaphore until the
 *            main thread has released everything, takes h0700 then h0300:
 *            the reverse of the edge h0300 -> h0700 made while 1,000 locks
 *            were held, a deadlock-possible cycle of two locks.
 *
 * Output (stdout, the same natively and under the shim): counts and a sum.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "lockcheck.h"

#define N_LOCKS 1000
#define REV_LO 300
#define REV_HI 700

static pthread_mutex_t locks[N_LOCKS];
static long counts[N_LOCKS];
static sem_t released;

__attribute__((noinline)) static void take_all(void)
{
	for (int i = 0; i < N_LOCKS; i++) {
		pthread_mutex_lock(&locks[i]);
		counts[i]++;
	}
	for (int i = N_LOCKS - 1; i >= 0; i--)
		pthread_mutex_unlock(&locks[i]);
}

__attribute__((noinline)) static void take_reversed(void)
{
	pthread_mutex_lock(&locks[REV_HI]);
	pthread_mutex_lock(&locks[REV_LO]);
	counts[REV_LO] += 100;
	pthread_mutex_unlock(&locks[REV_LO]);
	pthread_mutex_unlock(&locks[REV_HI]);
}

static void *reverser(void *arg)
{
	sem_wait(&released);
	take_reversed();
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "clean";
	int reverse = strcmp(mode, "reverse") == 0;
	if (!reverse && strcmp(mode, "clean") != 0) {
		fprintf(stderr, "usage: scale_held clean|reverse\n");
		return 2;
	}
	for (int i = 0; i < N_LOCKS; i++) {
		char name[8];
		pthread_mutex_init(&locks[i], NULL);
		snprintf(name, sizeof name, "h%04d", i);
		lockcheck_name(&locks[i], name);
	}
	sem_init(&released, 0, 0);
	pthread_t t;
	if (reverse && pthread_create(&t, NULL, reverser, NULL) != 0)
		return 1;
	take_all();
	if (reverse) {
		sem_post(&released);
		pthread_join(t, NULL);
	}
	long sum = 0;
	for (int i = 0; i < N_LOCKS; i++)
		sum += counts[i] * (i + 1);
	printf("scale_held %s: %d locks held at once, released in reverse%s\n",
	       mode, N_LOCKS, reverse ? "; then h0700 -> h0300" : "");
	printf("sum: %ld\n", sum);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "scale_held: peak_rss_kb=%ld\n", ru.ru_maxrss);
	return 0;
}
