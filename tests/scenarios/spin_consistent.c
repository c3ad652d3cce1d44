/*
 * spin_consistent: spinlocks under contention, always in one order.
 *
 * Pattern: three threads repeat, concurrently,
 *     spin_lock(spin_outer), spin_lock(spin_inner), unlock both (any order);
 *     spin_trylock(spin_inner) while holding nothing (retried until it works);
 *     spin_lock(spin_outer) alone.
 * Every acquisition agrees with spin_outer -> spin_inner; the trylocks take
 * nothing while held. Some releases are in acquisition (FIFO) order.
 *
 * MUST STAY SILENT: findings 0. Guards against treating a spinning waiter or a
 * failed pthread_spin_trylock as a hold (a bad-unlock or held-at-exit later),
 * and against a spurious edge from a spinlock released out of order.
 */
#include <pthread.h>
#include <stdio.h>

#define THREADS 3
#define ITERS 5000

static pthread_spinlock_t spin_outer;
static pthread_spinlock_t spin_inner;
static long nested, inner_only, outer_only;

__attribute__((noinline)) void nested_section(int fifo)
{
	pthread_spin_lock(&spin_outer);
	pthread_spin_lock(&spin_inner);
	nested++;
	if (fifo) {
		pthread_spin_unlock(&spin_outer);
		pthread_spin_unlock(&spin_inner);
	} else {
		pthread_spin_unlock(&spin_inner);
		pthread_spin_unlock(&spin_outer);
	}
}

__attribute__((noinline)) void try_inner(void)
{
	while (pthread_spin_trylock(&spin_inner) != 0)
		;
	inner_only++;
	pthread_spin_unlock(&spin_inner);
}

__attribute__((noinline)) void outer_alone(void)
{
	pthread_spin_lock(&spin_outer);
	outer_only++;
	pthread_spin_unlock(&spin_outer);
}

static void *worker(void *arg)
{
	int i;

	for (i = 0; i < ITERS; i++) {
		nested_section(i & 1);
		try_inner();
		outer_alone();
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	int i;

	pthread_spin_init(&spin_outer, PTHREAD_PROCESS_PRIVATE);
	pthread_spin_init(&spin_inner, PTHREAD_PROCESS_PRIVATE);
	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	printf("spin_consistent: nested=%ld inner=%ld outer=%ld\n", nested,
	       inner_only, outer_only);
	pthread_spin_destroy(&spin_inner);
	pthread_spin_destroy(&spin_outer);
	return 0;
}
