/*
 * scale_threads: 1,000 threads over one run, in waves, with one planted
 * AB-BA inversion late in the run (tests/real/scale_threads.sh).
 *
 * The main thread runs WAVES waves of WAVE_SIZE threads: it creates the
 * threads of a wave, then joins them all, so at most WAVE_SIZE threads (plus
 * main) are alive at once, and by the last waves hundreds of threads have
 * come and gone: the shim's thread records are recycled many times.
 *
 * Every worker names itself ("w<n>"), then takes three of the eight shared
 * locks shared_0..shared_7, nested, always in ascending index order (a
 * consistent order: no cycle), bumps a counter under them, and releases them
 * in reverse order. Each lock has its own counter, so the totals printed at
 * the end are deterministic.
 *
 * Modes (argv[1]):
 *   clean     nothing else: no finding expected.
 *   plant     in wave PLANT_WAVE (after 850 threads have ended), two extra
 *             threads of that wave, "plant-ab" and "plant-ba", take
 *             plant_a then plant_b, and plant_b then plant_a. plant-ba waits
 *             on semaphores (not locks) until plant-ab and the workers of
 *             its wave are done with their locks, so the run never hangs,
 *             but they are all alive at once and unordered by create/join:
 *             a deadlock-possible inversion over {plant_a, plant_b}.
 *   shared    the same two extra threads, but the inverted pair is
 *             shared_2 and shared_5, which the hundreds of workers before
 *             (and beside) them take as shared_2 -> shared_5: plant-ab's
 *             shared_2 -> shared_5 is one more context of a well-worn edge.
 *             Still a deadlock-possible inversion over {shared_2, shared_5}:
 *             without plant-ba's wait for the workers of its wave, this
 *             mode really deadlocks now and then (a worker holds shared_2
 *             and waits for shared_5, plant-ba the reverse).
 *   early     shared_2/shared_5 again, but plant-ab is created at the start
 *             of wave EARLY_WAVE (after some 20 workers made shared_2 ->
 *             shared_5) and joined only at the very end, and plant-ba runs
 *             alone between waves PLANT_WAVE - 1 and PLANT_WAVE (created,
 *             then joined, before that wave's workers). The one acquisition
 *             of shared_2 -> shared_5 unordered with plant-ba's is
 *             plant-ab's, made hundreds of threads before: a long-lived
 *             thread against a late one. A deadlock-possible inversion over
 *             {shared_2, shared_5}, with plant-ab and plant-ba.
 *
 * Output (stdout): the same natively and under the shim.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "lockcheck.h"

#define WAVES 20
#define WAVE_SIZE 50
#define PLANT_WAVE 17
#define EARLY_WAVE 6
#define N_SHARED 8

static pthread_mutex_t shared[N_SHARED];
static long shared_count[N_SHARED];
static pthread_mutex_t plant_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t plant_b = PTHREAD_MUTEX_INITIALIZER;
static long plant_count;
static sem_t ab_done;   /* plant-ab's section is over */
static sem_t wave_done; /* posted by each worker of PLANT_WAVE when done */
static pthread_mutex_t *inv_first, *inv_second;
static int early; /* mode early */
static int ordered; /* mode ordered */

/* The three shared locks worker n takes, ascending. */
static void pick(int n, int idx[3])
{
	int a = n % 6;                /* 0..5 */
	int b = a + 1 + (n / 6) % (6 - a);  /* a+1..6 */
	int c = b + 1 + (n / 36) % (7 - b); /* b+1..7 */
	idx[0] = a;
	idx[1] = b;
	idx[2] = c;
}

static void *worker(void *arg)
{
	int n = (int)(long)arg;
	char name[16];
	snprintf(name, sizeof name, "w%d", n);
	pthread_setname_np(pthread_self(), name);
	int idx[3];
	pick(n, idx);
	for (int rep = 0; rep < 3; rep++) {
		for (int k = 0; k < 3; k++)
			pthread_mutex_lock(&shared[idx[k]]);
		for (int k = 0; k < 3; k++)
			shared_count[idx[k]]++;
		for (int k = 2; k >= 0; k--)
			pthread_mutex_unlock(&shared[idx[k]]);
	}
	if (ordered) {
		/* plant_a -> plant_b in the first half of the run, the
		 * reverse in the second: every pair of opposite acquisitions
		 * is ordered by the joins between the waves. */
		pthread_mutex_t *first = n < WAVES * WAVE_SIZE / 2 ? &plant_a : &plant_b;
		pthread_mutex_t *second = first == &plant_a ? &plant_b : &plant_a;
		pthread_mutex_lock(first);
		pthread_mutex_lock(second);
		plant_count++;
		pthread_mutex_unlock(second);
		pthread_mutex_unlock(first);
	}
	if (n / WAVE_SIZE == PLANT_WAVE)
		sem_post(&wave_done);
	return NULL;
}

__attribute__((noinline)) static void take_first_then_second(void)
{
	pthread_mutex_lock(inv_first);
	pthread_mutex_lock(inv_second);
	plant_count++;
	pthread_mutex_unlock(inv_second);
	pthread_mutex_unlock(inv_first);
}

__attribute__((noinline)) static void take_second_then_first(void)
{
	pthread_mutex_lock(inv_second);
	pthread_mutex_lock(inv_first);
	plant_count++;
	pthread_mutex_unlock(inv_first);
	pthread_mutex_unlock(inv_second);
}

static void *plant_ab(void *arg)
{
	pthread_setname_np(pthread_self(), "plant-ab");
	take_first_then_second();
	sem_post(&ab_done);
	return NULL;
}

static void *plant_ba(void *arg)
{
	pthread_setname_np(pthread_self(), "plant-ba");
	/* Semaphores, not locks: the shim sees no order between the threads. */
	sem_wait(&ab_done);
	for (int i = 0; !early && i < WAVE_SIZE; i++)
		sem_wait(&wave_done);
	take_second_then_first();
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "clean";
	int plant;
	if (strcmp(mode, "clean") == 0) {
		plant = 0;
	} else if (strcmp(mode, "plant") == 0) {
		plant = 1;
		inv_first = &plant_a;
		inv_second = &plant_b;
	} else if (strcmp(mode, "shared") == 0 || strcmp(mode, "early") == 0) {
		plant = 1;
		early = mode[0] == 'e';
		inv_first = &shared[2];
		inv_second = &shared[5];
	} else if (strcmp(mode, "ordered") == 0) {
		plant = 0;
		ordered = 1;
	} else {
		fprintf(stderr, "usage: scale_threads clean|plant|shared|early|ordered\n");
		return 2;
	}

	for (int i = 0; i < N_SHARED; i++) {
		char name[16];
		pthread_mutex_init(&shared[i], NULL);
		snprintf(name, sizeof name, "shared_%d", i);
		lockcheck_name(&shared[i], name);
	}
	lockcheck_name(&plant_a, "plant_a");
	lockcheck_name(&plant_b, "plant_b");
	sem_init(&ab_done, 0, 0);
	sem_init(&wave_done, 0, 0);

	int created = 0, workers = 0;
	pthread_t t[WAVE_SIZE + 2], ab;
	for (int w = 0; w < WAVES; w++) {
		int n = 0;
		if (early && w == EARLY_WAVE) {
			/* Joined only at the very end. */
			if (pthread_create(&ab, NULL, plant_ab, NULL))
				return 1;
			created++;
		}
		if (early && w == PLANT_WAVE) {
			/* Alone: no worker is alive beside it. */
			if (pthread_create(&t[0], NULL, plant_ba, NULL))
				return 1;
			pthread_join(t[0], NULL);
			created++;
		}
		for (int i = 0; i < WAVE_SIZE; i++, n++) {
			int rc = pthread_create(&t[n], NULL, worker,
						(void *)(long)workers++);
			created++;
			if (rc != 0) {
				fprintf(stderr, "pthread_create: %s\n", strerror(rc));
				return 1;
			}
		}
		if (plant && !early && w == PLANT_WAVE) {
			if (pthread_create(&t[n++], NULL, plant_ab, NULL) ||
			    pthread_create(&t[n++], NULL, plant_ba, NULL)) {
				fprintf(stderr, "pthread_create failed\n");
				return 1;
			}
			created += 2;
		}
		for (int i = 0; i < n; i++)
			pthread_join(t[i], NULL);
	}
	if (early)
		pthread_join(ab, NULL);

	printf("scale_threads %s: %d threads in %d waves\n", mode, created, WAVES);
	for (int i = 0; i < N_SHARED; i++)
		printf("shared_%d: %ld\n", i, shared_count[i]);
	printf("planted sections: %ld\n", plant_count);
	/* How many workers took each ordered pair (deterministic). */
	for (int i = 0; i < N_SHARED; i++)
		for (int j = i + 1; j < N_SHARED; j++) {
			int n = 0;
			for (int k = 0; k < WAVES * WAVE_SIZE; k++) {
				int idx[3];
				pick(k, idx);
				n += (idx[0] == i || idx[1] == i || idx[2] == i) &&
				     (idx[0] == j || idx[1] == j || idx[2] == j);
			}
			printf("pair shared_%d shared_%d: %d workers\n", i, j, n);
		}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "scale_threads: peak_rss_kb=%ld\n", ru.ru_maxrss);
	return 0;
}
