/*
 * scale_chains: 10,000 distinct lock chains in one thread
 * (tests/real/scale_chains.sh).
 *
 * 200 named mutexes c000..c199. The main thread takes N_CHAINS distinct
 * chains (held sequences of 2..6 locks, made by a fixed pseudo-random
 * generator, each taken in ascending index order: one consistent order, so
 * no cycle), nested, and releases each in reverse. Every chain is taken
 * twice (two passes over the list), so most acquisitions repeat one already
 * seen. The number of distinct chains is well above the shim's per-thread
 * chain cache, so the cache evicts, and a chain it forgot is looked up again.
 *
 * Modes (argv[1]):
 *   clean   only the chains: no finding expected.
 *   invert  then, last, the same thread takes INV_HI then INV_LO (INV_LO ->
 *           INV_HI is an edge the chains made): one lock-order inversion,
 *           in one thread (verdict single-thread).
 *
 * Output (stdout, the same natively and under the shim): the number of
 * distinct chains, the number of distinct edges (ordered pairs taken
 * nested), whether INV_LO -> INV_HI was among them, a checksum.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "lockcheck.h"

#define N_LOCKS 200
#define N_CHAINS 10000
#define MAX_LEN 6
#define INV_LO 20
#define INV_HI 150

static pthread_mutex_t locks[N_LOCKS];
static unsigned char chains[N_CHAINS][MAX_LEN];
static unsigned char chain_len[N_CHAINS];
static unsigned char edge_seen[N_LOCKS][N_LOCKS];
static uint64_t rng = 0x2545F4914F6CDD1Dull;
static unsigned long checksum;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

/* Open-addressing set of chains, to keep them distinct. */
#define SET_SLOTS 32768
static uint64_t set[SET_SLOTS];

static int add_chain(const unsigned char *c, int n)
{
	uint64_t h = 1469598103934665603ull;
	for (int i = 0; i < n; i++)
		h = (h ^ c[i]) * 1099511628211ull;
	h = (h ^ (uint64_t)n) | 1;
	for (uint32_t i = (uint32_t)h & (SET_SLOTS - 1);; i = (i + 1) & (SET_SLOTS - 1)) {
		if (set[i] == h)
			return 0; /* (a 64-bit hash: equal means equal here) */
		if (set[i] == 0) {
			set[i] = h;
			return 1;
		}
	}
}

static int cmp_uc(const void *a, const void *b)
{
	return *(const unsigned char *)a - *(const unsigned char *)b;
}

__attribute__((noinline)) static void take_chain(const unsigned char *c, int n)
{
	for (int i = 0; i < n; i++)
		pthread_mutex_lock(&locks[c[i]]);
	checksum = checksum * 31 + c[n - 1];
	for (int i = n - 1; i >= 0; i--)
		pthread_mutex_unlock(&locks[c[i]]);
}

__attribute__((noinline)) static void take_inverted(void)
{
	pthread_mutex_lock(&locks[INV_HI]);
	pthread_mutex_lock(&locks[INV_LO]);
	checksum++;
	pthread_mutex_unlock(&locks[INV_LO]);
	pthread_mutex_unlock(&locks[INV_HI]);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "clean";
	int invert = strcmp(mode, "invert") == 0;
	if (!invert && strcmp(mode, "clean") != 0) {
		fprintf(stderr, "usage: scale_chains clean|invert\n");
		return 2;
	}
	for (int i = 0; i < N_LOCKS; i++) {
		char name[8];
		pthread_mutex_init(&locks[i], NULL);
		snprintf(name, sizeof name, "c%03d", i);
		lockcheck_name(&locks[i], name);
	}

	/* The chains: 2..6 distinct locks, sorted (ascending = the order). */
	int made = 0;
	while (made < N_CHAINS) {
		unsigned char c[MAX_LEN];
		int n = 2 + (int)(next_rand() % (MAX_LEN - 1));
		for (int i = 0; i < n; i++) {
			int dup;
			do {
				c[i] = (unsigned char)(next_rand() % N_LOCKS);
				dup = 0;
				for (int k = 0; k < i; k++)
					dup |= c[k] == c[i];
			} while (dup);
		}
		qsort(c, (size_t)n, 1, cmp_uc);
		if (!add_chain(c, n))
			continue;
		memcpy(chains[made], c, (size_t)n);
		chain_len[made] = (unsigned char)n;
		for (int i = 0; i < n; i++)
			for (int k = i + 1; k < n; k++)
				edge_seen[c[i]][c[k]] = 1;
		made++;
	}
	/* Make sure the pair to invert is an edge. */
	if (!edge_seen[INV_LO][INV_HI]) {
		unsigned char c[2] = { INV_LO, INV_HI };
		take_chain(c, 2);
		edge_seen[INV_LO][INV_HI] = 1;
	}
	/* The edge set, as a count and an order-free hash (sum of one
	 * multiplicative hash per edge; scale_chains.sh computes the same from
	 * the graph event). */
	long edges = 0;
	uint64_t edge_hash = 0;
	for (int i = 0; i < N_LOCKS; i++)
		for (int k = 0; k < N_LOCKS; k++)
			if (edge_seen[i][k]) {
				edges++;
				edge_hash += ((uint64_t)(i * N_LOCKS + k) + 1) *
					     0x9E3779B97F4A7C15ull;
			}

	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < N_CHAINS; i++)
			take_chain(chains[i], chain_len[i]);
	if (invert)
		take_inverted();

	printf("scale_chains %s: %d distinct chains over %d locks, 2 passes\n",
	       mode, made, N_LOCKS);
	printf("distinct edges: %ld, hash %016llx\n", edges,
	       (unsigned long long)edge_hash);
	printf("inverted c%03d -> c%03d: %s\n", INV_HI, INV_LO, invert ? "yes" : "no");
	printf("checksum: %lu\n", checksum);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "scale_chains: peak_rss_kb=%ld\n", ru.ru_maxrss);
	return 0;
}
