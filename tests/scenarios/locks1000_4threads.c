/*
 * locks1000_4threads: many locks, many distinct edges, one global order.
 *
 * Pattern: an array of 1,000 mutexes (bucket_locks) and four threads. Each
 * thread, 5,000 times, picks 2 or 3 distinct random indices (from its own
 * deterministic generator, seeded by thread number), locks them in increasing
 * index order, updates the buckets, and unlocks in reverse. Tens of
 * thousands of distinct edges appear, in no particular first-seen order, but
 * every edge goes from a lower index to a higher one, so the graph is acyclic.
 *
 * MUST STAY SILENT: findings 0. Guards against a graph that gives up, caps
 * or forgets silently under many locks and edges, or whose incremental order
 * maintenance invents a cycle when edges arrive out of creation order. (The
 * bucket locks all share one symbol, bucket_locks, so they must be kept apart
 * by address, not by name.)
 */
#include <pthread.h>
#include <stdio.h>

#define NLOCKS 1000
#define THREADS 4
#define ITERS 5000

static pthread_mutex_t bucket_locks[NLOCKS];
static long bucket_hits[NLOCKS];

/* Park-Miller minimal standard generator: deterministic everywhere. */
static unsigned next_rand(unsigned *state)
{
	*state = (unsigned)((unsigned long long)*state * 48271u % 2147483647u);
	return *state;
}

static void sort_small(int *v, int n)
{
	int i, j, t;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

__attribute__((noinline)) void lock_sorted(const int *idx, int n)
{
	int i;

	for (i = 0; i < n; i++)
		pthread_mutex_lock(&bucket_locks[idx[i]]);
	for (i = 0; i < n; i++)
		bucket_hits[idx[i]]++;
	for (i = n - 1; i >= 0; i--)
		pthread_mutex_unlock(&bucket_locks[idx[i]]);
}

static void *worker(void *arg)
{
	unsigned state = 12345u + 1000u * (unsigned)(long)arg;
	int idx[3], n, i, j, dup;

	for (i = 0; i < ITERS; i++) {
		n = 2 + (int)(next_rand(&state) % 2);
		for (j = 0; j < n; j++) {
			do {
				idx[j] = (int)(next_rand(&state) % NLOCKS);
				dup = (j > 0 && idx[j] == idx[0]) ||
				      (j > 1 && idx[j] == idx[1]);
			} while (dup);
		}
		sort_small(idx, n);
		lock_sorted(idx, n);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	long total = 0, weighted = 0;
	int i;

	for (i = 0; i < NLOCKS; i++)
		pthread_mutex_init(&bucket_locks[i], NULL);
	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)(long)i);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < NLOCKS; i++) {
		total += bucket_hits[i];
		weighted += bucket_hits[i] * i;
		pthread_mutex_destroy(&bucket_locks[i]);
	}
	printf("locks1000_4threads: %ld acquisitions, checksum %ld\n", total,
	       weighted);
	return 0;
}
