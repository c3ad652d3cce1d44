/*
 * scale_edges: 100,000 edges in the lock-order graph, then one that closes a
 * cycle (tests/real/scale_edges.sh).
 *
 * N_LOCKS mutexes in one heap array (so address order is index order),
 * initialised in a shuffled order (so the shim's creation order, its first
 * guess at the lock order, is wrong and its incremental topological order
 * has to move nodes). The main thread takes the nested pairs
 * (locks[i], locks[i + d]) for every d in 1..MAX_GAP and every i: always the
 * lower address first, one consistent order, MAX_GAP * N_LOCKS -
 * MAX_GAP * (MAX_GAP + 1) / 2 distinct edges (100,329).
 *
 * Modes (argv[1]):
 *   clean    only that: no finding expected.
 *   reverse  a second thread, created before the pairs are taken (so
 *            unordered with them) and waiting on a semaphore until they are
 *            done, takes locks[REV_HI] then locks[REV_LO] (named rev_hi,
 *            rev_lo): the one reversed pair, a deadlock-possible cycle.
 *
 * The locks are not destroyed: they live until exit, so the exit graph
 * event has every edge (see the comment at the end of main).
 *
 * Output (stdout, the same natively and under the shim): the counts and a
 * checksum. On stderr: the array's base address and element size, which
 * scale_edges.sh uses to map the graph's lock addresses to indices.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "lockcheck.h"

#define N_LOCKS 1000
#define MAX_GAP 106
#define REV_LO 500
#define REV_HI 560

static pthread_mutex_t *locks;
static long counts[N_LOCKS];
static sem_t pairs_done;

__attribute__((noinline)) static void take_pair(int lo, int hi)
{
	pthread_mutex_lock(&locks[lo]);
	pthread_mutex_lock(&locks[hi]);
	counts[lo]++;
	counts[hi] += 2;
	pthread_mutex_unlock(&locks[hi]);
	pthread_mutex_unlock(&locks[lo]);
}

__attribute__((noinline)) static void take_reversed(void)
{
	pthread_mutex_lock(&locks[REV_HI]);
	pthread_mutex_lock(&locks[REV_LO]);
	counts[REV_LO] += 1000;
	pthread_mutex_unlock(&locks[REV_LO]);
	pthread_mutex_unlock(&locks[REV_HI]);
}

static void *reverser(void *arg)
{
	sem_wait(&pairs_done);
	take_reversed();
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "clean";
	int reverse = strcmp(mode, "reverse") == 0;
	if (!reverse && strcmp(mode, "clean") != 0) {
		fprintf(stderr, "usage: scale_edges clean|reverse\n");
		return 2;
	}
	locks = malloc(sizeof(*locks) * N_LOCKS);
	if (!locks)
		return 1;
	/* Initialise in a shuffled order (xorshift, fixed seed). */
	int order[N_LOCKS];
	uint64_t rng = 0x9E3779B97F4A7C15ull;
	for (int i = 0; i < N_LOCKS; i++)
		order[i] = i;
	for (int i = N_LOCKS - 1; i > 0; i--) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		int j = (int)(rng % (uint64_t)(i + 1));
		int t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (int i = 0; i < N_LOCKS; i++)
		pthread_mutex_init(&locks[order[i]], NULL);
	lockcheck_name(&locks[REV_LO], "rev_lo");
	lockcheck_name(&locks[REV_HI], "rev_hi");
	fprintf(stderr, "scale_edges: base=%p size=%zu\n", (void *)locks,
		sizeof(*locks));

	sem_init(&pairs_done, 0, 0);
	pthread_t t;
	if (reverse && pthread_create(&t, NULL, reverser, NULL) != 0)
		return 1;
	long pairs = 0;
	for (int d = 1; d <= MAX_GAP; d++)
		for (int i = 0; i + d < N_LOCKS; i++, pairs++)
			take_pair(i, i + d);
	if (reverse) {
		sem_post(&pairs_done);
		pthread_join(t, NULL);
	}

	/* The locks live until exit: the exit graph event lists the edges of
	 * live locks one by one (a destroyed lock's edges are summarised by
	 * class, which would fold this one-class array into one entry). */
	long sum = 0;
	for (int i = 0; i < N_LOCKS; i++)
		sum = sum * 7 + counts[i];
	printf("scale_edges %s: %d locks, %ld distinct pairs (gaps 1..%d)%s\n",
	       mode, N_LOCKS, pairs, MAX_GAP,
	       reverse ? ", then rev_hi -> rev_lo" : "");
	printf("checksum: %ld\n", sum);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "scale_edges: peak_rss_kb=%ld\n", ru.ru_maxrss);
	return 0;
}
