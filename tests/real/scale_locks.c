/*
 * scale_locks: 1,000,000 locks in one process (tests/real/scale_locks.sh).
 *
 * N_LOCKS objects on the heap (one malloc each), each with a mutex:
 * pthread_mutex_init, then each is locked and unlocked once. Then N_PAIRS
 * nested pairs, outer_<k> -> inner_<k>, over locks spread across the whole
 * range (the last pair uses the last two locks made), named with
 * lockcheck_name; each pair is its own two locks, always taken outer first:
 * no cycle. Then every mutex is destroyed and freed.
 *
 * Output (stdout, the same natively and under the shim): the counts, a sum
 * over the objects, and each pair's two locks by their place in the order
 * of creation (0-based).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "lockcheck.h"

#define N_LOCKS 1000000
#define N_PAIRS 16

struct obj {
	pthread_mutex_t lock;
	long value;
};

static struct obj **objs;

__attribute__((noinline)) static void take_pair(struct obj *outer, struct obj *inner)
{
	pthread_mutex_lock(&outer->lock);
	pthread_mutex_lock(&inner->lock);
	outer->value += 10;
	inner->value += 100;
	pthread_mutex_unlock(&inner->lock);
	pthread_mutex_unlock(&outer->lock);
}

int main(void)
{
	objs = malloc(sizeof(*objs) * N_LOCKS);
	if (!objs)
		return 1;
	for (long i = 0; i < N_LOCKS; i++) {
		objs[i] = malloc(sizeof(struct obj));
		if (!objs[i] || pthread_mutex_init(&objs[i]->lock, NULL) != 0) {
			fprintf(stderr, "scale_locks: out of memory at %ld\n", i);
			return 1;
		}
		objs[i]->value = 0;
	}
	for (long i = 0; i < N_LOCKS; i++) {
		pthread_mutex_lock(&objs[i]->lock);
		objs[i]->value++;
		pthread_mutex_unlock(&objs[i]->lock);
	}

	/* Pair k: two distinct locks, spread over the range; the last pair is
	 * the last two locks made. */
	long outer[N_PAIRS], inner[N_PAIRS];
	for (int k = 0; k < N_PAIRS; k++) {
		outer[k] = (long)k * (N_LOCKS / N_PAIRS) + k;
		inner[k] = outer[k] + 31337 + k;
	}
	outer[N_PAIRS - 1] = N_LOCKS - 2;
	inner[N_PAIRS - 1] = N_LOCKS - 1;
	for (int k = 0; k < N_PAIRS; k++) {
		char name[32];
		snprintf(name, sizeof name, "outer_%d", k);
		lockcheck_name(&objs[outer[k]]->lock, name);
		snprintf(name, sizeof name, "inner_%d", k);
		lockcheck_name(&objs[inner[k]]->lock, name);
	}
	for (int rep = 0; rep < 2; rep++)
		for (int k = 0; k < N_PAIRS; k++)
			take_pair(objs[outer[k]], objs[inner[k]]);

	long sum = 0;
	for (long i = 0; i < N_LOCKS; i++) {
		sum += objs[i]->value;
		pthread_mutex_destroy(&objs[i]->lock);
		free(objs[i]);
	}
	free(objs);
	printf("scale_locks: %d locks, each locked once, %d nested pairs twice\n",
	       N_LOCKS, N_PAIRS);
	printf("sum: %ld\n", sum);
	for (int k = 0; k < N_PAIRS; k++)
		printf("pair %d: outer_%d is lock %ld, inner_%d is lock %ld\n", k,
		       k, outer[k], k, inner[k]);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "scale_locks: peak_rss_kb=%ld\n", ru.ru_maxrss);
	return 0;
}
