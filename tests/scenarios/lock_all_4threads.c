/*
 * lock_all_4threads: lockcheck_lock_all over random overlapping sets.
 *
 * Pattern: six mutexes, three global and three on the heap; three have ranks
 * (g_rank1 1, heap rank 2, g_rank3 3) and three are unranked. Four threads
 * each loop for about 1.2 seconds: pick 1 to 6 entries at random (with
 * replacement, so a set often lists a mutex twice) in random argument order,
 * lockcheck_lock_all them, bump the counter each one guards, then
 * lockcheck_unlock_all. Every call takes its set in the one global order
 * (rank, then address; duplicates once), whatever the argument order, so
 * the threads contend but can never deadlock.
 *
 * MUST STAY SILENT: no inversion (every edge follows the one order), no
 * order-violation (ranked locks in rank order, unranked ones free), no
 * double-lock (a duplicate is locked once), and no hang. The counters prove
 * mutual exclusion: what the threads counted locally adds up to the shared
 * counts (the same output natively and under the shim).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lockcheck.h"

#define N_LOCKS 6
#define N_THREADS 4
#define RUN_NS 1200000000LL

pthread_mutex_t g_rank1 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_rank3 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_free = PTHREAD_MUTEX_INITIALIZER;

static pthread_mutex_t *locks[N_LOCKS];
static long shared[N_LOCKS];  /* shared[i] is guarded by locks[i] */
static long counted[N_THREADS][N_LOCKS];
static long long deadline;

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

__attribute__((noinline)) static void one_round(int self, unsigned *seed)
{
	pthread_mutex_t *set[N_LOCKS];
	int idx[N_LOCKS], n = 1 + rand_r(seed) % N_LOCKS;
	for (int i = 0; i < n; i++) {
		idx[i] = rand_r(seed) % N_LOCKS; /* duplicates allowed */
		set[i] = locks[idx[i]];
	}
	lockcheck_lock_all(set, (size_t)n);
	for (int i = 0; i < N_LOCKS; i++) {
		int listed = 0;
		for (int j = 0; j < n; j++)
			listed |= idx[j] == i;
		if (listed) {
			shared[i]++;
			counted[self][i]++;
		}
	}
	lockcheck_unlock_all(set, (size_t)n);
}

static void *worker(void *arg)
{
	int self = (int)(long)arg;
	unsigned seed = 12345u + 777u * (unsigned)self;
	while (now_ns() < deadline)
		for (int i = 0; i < 64; i++)
			one_round(self, &seed);
	return NULL;
}

int main(void)
{
	pthread_t t[N_THREADS];
	pthread_mutex_t *heap = malloc(3 * sizeof(*heap));
	static const char *const heap_names[3] = {"heap_rank2", "heap_free_a",
						  "heap_free_b"};

	if (!heap)
		return 1;
	for (int i = 0; i < 3; i++) {
		pthread_mutex_init(&heap[i], NULL);
		lockcheck_name(&heap[i], heap_names[i]);
	}
	locks[0] = &g_rank1;
	locks[1] = &g_rank3;
	locks[2] = &g_free;
	locks[3] = &heap[0];
	locks[4] = &heap[1];
	locks[5] = &heap[2];
	lockcheck_rank(&g_rank1, 1);
	lockcheck_rank(&heap[0], 2);
	lockcheck_rank(&g_rank3, 3);

	deadline = now_ns() + RUN_NS;
	for (long i = 0; i < N_THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < N_THREADS; i++)
		pthread_join(t[i], NULL);

	int ok = 1;
	for (int i = 0; i < N_LOCKS; i++) {
		long sum = 0;
		for (int j = 0; j < N_THREADS; j++)
			sum += counted[j][i];
		ok &= sum == shared[i] && sum > 0;
	}
	printf("lock_all_4threads: %s\n", ok ? "counts agree" : "COUNTS DIFFER");
	for (int i = 0; i < 3; i++)
		pthread_mutex_destroy(&heap[i]);
	free(heap);
	return ok ? 0 : 1;
}
