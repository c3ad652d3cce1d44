/*
 * rank_violation_halt: the rank check comes before the thread blocks.
 *
 * Pattern: low_lock has rank 1, high_lock rank 2. A holder thread takes
 * low_lock and keeps it for ever (it then waits on a semaphore nobody
 * posts). A worker takes high_lock, then low_lock: against the ranks, and
 * low_lock is busy, so the worker blocks for ever; main joins the worker.
 * Natively this hangs.
 *
 * MUST REPORT, before the hang: one order-violation over {high_lock,
 * low_lock}. With halt_on_error=1 the process then exits 66 instead of
 * hanging; if the check ran only after the real lock, the report would never
 * come and the run would time out.
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#include "lockcheck.h"

pthread_mutex_t low_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t high_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t low_held, never;

static void *holder(void *arg)
{
	pthread_mutex_lock(&low_lock);
	sem_post(&low_held);
	sem_wait(&never); /* keeps low_lock for ever */
	pthread_mutex_unlock(&low_lock);
	return NULL;
}

__attribute__((noinline)) void take_high_then_low(void)
{
	pthread_mutex_lock(&high_lock);
	pthread_mutex_lock(&low_lock); /* against the ranks; blocks for ever */
	pthread_mutex_unlock(&low_lock);
	pthread_mutex_unlock(&high_lock);
}

static void *worker(void *arg)
{
	take_high_then_low();
	return NULL;
}

int main(void)
{
	pthread_t h, w;

	lockcheck_rank(&low_lock, 1);
	lockcheck_rank(&high_lock, 2);
	sem_init(&low_held, 0, 0);
	sem_init(&never, 0, 0);
	pthread_create(&h, NULL, holder, NULL);
	sem_wait(&low_held);
	pthread_create(&w, NULL, worker, NULL);
	pthread_join(w, NULL);
	printf("rank_violation_halt: not reached natively\n");
	return 0;
}
