/*
 * capacity: drives the checker past each of its limits while the program
 * must go on exactly as it would natively (tests/real/capacity.sh).
 *
 * Each mode reaches one limit, then checks its own results (every lock still
 * excludes, every count is right) and prints a line that does not depend on
 * the checker. Then, except in `memory`, where the checker has no room left
 * to learn anything, two threads make an AB-BA inversion on fresh locks: it
 * must still be reported, since reaching a limit degrades what is kept, not
 * whether the checker checks (lockdep turns itself off; this must not).
 *
 *   held      one thread holds 1,100 mutexes at once (the held stack is 1,024)
 *   cycle     a lock-order cycle through 300 locks (cycles are followed to 256)
 *   contexts  one edge A -> B taken under 1,100 different gate locks (an edge
 *             keeps 1,024 contexts)
 *   memory    with max_memory_mb=32: 300,000 locks, each nested under a
 *             long-lived one, and 64 threads; the arena runs out
 *   clock     main creates and joins 1,100 threads one after another, so its
 *             create/join clock names more threads than the 1,024 it keeps
 *   chain     70 threads wait on each other in a line (each holds its own
 *             lock and waits for the next thread's) for a while, then the
 *             last lets go: a wait-for chain longer than the 64 followed
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long shared_count;

static void lock_all(pthread_mutex_t *m, int n)
{
	for (int i = 0; i < n; i++)
		pthread_mutex_lock(&m[i]);
}

static void unlock_all(pthread_mutex_t *m, int n)
{
	for (int i = n; i-- > 0;)
		pthread_mutex_unlock(&m[i]);
}

static pthread_mutex_t *make_mutexes(int n)
{
	pthread_mutex_t *m = calloc((size_t)n, sizeof *m);
	if (!m)
		exit(2);
	for (int i = 0; i < n; i++)
		pthread_mutex_init(&m[i], NULL);
	return m;
}

/* Every mutex must still exclude: trylock of a held one fails. */
static int check_held_excludes(pthread_mutex_t *m, int n)
{
	int bad = 0;
	for (int i = 0; i < n; i++)
		if (pthread_mutex_trylock(&m[i]) == 0) {
			bad++;
			pthread_mutex_unlock(&m[i]);
		}
	return bad;
}

typedef struct lock_set {
	pthread_mutex_t *m;
	int n;
} lock_set;

static void *try_from_other_thread(void *arg)
{
	lock_set *set = arg;
	return (void *)(long)check_held_excludes(set->m, set->n);
}

static void mode_held(void)
{
	enum { N = 1100 };
	lock_set set = { make_mutexes(N), N };
	for (int round = 0; round < 3; round++) {
		lock_all(set.m, N);
		pthread_t t;
		void *bad;
		pthread_create(&t, NULL, try_from_other_thread, &set);
		pthread_join(t, &bad);
		shared_count += N;
		unlock_all(set.m, N);
		printf("held round %d: %d locks held, %ld taken by another "
		       "thread\n", round, N, (long)bad);
	}
}

static void mode_cycle(void)
{
	enum { N = 300 };
	pthread_mutex_t *m = make_mutexes(N);
	/* m[i] -> m[i+1] for every i, then m[N-1] -> m[0]: one cycle. */
	for (int i = 0; i + 1 < N; i++) {
		pthread_mutex_lock(&m[i]);
		pthread_mutex_lock(&m[i + 1]);
		shared_count++;
		pthread_mutex_unlock(&m[i + 1]);
		pthread_mutex_unlock(&m[i]);
	}
	pthread_mutex_lock(&m[N - 1]);
	pthread_mutex_lock(&m[0]);
	shared_count++;
	pthread_mutex_unlock(&m[0]);
	pthread_mutex_unlock(&m[N - 1]);
	printf("cycle: %d locks, %ld sections\n", N, shared_count);
}

static void mode_contexts(void)
{
	enum { N = 1100 };
	pthread_mutex_t *gate = make_mutexes(N);
	pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
	for (int i = 0; i < N; i++) {
		pthread_mutex_lock(&gate[i]);
		pthread_mutex_lock(&a);
		pthread_mutex_lock(&b);
		shared_count++;
		pthread_mutex_unlock(&b);
		pthread_mutex_unlock(&a);
		pthread_mutex_unlock(&gate[i]);
	}
	printf("contexts: edge a -> b under %d gates, %ld sections\n", N,
	       shared_count);
}

enum { MEM_LOCKS = 300000, MEM_THREADS = 64 };
static pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;

static void *memory_worker(void *arg)
{
	pthread_mutex_t *m = arg;
	for (int i = 0; i < MEM_LOCKS / MEM_THREADS; i++) {
		pthread_mutex_lock(&outer);
		pthread_mutex_lock(&m[i]);
		shared_count++;
		pthread_mutex_unlock(&m[i]);
		pthread_mutex_unlock(&outer);
	}
	return NULL;
}

static void mode_memory(void)
{
	pthread_t t[MEM_THREADS];
	pthread_mutex_t *m[MEM_THREADS];
	for (int i = 0; i < MEM_THREADS; i++) {
		m[i] = make_mutexes(MEM_LOCKS / MEM_THREADS);
		pthread_create(&t[i], NULL, memory_worker, m[i]);
	}
	for (int i = 0; i < MEM_THREADS; i++)
		pthread_join(t[i], NULL);
	printf("memory: %ld sections over %d locks in %d threads\n",
	       shared_count, MEM_LOCKS / MEM_THREADS * MEM_THREADS,
	       MEM_THREADS);
}

static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;

static void *count_once(void *arg)
{
	pthread_mutex_lock(&count_lock);
	shared_count++;
	pthread_mutex_unlock(&count_lock);
	return arg;
}

static void mode_clock(void)
{
	enum { N = 1100 };
	for (int i = 0; i < N; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, count_once, NULL) != 0)
			exit(3);
		pthread_join(t, NULL);
	}
	printf("clock: %d threads created and joined, %ld sections\n", N,
	       shared_count);
}

/* Thread i holds link[i] and waits for link[i + 1]; the last thread holds
 * its link long enough for every waiter to block and be re-checked (the
 * checker looks again every 100 ms), then lets go, and the line drains from
 * the end. */
enum { CHAIN = 70 };
static pthread_mutex_t link_lock[CHAIN];
static pthread_barrier_t all_hold;

static void *chain_link(void *arg)
{
	long i = (long)arg;
	pthread_mutex_lock(&link_lock[i]);
	pthread_barrier_wait(&all_hold);
	if (i + 1 < CHAIN) {
		pthread_mutex_lock(&link_lock[i + 1]);
		shared_count++;
		pthread_mutex_unlock(&link_lock[i + 1]);
	} else {
		struct timespec pause = { 0, 600 * 1000 * 1000 };
		nanosleep(&pause, NULL);
	}
	pthread_mutex_unlock(&link_lock[i]);
	return NULL;
}

static void mode_chain(void)
{
	pthread_t t[CHAIN];
	pthread_barrier_init(&all_hold, NULL, CHAIN);
	for (long i = 0; i < CHAIN; i++) {
		pthread_mutex_init(&link_lock[i], NULL);
		if (pthread_create(&t[i], NULL, chain_link, (void *)i) != 0)
			exit(3);
	}
	for (int i = 0; i < CHAIN; i++)
		pthread_join(t[i], NULL);
	printf("chain: %d threads waited in a line, %ld sections\n", CHAIN,
	       shared_count);
}

/* The AB-BA afterwards: the two threads run one after the other (a
 * semaphore, which the checker does not see as ordering) so the run never
 * deadlocks, but they are alive together, so it is deadlock-possible. */
static pthread_mutex_t late_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t late_b = PTHREAD_MUTEX_INITIALIZER;
static sem_t first_done;

static void *late_ab(void *arg)
{
	pthread_mutex_lock(&late_a);
	pthread_mutex_lock(&late_b);
	shared_count++;
	pthread_mutex_unlock(&late_b);
	pthread_mutex_unlock(&late_a);
	sem_post(&first_done);
	return arg;
}

static void *late_ba(void *arg)
{
	sem_wait(&first_done);
	pthread_mutex_lock(&late_b);
	pthread_mutex_lock(&late_a);
	shared_count++;
	pthread_mutex_unlock(&late_a);
	pthread_mutex_unlock(&late_b);
	return arg;
}

static void late_inversion(void)
{
	pthread_t x, y;
	sem_init(&first_done, 0, 0);
	pthread_create(&x, NULL, late_ab, NULL);
	pthread_create(&y, NULL, late_ba, NULL);
	pthread_join(x, NULL);
	pthread_join(y, NULL);
	printf("late inversion: done\n");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "held"))
		mode_held();
	else if (!strcmp(mode, "cycle"))
		mode_cycle();
	else if (!strcmp(mode, "contexts"))
		mode_contexts();
	else if (!strcmp(mode, "memory"))
		mode_memory();
	else if (!strcmp(mode, "clock"))
		mode_clock();
	else if (!strcmp(mode, "chain"))
		mode_chain();
	else {
		fprintf(stderr, "usage: capacity "
				"held|cycle|contexts|memory|clock|chain\n");
		return 2;
	}
	if (strcmp(mode, "memory"))
		late_inversion();
	return 0;
}
